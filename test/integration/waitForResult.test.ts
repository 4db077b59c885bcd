/**
 * "Play Voice Menu and Wait for Result" in process: the node dials on the simulator, its execution
 * waits as n8n keeps it (test/harness/waitingExecution.ts serves its resume URL over real HTTP with
 * n8n 2.x's checks), and the dialing process sweeps: it asks the waiting execution to look its
 * rows up in the simulator's call records until every row has one or the limit passes.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';
import { RESULTS_PATH } from '../../nodes/SipCall/waitForResult/waitProtocol';
import { newCallReference } from '../../nodes/shared/waitReference';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sim: Simulator;
let trigger: TriggerServer | undefined;
let waiting: WaitingExecution;
afterEach(async () => {
	await trigger?.deactivate();
	await trigger?.stop();
	trigger = undefined;
	await waiting?.stop();
	await sim?.stop();
});

async function dialAndWait(
	rows: Array<{ phone: string; ref?: string }>,
	waitLimit = 10,
	options: { withoutResumeToken?: boolean; parameters?: IDataObject; noRecordOf?: string[]; recordDelayMs?: number; continueOnFail?: boolean } = {},
) {
	sim = await withSimulator({ speed: 1000, recordDelayMs: options.recordDelayMs ?? 0 });
	// Calls the platform keeps no record of: no callback, and nothing GetBill could find.
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
		continueOnFail: options.continueOnFail,
	});
	return sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields);
}

/** The CDR the simulator sends for a call, built from its own record of the call. */
function cdrOf(customuuid: string): IDataObject {
	const call = sim.record.calls.find((candidate: { customuuid: string }) => candidate.customuuid === customuuid);
	return call.events.find((candidate: { kind: string }) => candidate.kind === 'cdr').body;
}

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);
const getBills = () => sim.requestsFor('App.Sip_Cdr.GetBill').length;

test('every row gets its call\'s record from the platform: in row order, paired, with the user\'s own customuuid back', async () => {
	const rows = [{ phone: '13900000101', ref: 'crm-101' }, { phone: '13900000108' }, { phone: '13900000100', ref: '客户-100' }];
	const sent = await dialAndWait(rows);
	expect(waiting.status()).toBe('waiting');
	const { resumeToken } = waiting.stored() as { resumeToken?: string };
	expect(resumeToken).toMatch(/^[0-9a-f]{64}$/);
	for (const fields of sent) {
		// 22 letters and digits hold about 131 bits: no room for n8n's 256-bit resume token in any encoding.
		expect(fields.customuuid).toMatch(/^sipw[0-9A-Za-z]{18}$/);
		expect(fields.customuuid).not.toContain(waiting.id);
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
	for (const item of json(items)) {
		for (const field of ['waitCallHash', 'waitSweepKeyHash', 'waitDeadlineMs', 'waitDialedFromMs']) expect(item).not.toHaveProperty(field);
		for (const fields of sent) expect(JSON.stringify(item)).not.toContain(fields.customuuid);
	}
	// One sweep found all three: the first, five seconds into the wait.
	expect(waiting.resumeRequests()).toBe(1);
}, 30000);

test('records the platform writes late: the execution keeps waiting and sweeps again until they are there', async () => {
	await dialAndWait([{ phone: '13900000201', ref: 'late' }], 10, { recordDelayMs: 7000 });
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ customuuid: 'late', resultStatus: 'answered', keyPressed: '1' });
	// The dialing process read the records again until the late one was there, and sent the results once.
	expect(getBills()).toBeGreaterThanOrEqual(2);
	expect(waiting.resumeRequests()).toBe(1);
}, 30000);

test('a call the platform has no record of comes out timed out at the limit, beside the call that has one', async () => {
	await dialAndWait([{ phone: '13900000201', ref: 'a' }, { phone: '13900000205', ref: 'lost' }], 0.15, { noRecordOf: ['13900000205'] });
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.customuuid, item.resultStatus, item.timedOut, item.keyPressed])).toEqual([
		['a', 'answered', false, '1'],
		['lost', 'timedOut', true, null],
	]);
	// The last row keeps its call's hash, for Call → Get Results.
	expect(json(waiting.output())[1].waitCallHash).toEqual(expect.any(String));
}, 30000);

