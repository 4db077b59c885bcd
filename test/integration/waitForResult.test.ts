/**
 * "Play Voice Menu and Wait for Result" in process: the node dials on the simulator and its
 * execution waits as n8n keeps it; the simulator posts its real callbacks to the SIP Call Trigger,
 * which hands the CDRs to the waiting execution's resume URL over real HTTP.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';
import { decodeWaitReference, encodeWaitReference } from '../../nodes/shared/waitForResult/waitReference';
import { resumeUrlFor } from '../../nodes/shared/waitForResult/resumeUrl';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

const PUSH_ONLY_RECORD_DELAY_MS = 3_600_000;

let sim: Simulator;
let trigger: TriggerServer;
let waiting: WaitingExecution;
afterEach(async () => {
	await trigger?.deactivate();
	await waiting?.stop();
	await trigger?.stop();
	await sim?.stop();
});


async function dialAndWait(
	rows: Array<{ phone: string; ref?: string }>,
	waitLimit = 10,
	options: { withoutResumeToken?: boolean; parameters?: IDataObject; noRecordOf?: string[]; recordDelayMs?: number } = {},
) {
	// The platform's records become readable an hour late (as on a busy platform), so the waiting
	// node's lookups find nothing: these tests see what the CDR callbacks alone bring.
	sim = await withSimulator({ speed: 1000, recordDelayMs: options.recordDelayMs ?? PUSH_ONLY_RECORD_DELAY_MS });
	// Calls the platform keeps no record of: no callback, and nothing GetBill could find at the limit.
	for (const phone of options.noRecordOf ?? []) sim.scriptCallee(phone, BEHAVIOURS.noRecord);
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref ?? "" }}' },
			waitLimit,
			...options.parameters,
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
		withoutResumeToken: options.withoutResumeToken,
	});
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
	});
	return sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields);
}

/** The CDR the simulator would send for a call, built from its own record of the call. */
function cdrOf(customuuid: string): IDataObject {
	const call = sim.record.calls.find((candidate: { customuuid: string }) => candidate.customuuid === customuuid);
	const event = call.events.find((candidate: { kind: string }) => candidate.kind === 'cdr');
	return event.body;
}

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);

test('a batch continues once every call has its CDR: in row order, paired, with the user\'s own customuuid back', async () => {
	const rows = [{ phone: '13900000101', ref: 'crm-101' }, { phone: '13900000108' }, { phone: '13900000100', ref: '客户-100' }];
	const sent = await dialAndWait(rows);
	expect(waiting.status()).toBe('waiting');
	for (const fields of sent) {
		expect(fields.customuuid.length).toBeLessThanOrEqual(64);
		expect(decodeWaitReference(fields.customuuid)?.executionId).toBe(waiting.id);
	}

	// The last call's CDR first: the execution keeps waiting until the others arrive.
	const order = [2, 0, 1];
	for (const [step, index] of order.entries()) {
		const answer = await postCallback(trigger.url, cdrOf(sent[index].customuuid));
		expect(answer.status).toBe(200);
		if (step < order.length - 1) expect(waiting.status()).toBe('waiting');
	}
	await waiting.finished();
	const items = waiting.output()!;
	expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(json(items).map((item) => [item.customuuid, item.resultStatus, item.keyPressed, item.timedOut])).toEqual([
		['crm-101', 'answered', '1', false],
		[null, 'answered', null, false],
		['客户-100', 'notAnswered', null, false],
	]);
	expect(json(items)[0]).toMatchObject({ destnumber: '13900000101', accepted: true, transferKey: '1', extensionGroup: 'extGroup-1' });
	expect(json(items)[0].talkSeconds).toBeGreaterThan(0);
	expect(json(items)[2].hangupcause).toBe(10016);
	// Neither a reference, its resume token nor a call secret reaches the items.
	const secrets = sent.flatMap((fields: Record<string, string>) => {
		const reference = decodeWaitReference(fields.customuuid)!;
		return [fields.customuuid, reference.resumeToken as string, reference.callSecret];
	});
	for (const item of json(items)) {
		expect(item).not.toHaveProperty('waitCallHash');
		for (const secret of secrets) expect(JSON.stringify(item)).not.toContain(secret);
	}
	// Handed over, not emitted by the trigger's own workflow.
	expect(trigger.executions).toHaveLength(0);
});

