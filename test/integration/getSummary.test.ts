/**
 * Call Record → Get Summary against the simulator over real HTTP: real calls whose callees behave
 * by the number's last digit, counted from the simulator's own records (a time window) or from a
 * list's rows (looked up, or already carrying their result); the expected numbers are worked out
 * here from the records the simulator wrote, read apart from the node.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';
import { formatZonedDateTime } from '../../nodes/shared/zonedTime';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

const GET_BILL = 'App.Sip_Cdr.GetBill';
let sim: Simulator;
afterEach(async () => await sim?.stop());

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function callsEnded(): Promise<void> {
	const endsAtMs = Math.max(...sim.record.calls.map((call: { endsAtMs: number }) => call.endsAtMs));
	await sleep(Math.max(0, endsAtMs - Date.now()) + 100);
}

const getSummary = (overrides: Record<string, unknown> = {}) => ({ resource: 'callRecord', operation: 'getSummary', ...overrides });

type SimRecord = Record<string, string | number>;

/** What the summary must say about these records, worked out from the platform's raw fields. */
function expectedFrom(records: SimRecord[]) {
	const answered = records.filter((record) => record.answertime !== '' || Number(record.billsec) > 0);
	const talk = answered.map((record) => Number(record.billsec)).sort((a, b) => a - b);
	const middle = Math.floor(talk.length / 2);
	const byKey: Record<string, number> = {};
	for (const record of answered) byKey[String(record.userkey) || 'none'] = (byKey[String(record.userkey) || 'none'] ?? 0) + 1;
	return {
		calls: records.length,
		answered: answered.length,
		notAnswered: records.length - answered.length,
		byKeyPressed: byKey,
		transferredToAgent: answered.filter((record) => record.extnumber !== '').length,
		talkTimeSeconds: {
			total: talk.reduce((sum, seconds) => sum + seconds, 0),
			median: talk.length % 2 ? talk[middle] : (talk[middle - 1] + talk[middle]) / 2,
		},
	};
}

