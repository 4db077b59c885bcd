/**
 * Call → Get Results against the simulator over real HTTP, with every callback dropped: calls
 * placed by Play Voice Menu (or Play Voice Menu and Wait for Result), their outcomes pulled in one
 * sweep per batch, finished rows on "Completed" as the wait operation shapes them, the others on
 * "Pending".
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { callHashIn } from '../../nodes/shared/waitReference';
import { formatZonedDateTime } from '../../nodes/shared/zonedTime';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

const GET_BILL = 'App.Sip_Cdr.GetBill';
let sim: Simulator;
let waiting: WaitingExecution | undefined;
afterEach(async () => {
	await waiting?.stop();
	waiting = undefined;
	await sim?.stop();
});

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Until every call placed so far has ended, so that the platform's records of them can be read. */
async function callsEnded(): Promise<void> {
	const endsAtMs = Math.max(...sim.record.calls.map((call: { endsAtMs: number }) => call.endsAtMs));
	await sleep(Math.max(0, endsAtMs - Date.now()) + 50);
}

/** Calls placed by "Play Voice Menu and Wait for Result", one per row, waiting in an execution as n8n keeps it. */
async function dialAndWait(rows: Array<{ phone: string; ref?: string }>, waitLimit: number): Promise<Array<Record<string, string>>> {
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref ?? "" }}' },
			waitLimit,
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
	});
	expect(waiting.status()).toBe('waiting');
	return requestsOf(sim, 'App.Sip_Call.PlayVoice').map((request) => request.fields);
}

/** What never reaches an output: the references the calls were placed with. */
function expectNoSecretIn(items: INodeExecutionData[], sent: Array<Record<string, string>>): void {
	const secrets = sent.flatMap((fields) => (callHashIn(fields.customuuid) ? [fields.customuuid] : []));
	expect(secrets.length).toBeGreaterThan(0);
	for (const item of items) for (const secret of secrets) expect(JSON.stringify(item.json)).not.toContain(secret);
}

const getResults = (overrides: Record<string, unknown> = {}) => ({ resource: 'call', operation: 'getResults', ...overrides });

test('answered, unanswered and pending rows, in order and paired; a row without customuuid is an error item', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	sim.scriptCallee('13900000005', { answers: true, key: '', sendsNoCdr: true, keepsNoRecord: true });
	const rows = [
		{ phone: '13900000001', ref: 'row-1' }, // presses 1
		{ phone: '13900000000', ref: 'row-0' }, // never answers
		{ phone: '13900000005', ref: 'row-5' }, // the platform keeps no record (yet)
		{ phone: '13900000008', ref: 'row-8' }, // answers, presses nothing
	];
	const dialed = await runNode({
		parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', additionalFields: { customData: '={{ $json.ref }}' }, options: { callsPerSecond: 0, maxInFlight: 4 } }),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
	});
	expect(dialed.items.map((item) => item.json.customuuid)).toEqual(['row-1', 'row-0', 'row-5', 'row-8']);
	await new Promise((resolve) => setTimeout(resolve, 1500));

	const input = [...dialed.items.map((item) => ({ json: item.json })), { json: { destnumber: '13900000009' } }];
	const run = await runNode({ parameters: getResults(), items: input, credentials: tokenCredentials(sim), continueOnFail: true });
	expect(run.error).toBeUndefined();
	const [completed, pending] = run.outputs;
	expect(completed.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.keyPressed, item.pairedItem])).toEqual([
		['row-1', 'answered', '1', { item: 0 }],
		['row-0', 'notAnswered', null, { item: 1 }],
		['row-8', 'answered', null, { item: 3 }],
		[undefined, undefined, undefined, { item: 4 }],
	]);
	expect(completed[0].json).toMatchObject({ accepted: true, destnumber: '13900000001', transferKey: '1', timedOut: false, hangupCauseName: 'normal clearing' });
	expect(completed[0].json.talkSeconds).toBeGreaterThan(0);
	expect(completed[1].json).toMatchObject({ hangupcause: 10016, hangupCauseName: 'no answer', talkSeconds: 0, answered: false });
	expect(completed[3].json.error).toBe('This row has no customuuid to look its call up by');
	expect(pending.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.destnumber, item.pairedItem])).toEqual([['row-5', 'pending', '13900000005', { item: 2 }]]);
	expect(requestsOf(sim, GET_BILL)).toHaveLength(1);
});