test('a call whose CDR never arrives comes out timed out at the limit, beside the call that did', async () => {
	const sent = await dialAndWait([{ phone: '13900000201', ref: 'a' }, { phone: '13900000205', ref: 'lost' }], 0.05, { noRecordOf: ['13900000205'] });
	const answer = await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	expect(answer.status).toBe(200);
	expect(waiting.status()).toBe('waiting');
	// The trigger hands over what it has once the limit (3 s) has passed.
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.customuuid, item.resultStatus, item.timedOut, item.keyPressed])).toEqual([
		['a', 'answered', false, '1'],
		['lost', 'timedOut', true, null],
	]);
}, 20000);

test('with no CDR at all, n8n\'s own resume at the limit puts every row out marked as timed out (or as an error item)', async () => {
	await dialAndWait([{ phone: '13900000305', ref: 'silent' }, { phone: '13900000306' }], 10);
	await waiting.expire();
	const items = json(waiting.output());
	expect(items.map((item) => [item.customuuid, item.resultStatus, item.timedOut, item.error])).toEqual([
		['silent', 'timedOut', true, undefined],
		[null, 'timedOut', true, undefined],
	]);
	expect(waiting.output()!.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

	await waiting.stop();
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', waitLimit: 1, waitOptions: { onTimeout: 'errorItem' } }),
		items: [{ json: {} }],
		credentials: tokenCredentials(sim),
	});
	await waiting.expire();
	expect(json(waiting.output())[0].error).toBe('No call record arrived within the wait limit of 1 minute.');
});

test('forged hand-overs are refused and leave the execution waiting; a replay after it finished is emitted, not lost', async () => {
	const sent = await dialAndWait([{ phone: '13900000401', ref: 'x' }, { phone: '13900000402', ref: 'y' }]);
	const reference = decodeWaitReference(sent[0].customuuid)!;
	const signed = resumeUrlFor(waiting.waitingBaseUrl, reference);
	const forged = (customuuid: string) => ({ ...cdrOf(sent[0].customuuid), id: 777, uuid: 'forged', customuuid, userkey: '9', billsec: 99 });

	const madeUp = encodeWaitReference({ ...reference, callSecret: 'AAAAAAAA' });
	const refused = await postCallback(signed, { cdrs: [forged(madeUp)] });
	expect(refused.status).toBe(403);
	expect(waiting.status()).toBe('waiting');

	// Through the trigger: not handed over, emitted with the reason.
	expect((await postCallback(trigger.url, forged(madeUp))).status).toBe(200);
	expect(waiting.status()).toBe('waiting');
	const emitted = trigger.executions.flat(2).map((item) => item.json);
	expect(emitted).toHaveLength(1);
	expect(emitted[0]).toMatchObject({ waitingExecutionId: waiting.id, customuuid: null, notHandedOver: expect.stringMatching(/did not recognise/) });
	expect(JSON.stringify(emitted[0])).not.toContain(reference.resumeToken);

	for (const fields of sent) await postCallback(trigger.url, cdrOf(fields.customuuid));
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.keyPressed, item.billsec])).not.toContainEqual(['9', 99]);

	// The platform sends a CDR again after the execution went on (another id, so not a duplicate).
	const late = await postCallback(trigger.url, { ...cdrOf(sent[1].customuuid), id: 999001 });
	expect(late.status).toBe(200);
	const lateItem = trigger.executions.flat(2).map((item) => item.json).at(-1);
	expect(lateItem).toMatchObject({ waitingExecutionId: waiting.id, notHandedOver: expect.stringMatching(/no longer waiting/) });
});