test('if n8n\'s own timer resumes it (the dialing process stopped), every row comes out marked as timed out (or as an error item)', async () => {
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

test('a forged request, even with the resume token and records read from the platform, is refused in words and changes nothing', async () => {
	const sent = await dialAndWait([{ phone: '13900000401', ref: 'x' }, { phone: '13900000402', ref: 'y' }], 10, { recordDelayMs: 9000 });
	const { resumeToken } = waiting.stored() as { resumeToken: string };
	const resultsUrl = `${waiting.waitingBaseUrl}/${waiting.id}/${RESULTS_PATH}`;
	// What a reader of the platform's records can build: the calls' CDRs with a made-up key press.
	const forgedCdrs = sent.map((fields: Record<string, string>) => ({ ...cdrOf(fields.customuuid), userkey: '9', billsec: 99 }));

	expect((await postCallback(resultsUrl, { cdrs: forgedCdrs })).status).toBe(401);
	for (const body of [{ cdrs: forgedCdrs }, { cdrs: forgedCdrs, sweepKey: 'guessed', atLimit: true, last: true }, { sweepKey: sent[0].customuuid }, 'null', '[]']) {
		const refused = await postCallback(`${resultsUrl}?signature=${resumeToken}`, body);
		expect(refused.status).toBe(403);
		expect(String((refused.json as IDataObject).message)).toMatch(/^Refused: only the n8n process that placed these calls/);
		expect(waiting.status()).toBe('waiting');
	}
	await waiting.finished();
	expect(json(waiting.output()).map((item) => [item.customuuid, item.keyPressed, item.billsec])).toEqual([
		['x', '1', expect.any(Number)],
		['y', '2', expect.any(Number)],
	]);
	expect(json(waiting.output()).map((item) => item.billsec)).not.toContain(99);
}, 40000);

test('without a resume token (n8n 1.x) the sweep key alone opens the look-up; a request without it is refused', async () => {
	await dialAndWait([{ phone: '13900000601', ref: 'v' }], 10, { withoutResumeToken: true, recordDelayMs: 7000 });
	const refused = await postCallback(`${waiting.waitingBaseUrl}/${waiting.id}/${RESULTS_PATH}`, { cdrs: [] });
	expect(refused.status).toBe(403);
	expect(waiting.status()).toBe('waiting');
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ customuuid: 'v', resultStatus: 'answered', keyPressed: '1' });
}, 30000);

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
	await waiting.finished();
	const items = waiting.output()!;
	expect(items.map((item) => [item.pairedItem, item.json.resultStatus, item.json.customuuid])).toEqual([
		[{ item: 0 }, 'notPlaced', 'C-1'],
		[{ item: 1 }, 'answered', 'C-2'],
		[{ item: 2 }, 'notPlaced', 'C-3'],
	]);
	expect(items[0].json.error).toEqual(expect.any(String));
	expect(items[2].json.error).toContain('"oops"');
}, 30000);

test('a list of 300: every row gets its own record, with a few sweeps and GetBill pages, not 300', async () => {
	const rows = Array.from({ length: 300 }, (_, i) => ({ phone: `1390001${String(i).padStart(4, '0')}`, ref: `row-${i}` }));
	await dialAndWait(rows, 10, { parameters: { options: { callsPerSecond: 0, maxInFlight: 8 } } });
	await waiting.finished();
	const items = json(waiting.output());
	expect(items.map((item) => item.customuuid)).toEqual(rows.map((row) => row.ref));
	expect(waiting.output()!.map((item) => (item.pairedItem as { item: number }).item)).toEqual(rows.map((_, index) => index));
	for (const item of items) {
		const last = String(item.destnumber).slice(-1);
		expect(item.keyPressed).toBe(['0', '7', '8', '9'].includes(last) ? null : last);
	}
	expect(waiting.resumeRequests()).toBe(1);
	expect(getBills()).toBeLessThanOrEqual(6);
}, 60000);