test('1,000 rows cost one sweep: a handful of requests, not one per row', async () => {
	sim = await withSimulator();
	sim.addCallRecords(Array.from({ length: 1500 }, (_, i) => ({ customuuid: i < 1000 ? `row-${i}` : `other-${i}`, billsec: i % 2 ? 0 : 12, answertime: i % 2 ? '' : '2026-11-20 10:00:05', userkey: i % 2 ? '' : '2' })));
	const items = Array.from({ length: 1005 }, (_, i) => ({ json: { customuuid: i < 1000 ? `row-${i}` : `missing-${i}` } }));
	const run = await runNode({ parameters: getResults({ resultOptions: { lookBackHours: 2 } }), items, credentials: tokenCredentials(sim) });
	const [completed, pending] = run.outputs;
	expect(completed).toHaveLength(1000);
	expect(completed.map((item) => item.json.customuuid)).toEqual(items.slice(0, 1000).map((item) => item.json.customuuid));
	expect(completed.filter((item) => item.json.resultStatus === 'answered').every((item) => item.json.keyPressed === '2')).toBe(true);
	expect(completed.filter((item) => item.json.resultStatus === 'notAnswered')).toHaveLength(500);
	expect(pending.map((item) => (item.pairedItem as { item: number }).item)).toEqual([1000, 1001, 1002, 1003, 1004]);
	const sent = requestsOf(sim, GET_BILL).map((request) => request.fields);
	expect(sent).toHaveLength(2);
	expect(sent[0]).toMatchObject({ syncflag: '3', callmethod: '0', itemsperpage: '1000' });
	const span = Date.parse(sent[0].endtime.replace(' ', 'T') + '+08:00') - Date.parse(sent[0].starttime.replace(' ', 'T') + '+08:00');
	expect(span).toBeGreaterThanOrEqual(2 * 3600 * 1000);
	expect(span).toBeLessThanOrEqual(2 * 3600 * 1000 + 61_000);
});

test('without Continue On Fail a row without customuuid stops the node before any request', async () => {
	sim = await withSimulator();
	const run = await runNode({ parameters: getResults(), items: [{ json: { customuuid: 'a' } }, { json: {} }], credentials: tokenCredentials(sim) });
	expect(run.error?.message).toBe('This row has no customuuid to look its call up by');
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);
});

