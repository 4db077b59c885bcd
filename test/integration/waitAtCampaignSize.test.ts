/**
 * Call and wait when the callbacks cannot be relied on: most CDR callbacks lost (as when a busy
 * n8n refuses them and the platform gives up), none at all, or a platform that cuts customuuid
 * short. The waiting execution looks the missing rows up in the platform's call records, so every
 * call with a record gets its result, once, without waiting for the limit when a trigger knows
 * the batch, and at the limit when nothing does.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sim: Simulator;
let trigger: TriggerServer | undefined;
let waiting: WaitingExecution;
afterEach(async () => {
	await trigger?.deactivate();
	await waiting?.stop();
	await trigger?.stop();
	await sim?.stop();
	trigger = undefined;
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

async function startTrigger() {
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
	});
	return trigger;
}

/** The CDR bodies the platform would have posted (sent or not), by destination number. */
function cdrBodies(): Map<string, IDataObject> {
	const bodies = new Map<string, IDataObject>();
	for (const call of sim.record.calls as Array<{ destnumber: string; events: Array<{ kind: string; body: IDataObject }> }>) {
		const cdr = call.events.find((event) => event.kind === 'cdr');
		if (cdr) bodies.set(call.destnumber, cdr.body);
	}
	return bodies;
}

test('1,000 rows, 95% of CDR callbacks lost: every row gets its result from the platform\'s records long before the limit, none given out twice, static data small', async () => {
	const rows = await simulatorAndRows(1000);
	for (const [index, row] of rows.entries()) if (index % 20 !== 0) sim.scriptCallee(row.phone, BEHAVIOURS.cdrCallbackLost);
	await startWaiting(rows, 10);
	const receiving = await startTrigger();
	const bodies = cdrBodies();
	// The 50 callbacks that do arrive, one after the other, as the platform sends them.
	for (const [index, row] of rows.entries()) {
		if (index % 20 === 0) expect((await postCallback(receiving.url, bodies.get(row.phone)!)).status).toBe(200);
	}
	// Not at the 10-minute limit (the test's own 2-minute timeout would fail first): the first
	// hand-over looked the others up.
	await waiting.finished();
	const items = json(waiting.output());
	expect(items.map((item) => item.customuuid)).toEqual(rows.map((row) => row.ref));
	expect(waiting.output()!.map((item) => (item.pairedItem as { item: number }).item)).toEqual(rows.map((_, index) => index));
	expect(items.filter((item) => item.timedOut !== false)).toEqual([]);
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(items.map((item) => item.cdrId)).toEqual(rows.map((row) => records.get(row.phone)));
	// Each call's result once: nothing came out of the trigger.
	expect(receiving.executions).toHaveLength(0);
	// A 1,000-row batch costs a few lookups, not one per row.
	expect(requestsOf(sim, 'App.Sip_Cdr.GetBill').length).toBeLessThanOrEqual(5);
	// What the trigger wrote to static data does not grow with the rows.
	expect(JSON.stringify(receiving.staticData).length).toBeLessThan(2000);
}, 120_000);

test('CDR callbacks retried after the execution went on with every result are not given out again', async () => {
	const rows = await simulatorAndRows(20);
	await startWaiting(rows, 10);
	const receiving = await startTrigger();
	const bodies = cdrBodies();
	// One callback arrives; the lookup it causes finds the other 19 records: the execution goes on.
	await postCallback(receiving.url, bodies.get(rows[0].phone)!);
	await waiting.finished();
	// The platform's callbacks for the other calls come late (retries), and once more each.
	for (const row of [...rows, ...rows]) expect((await postCallback(receiving.url, bodies.get(row.phone)!)).status).toBe(200);
	expect(json(waiting.output()).filter((item) => item.timedOut !== false)).toEqual([]);
	expect(receiving.executions).toHaveLength(0);
}, 60_000);

test('no callback at all and no trigger: at the limit the dialing process asks its execution to look, and every call with a record has its result', async () => {
	const rows = await simulatorAndRows(5, { dropCallbacks: true });
	sim.scriptCallee(rows[4].phone, BEHAVIOURS.noRecord);
	await startWaiting(rows, 0.05);
	await waiting.finished();
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(json(waiting.output()).map((item) => [item.customuuid, item.timedOut, item.cdrId])).toEqual([
		...rows.slice(0, 4).map((row) => [row.ref, false, records.get(row.phone)]),
		['row-4', true, undefined],
	]);
	expect(waiting.handOvers()).toBe(1);
}, 60_000);

test('a platform that cuts customuuid to 32 characters: the trigger says so on each CDR, and the execution finds every result by its call records', async () => {
	const rows = await simulatorAndRows(3, { customuuidMaxLength: 32 });
	await startWaiting(rows, 0.05);
	const sent = sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.customuuid);
	expect(sent.every((customuuid: string) => customuuid.length >= 55)).toBe(true);
	const receiving = await startTrigger();
	for (const body of cdrBodies().values()) {
		expect(String(body.customuuid)).toHaveLength(32);
		expect((await postCallback(receiving.url, body)).status).toBe(200);
	}
	const emitted = receiving.executions.flat(2).map((item) => item.json);
	expect(emitted).toHaveLength(3);
	for (const item of emitted) {
		expect(item.waitReferenceCut).toMatch(/\(32 characters\) looks like a wait reference the platform cut .* 55 to 64/);
		// What is left of the reference holds half the resume token: it stays out of the item.
		expect(item.customuuid).toBeNull();
		expect(JSON.stringify(item)).not.toContain(String(sent[0]).slice(11, 32));
	}
	// No trigger can hand a cut reference over: the dialing process's request at the limit finds them.
	await waiting.finished();
	const records = new Map(sim.callRecords().map((record: IDataObject) => [record.destnumber, record.id]));
	expect(json(waiting.output()).map((item) => [item.customuuid, item.timedOut, item.cdrId])).toEqual(
		rows.map((row) => [row.ref, false, records.get(row.phone)]),
	);
}, 60_000);