test('a gathered CDR the execution can no longer take (it went on at its limit) comes out with the trigger\'s next callback', async () => {
	const sent = await dialAndWait([{ phone: '13900000801', ref: 'early' }, { phone: '13900000805', ref: 'never' }], 0.05);
	await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	// n8n resumes the execution itself before the trigger's hand-over at the limit.
	await waiting.expire();
	expect(json(waiting.output()).map((item) => item.resultStatus)).toEqual(['timedOut', 'timedOut']);
	await new Promise((resolve) => setTimeout(resolve, 4500));
	expect(trigger.executions).toHaveLength(0);
	await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
	const emitted = trigger.executions.flat(2).map((item) => item.json);
	expect(emitted.map((item) => [item.event, item.destnumber, item.keyPressed, item.notHandedOver !== undefined])).toEqual([
		['extensionRinging', undefined, undefined, false],
		['callEnded', '13900000801', '1', true],
	]);
}, 20000);

test('a CDR gathered before the trigger\'s process restarted is not lost: static data keeps the batch, the platform\'s records the CDR', async () => {
	const sent = await dialAndWait([{ phone: '13900000501', ref: 'r1' }, { phone: '13900000508', ref: 'r2' }], 10, { recordDelayMs: 3000 });
	await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	expect(waiting.status()).toBe('waiting');
	// What a restart leaves: the trigger's memory is gone, the workflow's static data is not; it
	// names the waiting execution, not the CDRs.
	expect(JSON.stringify(trigger.staticData)).toContain(waiting.id);
	expect(JSON.stringify(trigger.staticData)).not.toContain(sent[0].customuuid);
	await trigger.deactivate();
	await trigger.activate();
	// Once the platform's records are readable, the next hand-over finds the first call's there.
	await new Promise((resolve) => setTimeout(resolve, 3500));
	await postCallback(trigger.url, cdrOf(sent[1].customuuid));
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.customuuid, item.resultStatus, item.keyPressed])).toEqual([
		['r1', 'answered', '1'],
		['r2', 'answered', null],
	]);
	expect(trigger.executions).toHaveLength(0);
});

test('without a resume token (n8n 1.x) the call secret alone proves the call', async () => {
	const sent = await dialAndWait([{ phone: '13900000601', ref: 'v' }], 10, { withoutResumeToken: true });
	expect(sent[0].customuuid.startsWith('v')).toBe(true);
	const url = resumeUrlFor(waiting.waitingBaseUrl, decodeWaitReference(sent[0].customuuid)!);
	const madeUp = encodeWaitReference({ ...decodeWaitReference(sent[0].customuuid)!, callSecret: 'BBBBBBBB' });
	expect((await postCallback(url, { cdrs: [{ ...cdrOf(sent[0].customuuid), customuuid: madeUp }] })).status).toBe(403);
	await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ customuuid: 'v', resultStatus: 'answered', keyPressed: '1' });
});

test('a row the platform refuses, or that is not a phone number, is not waited for; it comes out with its error and its Custom Data, paired, beside the others', async () => {
	sim = await withSimulator({ speed: 1000 });
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.crmId }}' },
			waitLimit: 10,
		}),
		items: [{ json: { phone: '00012345678', crmId: 'C-1' } }, { json: { phone: '13900000701', crmId: 'C-2' } }, { json: { phone: 'oops', crmId: 'C-3' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(waiting.status()).toBe('waiting');
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
	});
	const sent = sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields);
	await postCallback(trigger.url, cdrOf(sent.find((fields: Record<string, string>) => fields.destnumber === '13900000701').customuuid));
	await waiting.finished();
	const items = waiting.output()!;
	expect(items.map((item) => [item.pairedItem, item.json.resultStatus, item.json.customuuid])).toEqual([
		[{ item: 0 }, 'notPlaced', 'C-1'],
		[{ item: 1 }, 'answered', 'C-2'],
		[{ item: 2 }, 'notPlaced', 'C-3'],
	]);
	expect(items[0].json.error).toEqual(expect.any(String));
	expect(items[2].json.error).toContain('"oops"');
});