/** Dials one call per number (transfer key 1 → extGroup-1) and waits until every call has ended. */
async function dial(rows: Array<{ phone: string; ref: string; voice?: string }>): Promise<INodeExecutionData[]> {
	const dialed = await runNode({
		parameters: playVoiceMenu({
			destinationNumber: '={{ $json.phone }}',
			voiceFile: '={{ $json.voice ?? "welcome.wav" }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			options: { callsPerSecond: 0, maxInFlight: 8 },
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	await callsEnded();
	return dialed.items.map((item) => ({ json: item.json }));
}

// Last digit: 1 presses 1 (the transfer key: put through to an agent), 2 presses 2, 0 never
// answers, 9 busy, 8 answers and presses nothing, 7 hangs up during the voice.
const CAMPAIGN = ['13900000401', '13900000411', '13900000402', '13900000400', '13900000409', '13900000408', '13900000407'].map((phone, i) => ({ phone, ref: `camp-${i}` }));

test('Calls in a Time Window: the simulator\'s records of real calls, counted; hang-up causes in words, unknown codes by number', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	await dial(CAMPAIGN);
	// One record the vendor's table has no cause for, outside any call this test placed.
	sim.addCallRecords([{ customuuid: 'odd-cause', hangupcause: 10099, hangupdirection: 10041 }]);

	const run = await runNode({ parameters: getSummary({ summarise: 'timeWindow', startTime: '', endTime: '' }), credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	const summary = run.items[0].json;
	const records: SimRecord[] = sim.callRecords();
	expect(records).toHaveLength(8);
	const expected = expectedFrom(records);
	expect(summary).toMatchObject({ summarised: 'timeWindow', ...expected, talkTimeSeconds: expect.objectContaining(expected.talkTimeSeconds) });
	// The callees' own scripts: five answer (two press 1, one presses 2, two press nothing), two do not, plus the added unanswered record.
	expect(summary).toMatchObject({ calls: 8, answered: 5, notAnswered: 3, answerRate: 0.625, transferredToAgent: 2 });
	expect(summary.byKeyPressed).toEqual({ '1': 2, '2': 1, none: 2 });
	expect(summary.byHangupCause).toEqual({ 'normal clearing': 5, 'no answer': 1, busy: 1, '10099': 1 });
	expect(summary.byHangupDirection).toEqual({ 'callee hung up': 4, 'caller hung up': 4 });
	expect((summary.talkTimeSeconds as { average: number }).average).toBeCloseTo(expected.talkTimeSeconds.total / 5, 1);
	expect(summary.window).toEqual({ from: expect.stringMatching(/\+08:00$/), to: expect.stringMatching(/\+08:00$/) });
	expect(run.items[0].pairedItem).toEqual([{ item: 0 }]);
	const [fields] = requestsOf(sim, GET_BILL).map((request) => request.fields);
	expect(fields).toMatchObject({ syncflag: '3', callmethod: '0', itemsperpage: '1000' });
});

test('the window\'s filters reach the wire and narrow the count; no calls: zero counts, no answer rate', async () => {
	sim = await withSimulator();
	sim.addCallRecords([
		{ starttime: '2026-11-20 10:00:00', extnumber: '8001', answertime: '2026-11-20 10:00:05', billsec: 30, userkey: '1' },
		{ starttime: '2026-11-20 10:01:00', extnumber: '8002', answertime: '2026-11-20 10:01:05', billsec: 10, userkey: '2' },
		{ starttime: '2026-11-20 10:02:00', extnumber: '8001', hangupcause: 10006 },
		{ starttime: '2026-11-20 13:00:00', extnumber: '8001', answertime: '2026-11-20 13:00:05', billsec: 99 },
	]);
	const run = await runNode({
		parameters: getSummary({ summarise: 'timeWindow', startTime: '2026-11-20T09:00:00', endTime: '2026-11-20T12:00:00', filters: { extensions: '8001', callMethod: 6 } }),
		credentials: tokenCredentials(sim),
	});
	expect(run.items[0].json).toMatchObject({
		window: { from: '2026-11-20T09:00:00+08:00', to: '2026-11-20T12:00:00+08:00' },
		calls: 2, answered: 1, notAnswered: 1, answerRate: 0.5,
		byKeyPressed: { '1': 1 }, byHangupCause: { 'normal clearing': 1, busy: 1 },
		talkTimeSeconds: { total: 30, average: 30, median: 30 },
	});
	expect(requestsOf(sim, GET_BILL)[0].fields).toMatchObject({ starttime: '2026-11-20 09:00:00', endtime: '2026-11-20 12:00:00', extnumber: '8001', callmethod: '6' });

	const empty = await runNode({ parameters: getSummary({ summarise: 'timeWindow', startTime: '2020-01-01T00:00:00', endTime: '2020-01-02T00:00:00' }), credentials: tokenCredentials(sim) });
	expect(empty.items[0].json).toMatchObject({ calls: 0, answered: 0, notAnswered: 0, answerRate: null, byKeyPressed: {}, talkTimeSeconds: { total: 0, average: null, median: null } });
});

test('Rows of This List: one item for all rows; refused rows are not placed, a call without a record yet is pending, not unanswered', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	sim.scriptCallee('13900000405', BEHAVIOURS.noRecord);
	// Calls outside the list are in the same records: they must not be counted.
	await dial([{ phone: '13900000499', ref: 'not-in-list' }]);
	const rows = [...CAMPAIGN, { phone: '13900000405', ref: 'camp-no-record' }, { phone: '13900000403', ref: 'camp-refused', voice: 'missing.wav' }];
	const dialed = await dial(rows);
	expect(dialed.map((item) => item.json.accepted)).toEqual([true, true, true, true, true, true, true, true, false]);

	const run = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items: dialed, credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(1);
	const summary = run.items[0].json;
	const ofList = (sim.callRecords() as SimRecord[]).filter((record) => String(record.customuuid).startsWith('camp-'));
	expect(ofList).toHaveLength(7);
	const expected = expectedFrom(ofList);
	expect(summary).toMatchObject({ summarised: 'listRows', listSize: 9, pending: 1, notPlaced: 1, ...expected, talkTimeSeconds: expect.objectContaining(expected.talkTimeSeconds) });
	expect(summary).toMatchObject({ calls: 7, answered: 5, notAnswered: 2, answerRate: 0.714, byKeyPressed: { '1': 2, '2': 1, none: 2 } });
	expect(summary.byHangupCause).toEqual({ 'normal clearing': 5, 'no answer': 1, busy: 1 });
	expect(summary).not.toHaveProperty('window');
	expect(run.items[0].pairedItem).toEqual(dialed.map((_, item) => ({ item })));
	expect(requestsOf(sim, GET_BILL)).toHaveLength(1);

	// The same rows as Get Results puts them out (each carrying its record) give the same summary, without a look-up.
	const results = await runNode({ parameters: { resource: 'call', operation: 'getResults' }, items: dialed, credentials: tokenCredentials(sim) });
	const [completed, pending] = results.outputs;
	const again = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items: [...completed, ...pending].map((item) => ({ json: item.json })), credentials: tokenCredentials(sim) });
	expect(again.items[0].json).toEqual(summary);
	expect(requestsOf(sim, GET_BILL)).toHaveLength(3); // Get Results' sweep, then one for the pending row only
});

test('a bad window, time zone or look back is refused naming the field; with Continue On Fail, one error item', async () => {
	sim = await withSimulator();
	const swapped = await runNode({ parameters: getSummary({ summarise: 'timeWindow', startTime: '2026-11-20T12:00:00', endTime: '2026-11-20T09:00:00' }), credentials: tokenCredentials(sim) });
	expect(swapped.error?.message).toBe('Start Time is after End Time');
	const notADate = await runNode({ parameters: getSummary({ summarise: 'timeWindow', endTime: 'next tuesday' }), credentials: tokenCredentials(sim), continueOnFail: true });
	expect(notADate.items.map((item) => [item.json.error, item.pairedItem])).toEqual([['End Time is not a date and time', { item: 0 }]]);
	const zone = await runNode({ parameters: getSummary({ summaryOptions: { timeZone: 'Mars/Olympus' } }), credentials: tokenCredentials(sim) });
	expect(zone.error?.message).toMatch(/Platform Time Zone/);
	const lookBack = await runNode({ parameters: getSummary({ summarise: 'listRows', summaryOptions: { lookBackHours: 0 } }), items: [{ json: { customuuid: 'a' } }], credentials: tokenCredentials(sim) });
	expect(lookBack.error?.message).toMatch(/^Look Back must be/);
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);
});

test('list rows: a row without customuuid stops the node before any request, or with Continue On Fail is counted apart; a refused look-up is an error in words', async () => {
	sim = await withSimulator();
	sim.addCallRecords([{ customuuid: 'a', answertime: '2026-11-20 10:00:05', billsec: 12, userkey: '3' }]);
	const items = [{ json: { customuuid: 'a' } }, { json: { destnumber: '13900000001' } }];
	const stopped = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items, credentials: tokenCredentials(sim) });
	expect(stopped.error?.message).toBe('This row has no customuuid to look its call up by');
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);

	const counted = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items, credentials: tokenCredentials(sim), continueOnFail: true });
	expect(counted.items.map((item) => item.json)).toEqual([expect.objectContaining({ listSize: 2, calls: 1, answered: 1, withoutCustomuuid: 1, pending: 0, byKeyPressed: { '3': 1 } })]);

	sim.injectFault({ kind: 'ret', ret: 604, msg: 'IP未授权', service: GET_BILL });
	const refused = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items: [{ json: { customuuid: 'a' } }], credentials: tokenCredentials(sim), continueOnFail: true });
	expect(refused.items.map((item) => [item.json.error, item.pairedItem])).toEqual([['The platform answered ret 604: IP未授权', { item: 0 }]]);
	expect(JSON.stringify(refused.items)).not.toContain('ABCDEFG');
});