test('a call whose dial answer was lost (it may have been placed) is waited for too, and its record settles it', async () => {
	sim = await withSimulator({ speed: 1000 });
	// The platform places the call, then the connection drops before its answer.
	sim.injectFault({ kind: 'reset', placesCall: true });
	const dialedAt = Date.now();
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 10 }),
		items: [{ json: { phone: '13900000911' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(waiting.status()).toBe('waiting');
	expect(sim.callsTo('13900000911')).toBe(1);
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ accepted: false, mayHaveBeenPlaced: true, resultStatus: 'answered', keyPressed: '1' });
	// Its dial time is unknown, yet the look-up starts from when dialing began (less 5 minutes for
	// the platform's clock), not hours back: on a busy account the newest pages are the ones read.
	const [lookUp] = sim.requestsFor('App.Sip_Cdr.GetBill').map((request: { fields: Record<string, string> }) => request.fields);
	const startedAt = Date.parse(`${lookUp.starttime.replace(' ', 'T')}+08:00`);
	expect(startedAt).toBeGreaterThan(dialedAt - 5 * 60_000 - 1000);
	expect(startedAt).toBeLessThanOrEqual(Date.now() - 5 * 60_000);
}, 30000);

test('the SIP Call Trigger leaves a waited call\'s CDR out (its execution reads the record itself), and puts it out when asked to', async () => {
	const sent = await dialAndWait([{ phone: '13900000951', ref: 'w' }]);
	const cdr = cdrOf(sent[0].customuuid);
	trigger = await startTriggerServer({ parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single' } });
	expect((await postCallback(trigger.url, cdr)).status).toBe(200);
	expect((await postCallback(trigger.url, { ...cdr, id: 424242, customuuid: 'wangxiaoming2024' })).status).toBe(200);
	expect(trigger.executions.flat(2).map((item) => item.json.customuuid)).toEqual(['wangxiaoming2024']);
	await trigger.deactivate();
	await trigger.stop();

	trigger = await startTriggerServer({ parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { includeWaitedCalls: true } } });
	await postCallback(trigger.url, cdr);
	expect(trigger.executions.flat(2).map((item) => item.json.customuuid)).toEqual([sent[0].customuuid]);
	await waiting.finished();
}, 30000);

test('a record read before the limit is kept when the platform refuses every read at the limit; a row without one says why', async () => {
	await dialAndWait([{ phone: '13900000981', ref: 'kept' }, { phone: '13900000982', ref: 'lost' }], 0.2, { noRecordOf: ['13900000982'] });
	while (!sim.requestsFor('App.Sip_Cdr.GetBill').some((request: { answer?: { data?: { result?: { bills?: unknown[] } } } }) => request.answer?.data?.result?.bills?.length)) await new Promise((resolve) => setTimeout(resolve, 200));
	sim.injectFault({ kind: 'ret', ret: 604, msg: 'IP未授权', service: 'App.Sip_Cdr.GetBill', times: 100 });
	await waiting.finished();
	const [kept, lost] = json(waiting.output());
	expect(kept).toMatchObject({ customuuid: 'kept', resultStatus: 'answered', timedOut: false });
	expect(lost).toMatchObject({ customuuid: 'lost', resultStatus: 'timedOut', lookupProblem: expect.stringMatching(/604|IP/) });
}, 60000);

test('one callback request full of forged waited CDRs makes the trigger send nothing anywhere, and changes nothing', async () => {
	const sent = await dialAndWait([{ phone: '13900000991', ref: 'z' }]);
	trigger = await startTriggerServer({ parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single' } });
	const real = cdrOf(sent[0].customuuid);
	// Just under the trigger's 256 KB body limit: look-alikes of the real CDR, each with a reference of its own or the real one.
	const forged = Array.from({ length: 300 }, (_, index) => ({ ...real, id: 500000 + index, userkey: '9', customuuid: index % 2 ? sent[0].customuuid : newCallReference().customuuid }));
	const before = waiting.resumeRequests();
	expect((await postCallback(trigger.url, forged)).status).toBe(200);
	expect(waiting.resumeRequests()).toBe(before);
	expect(trigger.executions).toEqual([]);
	await waiting.finished();
	expect(json(waiting.output())[0]).toMatchObject({ customuuid: 'z', keyPressed: '1' });
}, 30000);

describe('Redial Who Missed', () => {
	const redial = (settings: IDataObject) => ({ waitOptions: { redial: { settings: { on: ['busy', 'noAnswer'], maxCalls: 3, minutesBetween: 0.1, ...settings } } } });

	test('a busy row is called again after the pause, up to Calls per Row; each row comes out once, after its last call, with every call\'s outcome', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.scriptCallee('13900000011', [BEHAVIOURS.busy, BEHAVIOURS.pressKey('1')]);
		sim.scriptCallee('13900000012', BEHAVIOURS.busy);
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 4, options: { callsPerSecond: 0 }, ...redial({}) }),
			items: ['13900000011', '13900000012', '13900000013'].map((phone) => ({ json: { phone } })),
			credentials: tokenCredentials(sim),
		});
		await waiting.finished();
		expect(['13900000011', '13900000012', '13900000013'].map((phone) => sim.callsTo(phone))).toEqual([2, 3, 1]);
		const rows = json(waiting.output());
		expect(rows.map((row) => [row.destnumber, row.resultStatus, row.keyPressed, row.callsPlaced])).toEqual([
			['13900000011', 'answered', '1', 2],
			['13900000012', 'notAnswered', null, 3],
			['13900000013', 'answered', '3', 1],
		]);
		expect((rows[0].callResults as IDataObject[]).map((call) => [call.call, call.resultStatus, call.hangupCauseName])).toEqual([
			[1, 'notAnswered', 'busy'],
			[2, 'answered', 'normal clearing'],
		]);
		// Every call a row had went out with a reference of its own; none carries the user's data or another row's.
		const references = sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.customuuid);
		expect(new Set(references).size).toBe(6);
		expect(rows[0]).not.toHaveProperty('waitRedialReferences');
	});

	test('outcomes not picked in Redial When are not called again: a row that does not answer stays at one call when only Busy is picked', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.scriptCallee('13900000021', BEHAVIOURS.noAnswer);
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 4, ...redial({ on: ['busy'] }) }),
			items: [{ json: { phone: '13900000021' } }],
			credentials: tokenCredentials(sim),
		});
		await waiting.finished();
		expect(sim.callsTo('13900000021')).toBe(1);
		expect(json(waiting.output())[0]).toMatchObject({ resultStatus: 'notAnswered', callsPlaced: 1 });
	});

	test('a redial the platform refuses stops that row\'s redials, and says so; nothing is called twice', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.scriptCallee('13900000031', BEHAVIOURS.busy);
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 4, ...redial({}) }),
			items: [{ json: { phone: '13900000031' } }],
			credentials: tokenCredentials(sim),
		});
		await sim.requestsArrived('App.Sip_Call.PlayVoice', 1);
		sim.injectFault({ kind: 'ret', ret: 400, msg: 'bad field', service: 'App.Sip_Call.PlayVoice' });
		await waiting.finished();
		expect(sim.callsTo('13900000031')).toBe(1);
		expect(json(waiting.output())[0]).toMatchObject({ resultStatus: 'notAnswered', callsPlaced: 1, redialNote: expect.stringMatching(/^Call 2 was refused by the platform: .*bad field/) });
	});

	test('a Wait Limit too short for the calls asked for is refused before anything is dialed, naming both fields', async () => {
		sim = await withSimulator({ speed: 1000 });
		const run = await startWaitingExecution({
			parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '13900000041', waitLimit: 10, ...redial({ maxCalls: 3, minutesBetween: 10 }) }),
			items: [{ json: {} }],
			credentials: tokenCredentials(sim),
		}).catch((error: Error) => error);
		waiting = run as WaitingExecution;
		const finished = await (run as WaitingExecution).finished();
		expect(finished.data.resultData.error?.message).toBe('Wait Limit (10 minutes) is too short for 3 calls per row 10 minutes apart');
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);
	});
});