test('a list of 300: every row gets its own CDR whatever the order they arrive in, with three hand-overs, not 300', async () => {
	const rows = Array.from({ length: 300 }, (_, i) => ({ phone: `1390001${String(i).padStart(4, '0')}`, ref: `row-${i}` }));
	const sent = await dialAndWait(rows, 10, { parameters: { options: { callsPerSecond: 0, maxInFlight: 8 } } });
	const shuffled = [...sent].sort(() => Math.random() - 0.5);
	for (const fields of shuffled) await postCallback(trigger.url, cdrOf(fields.customuuid));
	await waiting.finished();
	const items = json(waiting.output());
	expect(items.map((item) => item.customuuid)).toEqual(rows.map((row) => row.ref));
	expect(waiting.output()!.map((item) => (item.pairedItem as { item: number }).item)).toEqual(rows.map((_, index) => index));
	for (const item of items) {
		const last = String(item.destnumber).slice(-1);
		expect(item.keyPressed).toBe(['0', '7', '8', '9'].includes(last) ? null : last);
	}
	// The first CDR tells the trigger the list's size; the complete set goes once; nothing else.
	expect(waiting.handOvers()).toBeLessThanOrEqual(3);
}, 60000);

test('with several callbacks at once, the execution resumes once, with every row right', async () => {
	const rows = Array.from({ length: 12 }, (_, i) => ({ phone: `1390002${String(i).padStart(4, '0')}`, ref: `c-${i}` }));
	const sent = await dialAndWait(rows, 10, { parameters: { options: { callsPerSecond: 0, maxInFlight: 4 } } });
	// The first CDR alone, so the trigger learns the list's size; then the rest all at the same time.
	await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	const answers = await Promise.all(sent.slice(1).map(async (fields: Record<string, string>) => await postCallback(trigger.url, cdrOf(fields.customuuid))));
	expect(answers.map((answer) => answer.status)).toEqual(new Array(11).fill(200));
	await waiting.finished();
	expect(json(waiting.output()).map((item) => item.customuuid)).toEqual(rows.map((row) => row.ref));
	expect(json(waiting.output()).every((item) => item.timedOut === false)).toBe(true);
	expect(trigger.executions).toHaveLength(0);
});

test('a CDR the execution refuses beside ones it takes, and a forged token for the same execution, are given out, and spoil nothing', async () => {
	const sent = await dialAndWait([{ phone: '13900000901', ref: 'p' }, { phone: '13900000902', ref: 'q' }]);
	const reference = decodeWaitReference(sent[0].customuuid)!;
	const strangerCall = { ...cdrOf(sent[0].customuuid), id: 990001, uuid: 'stranger', customuuid: encodeWaitReference({ ...reference, callSecret: 'CCCCCCCC' }) };
	const wrongToken = { ...cdrOf(sent[1].customuuid), id: 990002, uuid: 'wrong-token', customuuid: encodeWaitReference({ ...reference, resumeToken: 'ab'.repeat(32) }) };
	await postCallback(trigger.url, cdrOf(sent[0].customuuid));
	await postCallback(trigger.url, strangerCall);
	await postCallback(trigger.url, wrongToken);
	expect(waiting.status()).toBe('waiting');
	await postCallback(trigger.url, cdrOf(sent[1].customuuid));
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.customuuid, item.keyPressed])).toEqual([
		['p', '1'],
		['q', '2'],
	]);
	const givenOut = trigger.executions.flat(2).map((item) => item.json);
	expect(givenOut.map((item) => item.uuid).sort()).toEqual(['stranger', 'wrong-token']);
	for (const item of givenOut) expect(item.notHandedOver).toMatch(/did not recognise/);
});

test('a call whose dial answer was lost (it may have been placed) is waited for too, and its CDR settles it', async () => {
	sim = await withSimulator({ speed: 1000 });
	// The platform places the call, then the connection drops before its answer.
	sim.injectFault({ kind: 'reset', placesCall: true });
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 10 }),
		items: [{ json: { phone: '13900000911' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(waiting.status()).toBe('waiting');
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
	});
	const [fields] = sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields);
	expect(sim.callsTo('13900000911')).toBe(1);
	await postCallback(trigger.url, cdrOf(fields.customuuid));
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ accepted: false, mayHaveBeenPlaced: true, resultStatus: 'answered', keyPressed: '1' });
});