test('Rows of This List: rows sharing a Custom Data (one customer, two numbers) count each call once; an earlier call of that Custom Data is not counted', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	// The same CRM ID called at the first number an hour ago, answered: not a call of this list.
	const anHourAgo = formatZonedDateTime(Date.now() - 3600_000, 'Asia/Shanghai');
	sim.addCallRecords([{ customuuid: 'crm-9', destnumber: '13900000421', starttime: anHourAgo, answertime: anHourAgo, billsec: 40, userkey: '1' }]);
	// 1 presses 1; 0 never answers (its record is written last).
	const dialed = await dial([{ phone: '13900000421', ref: 'crm-9' }, { phone: '13900000420', ref: 'crm-9' }]);

	const run = await runNode({ parameters: getSummary({ summarise: 'listRows' }), items: dialed, credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	const ofList = (sim.callRecords() as SimRecord[]).filter((record) => record.starttime !== anHourAgo);
	expect(ofList.map((record) => record.destnumber).sort()).toEqual(['13900000420', '13900000421']);
	const expected = expectedFrom(ofList);
	expect(run.items[0].json).toMatchObject({ listSize: 2, pending: 0, notPlaced: 0, ...expected, talkTimeSeconds: expect.objectContaining(expected.talkTimeSeconds) });
	expect(run.items[0].json).toMatchObject({ calls: 2, answered: 1, notAnswered: 1, byKeyPressed: { '1': 1 }, byHangupCause: { 'normal clearing': 1, 'no answer': 1 } });
});
