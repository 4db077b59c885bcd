/** Paging call records out of the simulator over real HTTP: every record once, in few requests. */
import { FormData, request } from 'undici';

import type { IDataObject } from 'n8n-workflow';

import { fetchCallRecords, type CallRecordQuery } from '../../nodes/shared/platform/callRecordPages';
import { pruneSeen } from '../../nodes/SipCallRecordTrigger/pollState';
import { requestsOf, withSimulator, TOKEN, type Simulator } from '../harness/fixtures';

let sim: Simulator;
beforeEach(async () => {
	sim = await withSimulator();
	sim.addCallRecords(Array.from({ length: 2500 }, (_, i) => ({ destnumber: `1390000${String(i).padStart(4, '0')}`, starttime: '2026-11-20 10:00:00' })));
});
afterEach(async () => await sim.stop());

async function fetchResult(form: Record<string, string>): Promise<IDataObject> {
	const body = new FormData();
	for (const [name, value] of Object.entries({ ...form, token: TOKEN })) body.append(name, value);
	const answer = (await (await request(sim.url, { method: 'POST', body })).body.json()) as { ret: number; msg: string; data: IDataObject };
	if (answer.ret !== 200) throw new Error(`ret ${answer.ret}: ${answer.msg}`);
	return answer.data.result as IDataObject;
}

// 2026-11-20 09:00 to 11:00 in Beijing.
const query: CallRecordQuery = { fromMs: Date.UTC(2026, 10, 20, 1), toMs: Date.UTC(2026, 10, 20, 3), timeZone: 'Asia/Shanghai' };
const bills = () => requestsOf(sim, 'App.Sip_Cdr.GetBill');

test('Return All: 2,500 records in three pages of 1,000, each once, the window in the platform\'s time', async () => {
	const records = await fetchCallRecords(fetchResult, query);
	expect(records).toHaveLength(2500);
	expect(new Set(records.map((record) => record.id)).size).toBe(2500);
	expect(bills().map((entry) => [entry.fields.currentpage, entry.fields.itemsperpage, entry.fields.syncflag])).toEqual([
		['1', '1000', '3'],
		['2', '1000', '3'],
		['3', '1000', '3'],
	]);
	expect([bills()[0].fields.starttime, bills()[0].fields.endtime, bills()[0].fields.callmethod]).toEqual(['2026-11-20 09:00:00', '2026-11-20 11:00:00', '0']);
});

test('a limit stops early and keeps one page size', async () => {
	expect(await fetchCallRecords(fetchResult, query, 1200)).toHaveLength(1200);
	expect(bills().map((entry) => [entry.fields.currentpage, entry.fields.itemsperpage])).toEqual([['1', '1000'], ['2', '1000']]);
	expect(await fetchCallRecords(fetchResult, { ...query, destinationNumber: ' 13900000042 ' })).toEqual([expect.objectContaining({ destnumber: '13900000042' })]);
});

test('only records not fetched before: asks for page 1 until the platform has no more, then nothing the next time', async () => {
	const first = await fetchCallRecords(fetchResult, { ...query, onlyNotFetchedBefore: true });
	expect(first).toHaveLength(2500);
	expect(bills().every((entry) => entry.fields.currentpage === '1' && entry.fields.syncflag === '1')).toBe(true);
	expect(await fetchCallRecords(fetchResult, { ...query, onlyNotFetchedBefore: true })).toEqual([]);
});

test('only records not fetched before, with a limit: never asks for more than it keeps, so nothing is marked fetched and dropped', async () => {
	expect(await fetchCallRecords(fetchResult, { ...query, onlyNotFetchedBefore: true }, 1500)).toHaveLength(1500);
	expect(bills().map((entry) => entry.fields.itemsperpage)).toEqual(['1000', '500']);
	expect(await fetchCallRecords(fetchResult, { ...query, onlyNotFetchedBefore: true })).toHaveLength(1000);
});

test('the record trigger forgets an id only once GetBill stops returning it: the window starts at its whole second', async () => {
	// Every record was dialed at 10:00:00 in Beijing.
	const dialMs = Date.UTC(2026, 10, 20, 2);
	for (const fromMs of [dialMs - 1, dialMs, dialMs + 1, dialMs + 999, dialMs + 1000]) {
		const returned = (await fetchCallRecords(fetchResult, { ...query, fromMs }, 1)).length === 1;
		const remembered = 'record' in pruneSeen({ record: dialMs }, fromMs);
		expect({ fromMs, remembered }).toEqual({ fromMs, remembered: returned });
	}
});