test('a row the platform refused (accepted false, not placed) leaves on Completed as notPlaced instead of looping as pending', async () => {
	sim = await withSimulator();
	const dialed = await runNode({
		parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', voiceFile: '={{ $json.voice }}', additionalFields: { customData: '={{ $json.ref }}' } }),
		items: [{ json: { phone: '13900000001', ref: 'ok', voice: 'welcome.wav' } }, { json: { phone: '13900000002', ref: 'refused', voice: 'missing.wav' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(dialed.items.map((item) => item.json.accepted)).toEqual([true, false]);
	const run = await runNode({ parameters: getResults(), items: dialed.items.map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
	const [completed, pending] = run.outputs;
	expect(completed.map((item) => [item.json.customuuid, item.json.resultStatus, item.pairedItem])).toEqual([['refused', 'notPlaced', { item: 1 }]]);
	expect(completed[0].json.error).toMatch(/error code 1029: file does not exist/);
	expect(pending.map((item) => [item.json.customuuid, item.json.resultStatus])).toEqual([['ok', 'pending']]);
});

test('a row refused before it had a customuuid (a field Play Voice Menu rejected) is notPlaced, not an error', async () => {
	sim = await withSimulator();
	const dialed = await runNode({
		parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}' }),
		items: [{ json: { phone: '138-0000' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(dialed.items[0].json).toMatchObject({ accepted: false });
	const run = await runNode({ parameters: getResults(), items: dialed.items.map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((item) => [item.json.resultStatus, item.pairedItem])).toEqual([['notPlaced', { item: 0 }]]);
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);
});

test('with Continue On Fail, a sweep the platform refuses comes out as an error item on every row that needed it', async () => {
	sim = await withSimulator();
	sim.injectFault({ kind: 'ret', ret: 604, msg: 'IP未授权', service: GET_BILL });
	const run = await runNode({ parameters: getResults(), items: [{ json: { customuuid: 'a' } }, { json: { customuuid: 'b' } }], credentials: tokenCredentials(sim), continueOnFail: true });
	expect(run.error).toBeUndefined();
	expect(run.outputs[0].map((item) => [item.json.error, item.pairedItem])).toEqual([
		['The platform answered ret 604: IP未授权', { item: 0 }],
		['The platform answered ret 604: IP未授权', { item: 1 }],
	]);
	expect(run.outputs[1]).toEqual([]);
});

test('rows of Play Voice Menu and Wait for Result that n8n resumed by its own timer are found by their call, beside a plain row', async () => {
	sim = await withSimulator({ speed: 1000, dropCallbacks: true });
	sim.scriptCallee('13900000305', BEHAVIOURS.noRecord);
	const sent = await dialAndWait(
		[{ phone: '13900000301', ref: 'crm-1' }, { phone: '13900000308' }, { phone: '13900000302', ref: 'crm-2' }, { phone: '13900000305', ref: 'crm-5' }],
		10,
	);
	await callsEnded();
	// The process that dialed stopped (an n8n restart): n8n's timer resumes the execution without a look-up.
	await waiting!.expire();
	const waited = waiting!.output()!;
	expect(waited.map((item) => [item.json.customuuid, item.json.resultStatus, typeof item.json.waitCallHash])).toEqual([
		['crm-1', 'timedOut', 'string'],
		[null, 'timedOut', 'string'],
		['crm-2', 'timedOut', 'string'],
		['crm-5', 'timedOut', 'string'],
	]);
	const plain = await runNode({ parameters: playVoiceMenu({ destinationNumber: '13900000303', additionalFields: { customData: 'plain-3' } }), credentials: tokenCredentials(sim) });
	await callsEnded();

	const sweepsBefore = requestsOf(sim, GET_BILL).length;
	const input = [...waited.map((item) => ({ json: item.json })), { json: plain.items[0].json }];
	// Continue On Fail, so that a row Get Results cannot look up shows as an error item rather than stopping the node.
	const run = await runNode({ parameters: getResults(), items: input, credentials: tokenCredentials(sim), continueOnFail: true });
	expect(run.error).toBeUndefined();
	const [completed, pending] = run.outputs;
	expect(completed.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.keyPressed, item.json.timedOut, item.pairedItem])).toEqual([
		['crm-1', 'answered', '1', false, { item: 0 }],
		[null, 'answered', null, false, { item: 1 }],
		['crm-2', 'answered', '2', false, { item: 2 }],
		['plain-3', 'answered', '3', false, { item: 4 }],
	]);
	expect(completed[0].json).toMatchObject({ destnumber: '13900000301', hangupCauseName: 'normal clearing' });
	for (const item of completed) for (const field of ['waitCallHash', 'waitDeadlineMs', 'waitedUntil']) expect(item.json).not.toHaveProperty(field);
	// The call the platform has no record of yet loops on, still able to be found next round.
	expect(pending.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.waitCallHash, item.pairedItem])).toEqual([
		['crm-5', 'pending', waited[3].json.waitCallHash, { item: 3 }],
	]);
	expect(requestsOf(sim, GET_BILL).length - sweepsBefore).toBe(1);
	expectNoSecretIn([...completed, ...pending], sent);
}, 20_000);

test('rows the wait operation left timed out because the platform\'s records could not be read (lookupProblem) are found by Get Results', async () => {
	sim = await withSimulator({ speed: 1000, dropCallbacks: true });
	// Every read of the records, from the first to the last before the results go, finds the platform refusing it.
	sim.injectFault({ kind: 'ret', ret: 604, msg: 'IP未授权', service: GET_BILL, times: 1000 });
	const sent = await dialAndWait([{ phone: '13900000311', ref: 'crm-11' }, { phone: '13900000318' }], 0.05);
	await waiting!.finished();
	sim.clearFaults();
	expect(requestsOf(sim, GET_BILL).length).toBeGreaterThan(1);
	const waited = waiting!.output()!;
	expect(waited.map((item) => [item.json.customuuid, item.json.resultStatus])).toEqual([
		['crm-11', 'timedOut'],
		[null, 'timedOut'],
	]);
	for (const item of waited) expect(item.json.lookupProblem).toMatch(/ret 604.*use Call → Get Results/);

	const run = await runNode({ parameters: getResults(), items: waited.map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	const [completed, pending] = run.outputs;
	expect(completed.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.keyPressed, item.pairedItem])).toEqual([
		['crm-11', 'answered', '1', { item: 0 }],
		[null, 'answered', null, { item: 1 }],
	]);
	for (const item of completed) for (const field of ['waitCallHash', 'lookupProblem']) expect(item.json).not.toHaveProperty(field);
	expect(pending).toEqual([]);
	expectNoSecretIn(completed, sent);
}, 60_000);

/** A time as the platform writes it (its zone, "YYYY-MM-DD HH:mm:ss"), this long before now. */
const platformTimeAgo = (ms: number) => formatZonedDateTime(Date.now() - ms, 'Asia/Shanghai');

/** The id of the simulator's record of the call placed to a number (and, when given, with a customuuid). */
function recordIdOf(destnumber: string, customuuid?: string): number {
	const records = (sim.callRecords() as Array<Record<string, string | number>>).filter(
		(record) => record.destnumber === destnumber && (customuuid === undefined || record.customuuid === customuuid),
	);
	expect(records).toHaveLength(1);
	return Number(records[0].id);
}

describe('a record belongs to a row only by its customuuid, its number and a start after the row was dialed', () => {
	test('two rows sharing a Custom Data (one customer, two numbers) each get their own call: the unanswered one stays unanswered', async () => {
		sim = await withSimulator({ speed: 200, dropCallbacks: true });
		// 1 presses 1; 0 never answers, so its record is written last (the "latest" of the two).
		const dialed = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', additionalFields: { customData: 'crm-42' }, options: { callsPerSecond: 0, maxInFlight: 2 } }),
			items: [{ json: { phone: '13900000601' } }, { json: { phone: '13900000600' } }],
			credentials: tokenCredentials(sim),
		});
		await callsEnded();
		const run = await runNode({ parameters: getResults(), items: dialed.items.map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		const [completed, pending] = run.outputs;
		expect(completed.map((item) => [item.json.destnumber, item.json.resultStatus, item.json.keyPressed, item.json.cdrId, item.pairedItem])).toEqual([
			['13900000601', 'answered', '1', recordIdOf('13900000601'), { item: 0 }],
			['13900000600', 'notAnswered', null, recordIdOf('13900000600'), { item: 1 }],
		]);
		expect(pending).toEqual([]);
	});

	test('the same number twice in one list with one Custom Data: each row gets one call, the earlier call the row dialed earlier', async () => {
		sim = await withSimulator({ speed: 200, dropCallbacks: true });
		// The first call presses 1; the second is not answered, so its record is written last (the "latest").
		sim.scriptCallee('13900000651', [BEHAVIOURS.pressKey('1'), BEHAVIOURS.noAnswer]);
		const dialed = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '13900000651', additionalFields: { customData: 'crm-51' }, options: { callsPerSecond: 1 } }),
			items: [{ json: {} }, { json: {} }],
			credentials: tokenCredentials(sim),
		});
		await callsEnded();
		const [first, second] = sim.record.calls.map((call: { uuid: string }) => (sim.callRecords() as Array<Record<string, string | number>>).find((record) => record.uuid === call.uuid)!.id);
		const run = await runNode({ parameters: getResults(), items: dialed.items.map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
		const [completed, pending] = run.outputs;
		expect(completed.map((item) => [item.json.resultStatus, item.json.keyPressed, item.json.cdrId, item.pairedItem])).toEqual([
			['answered', '1', first, { item: 0 }],
			['notAnswered', null, second, { item: 1 }],
		]);
		expect(pending).toEqual([]);
	});

	test('a record of the same Custom Data and number from before the row was dialed is not its call: the row stays pending', async () => {
		sim = await withSimulator({ speed: 200, dropCallbacks: true });
		// The same CRM ID called at this number ten minutes ago (answered, key 1); today's call leaves no record yet.
		sim.addCallRecords([{ customuuid: 'crm-7', destnumber: '13900000611', starttime: platformTimeAgo(10 * 60_000), answertime: platformTimeAgo(10 * 60_000 - 5000), billsec: 20, userkey: '1', hangupcause: 10001 }]);
		sim.scriptCallee('13900000611', BEHAVIOURS.noRecord);
		const dialed = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '13900000611', additionalFields: { customData: 'crm-7' } }),
			credentials: tokenCredentials(sim),
		});
		await callsEnded();
		const run = await runNode({ parameters: getResults(), items: [{ json: dialed.items[0].json }], credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		const [completed, pending] = run.outputs;
		expect(completed).toEqual([]);
		expect(pending.map((item) => [item.json.customuuid, item.json.resultStatus, item.pairedItem])).toEqual([['crm-7', 'pending', { item: 0 }]]);
	});

	test('a record whose answer time is a zero date ("0000-00-00 00:00:00") is not answered', async () => {
		sim = await withSimulator();
		sim.addCallRecords([{ customuuid: 'zero-1', destnumber: '13900000621', answertime: '0000-00-00 00:00:00', billsec: 0, hangupcause: 10016 }]);
		const run = await runNode({ parameters: getResults(), items: [{ json: { customuuid: 'zero-1', destnumber: '13900000621' } }], credentials: tokenCredentials(sim) });
		const [completed] = run.outputs;
		expect(completed.map((item) => [item.json.resultStatus, item.json.answered, item.json.answertime, item.json.hangupCauseName])).toEqual([['notAnswered', false, null, 'no answer']]);
	});

	test('a redialed row that n8n resumed by its own timer (a restart) gets its latest call\'s record, not its first', async () => {
		sim = await withSimulator({ speed: 1000, dropCallbacks: true });
		sim.scriptCallee('13900000631', [BEHAVIOURS.busy, BEHAVIOURS.pressKey('2')]);
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({
				operation: 'playVoiceMenuAndWait',
				destinationNumber: '={{ $json.phone }}',
				additionalFields: { customData: '={{ $json.ref }}' },
				waitLimit: 4,
				options: { callsPerSecond: 0 },
				waitOptions: { redial: { settings: { on: ['busy', 'noAnswer'], maxCalls: 3, minutesBetween: 0.1 } } },
			}),
			items: [{ json: { phone: '13900000631', ref: 'crm-31' } }],
			credentials: tokenCredentials(sim),
		});
		const [, redial] = await sim.requestsArrived('App.Sip_Call.PlayVoice', 2);
		// n8n restarts: the sweeps stop, and n8n's timer passes the row on as it was kept.
		await waiting!.expire();
		const [waited] = waiting!.output()!;
		expect(waited.json).toMatchObject({ resultStatus: 'timedOut', customuuid: 'crm-31' });
		expect(waited.json.waitRedialReferences).toHaveLength(2);
		await callsEnded();

		const run = await runNode({ parameters: getResults(), items: [{ json: waited.json }], credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		const [completed, pending] = run.outputs;
		expect(completed.map((item) => [item.json.customuuid, item.json.resultStatus, item.json.keyPressed, item.json.cdrId])).toEqual([
			['crm-31', 'answered', '2', recordIdOf('13900000631', redial.fields.customuuid)],
		]);
		expect(pending).toEqual([]);
		for (const field of ['waitCallHash', 'waitRedialReferences']) expect(completed[0].json).not.toHaveProperty(field);
	}, 60_000);
});
