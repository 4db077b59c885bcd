/**
 * Call and wait at a campaign's size, and whatever happens to the callbacks: the waiting execution
 * reads its results from the platform's call records, so every call with a record gets its result,
 * once, long before the limit, with or without callbacks or triggers, and when the platform cuts
 * customuuid short.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sim: Simulator;
let waiting: WaitingExecution;
afterEach(async () => {
	await waiting?.stop();
	await sim?.stop();
});

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);
const phoneOf = (index: number) => `1390003${String(index).padStart(4, '0')}`;

async function simulatorAndRows(rowCount: number, simulatorOptions: IDataObject = {}) {
	sim = await withSimulator({ speed: 1000, ...simulatorOptions });
	return Array.from({ length: rowCount }, (_, index) => ({ phone: phoneOf(index), ref: `row-${index}` }));
}

async function startWaiting(rows: Array<{ phone: string; ref: string }>, waitLimit: number) {
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			waitLimit,
			options: { callsPerSecond: 0, maxInFlight: 8 },
		}),
		items: rows.map((row) => ({ json: row })),
		credentials: tokenCredentials(sim),
	});
}

test('1,000 rows, 95% of CDR callbacks lost: every row gets its result from the platform\'s records long before the limit, once, in a few look-ups', async () => {
	const rows = await simulatorAndRows(1000);
	for (const [index, row] of rows.entries()) if (index % 20 !== 0) sim.scriptCallee(row.phone, BEHAVIOURS.cdrCallbackLost);
	await startWaiting(rows, 10);
	// Not at the 10-minute limit (the test's own 2-minute timeout would fail first).
	await waiting.finished();
	const items = json(waiting.output());
	expect(items.map((item) => item.customuuid)).toEqual(rows.map((row) => row.ref));
	expect(waiting.output()!.map((item) => (item.pairedItem as { item: number }).item)).toEqual(rows.map((_, index) => index));
	expect(items.filter((item) => item.timedOut !== false)).toEqual([]);
	// Each row has its own call's record: no record given to two rows, none to the wrong one.
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(items.map((item) => item.cdrId)).toEqual(rows.map((row) => records.get(row.phone)));
	expect(new Set(items.map((item) => item.cdrId)).size).toBe(1000);
	// A 1,000-row batch costs a few look-ups, not one per row.
	expect(requestsOf(sim, 'App.Sip_Cdr.GetBill').length).toBeLessThanOrEqual(10);
}, 120_000);

test('no callback at all: every call with a record has its result, the one without comes out timed out at the limit', async () => {
	const rows = await simulatorAndRows(5, { dropCallbacks: true });
	sim.scriptCallee(rows[4].phone, BEHAVIOURS.noRecord);
	await startWaiting(rows, 0.05);
	await waiting.finished();
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(json(waiting.output()).map((item) => [item.customuuid, item.timedOut, item.cdrId])).toEqual([
		...rows.slice(0, 4).map((row) => [row.ref, false, records.get(row.phone)]),
		['row-4', true, undefined],
	]);
	// The limit (3 s) came before the first regular sweep (5 s): one look-up, at the limit.
	expect(waiting.resumeRequests()).toBe(1);
}, 60_000);

test('a platform that cuts customuuid to 32 characters loses nothing: the reference is 22', async () => {
	const rows = await simulatorAndRows(3, { customuuidMaxLength: 32 });
	await startWaiting(rows, 10);
	const sent = sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.customuuid);
	expect(sent.every((customuuid: string) => customuuid.length === 22)).toBe(true);
	await waiting.finished();
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(json(waiting.output()).map((item) => [item.customuuid, item.timedOut, item.cdrId])).toEqual(
		rows.map((row) => [row.ref, false, records.get(row.phone)]),
	);
}, 60_000);
