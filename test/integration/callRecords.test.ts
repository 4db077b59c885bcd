/**
 * Call Record → Get Many against the simulator over real HTTP: the fields on the wire, paging
 * across 2,500 records, items shaped as the trigger's CDRs, and per-item errors.
 */
import { normalizeCdr } from '../../nodes/shared/callbacks/normalizeCallback';
import { requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const GET_BILL = 'App.Sip_Cdr.GetBill';
let sim: Simulator;
afterEach(async () => await sim?.stop());

const getMany = (overrides: Record<string, unknown> = {}) => ({
	resource: 'callRecord',
	operation: 'getMany',
	startTime: '2026-11-20T09:00:00',
	endTime: '2026-11-20T12:00:00',
	returnAll: true,
	...overrides,
});

const at = (i: number) => `2026-11-20 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;

test('Return All reads 2,500 records in pages of 1,000, each once, as the trigger normalizes them', async () => {
	sim = await withSimulator();
	sim.addCallRecords(Array.from({ length: 2500 }, (_, i) => ({ destnumber: `1390000${String(i).padStart(4, '0')}`, starttime: at(i), hangupcause: 10006 })));
	const run = await runNode({ parameters: getMany(), credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(2500);
	expect(new Set(run.items.map((item) => item.json.id)).size).toBe(2500);
	const sent = requestsOf(sim, GET_BILL).map((request) => request.fields);
	expect(sent.map((fields) => [fields.currentpage, fields.itemsperpage])).toEqual([['1', '1000'], ['2', '1000'], ['3', '1000']]);
	expect(sent[0]).toMatchObject({ starttime: '2026-11-20 09:00:00', endtime: '2026-11-20 12:00:00', syncflag: '3', callmethod: '0', direction: '3' });
	const first = sim.callRecords().find((record: { id: number }) => record.id === run.items[0].json.id);
	expect(run.items[0].json).toEqual(normalizeCdr(first, 'Asia/Shanghai'));
	expect(run.items[0].json).toMatchObject({ event: 'callEnded', hangupcause: 10006, hangupCauseName: 'busy', answered: false });
	expect(run.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
});

test('the filters, the limit and the platform time zone reach the wire', async () => {
	sim = await withSimulator();
	sim.addCallRecords(Array.from({ length: 30 }, (_, i) => ({ starttime: at(i), customuuid: i % 2 ? 'crm-odd' : 'crm-even', extnumber: '8001' })));
	const run = await runNode({
		parameters: getMany({
			returnAll: false,
			limit: 5,
			startTime: '2026-11-20T01:00:00Z',
			endTime: '2026-11-20T04:00:00Z',
			filters: { direction: 'outbound', callMethod: 6, destinationNumber: '13800000000', extensions: '8001, 8002', customData: 'crm-odd', userId: 'u1', memberId: 'm1' },
			recordOptions: { timeZone: 'Asia/Tokyo' },
		}),
		credentials: tokenCredentials(sim),
	});
	const [fields] = requestsOf(sim, GET_BILL).map((request) => request.fields);
	expect(fields).toMatchObject({
		starttime: '2026-11-20 10:00:00', endtime: '2026-11-20 13:00:00', direction: '2', callmethod: '6', itemsperpage: '5', currentpage: '1',
		destnumber: '13800000000', extnumber: '8001, 8002', customuuid: 'crm-odd', userid: 'u1', memberid: 'm1', syncflag: '3',
	});
	expect(run.items).toHaveLength(0); // userid/memberid match nothing the simulator keeps
	const limited = await runNode({ parameters: getMany({ returnAll: false, limit: 5, filters: { customData: 'crm-odd' } }), credentials: tokenCredentials(sim) });
	expect(limited.items.map((item) => item.json.customuuid)).toEqual(Array(5).fill('crm-odd'));
});

test('the default window is the last 24 hours; "Only Records Not Fetched Before" sends syncflag 1', async () => {
	sim = await withSimulator();
	sim.addCallRecords([{ starttime: '2020-01-01 00:00:00' }, {}]);
	const run = await runNode({ parameters: getMany({ startTime: '', endTime: '', recordOptions: { onlyNotFetchedBefore: true } }), credentials: tokenCredentials(sim) });
	expect(run.items).toHaveLength(1);
	const [fields] = requestsOf(sim, GET_BILL).map((request) => request.fields);
	expect(fields.syncflag).toBe('1');
	const span = Date.parse(fields.endtime.replace(' ', 'T') + '+08:00') - Date.parse(fields.starttime.replace(' ', 'T') + '+08:00');
	expect(span).toBe(24 * 3600 * 1000);
	const again = await runNode({ parameters: getMany({ startTime: '', endTime: '', recordOptions: { onlyNotFetchedBefore: true } }), credentials: tokenCredentials(sim) });
	expect(again.items).toHaveLength(0);
});

test('per input item, paired; a bad window fails its item only, with Continue On Fail', async () => {
	sim = await withSimulator();
	sim.addCallRecords([{ starttime: '2026-11-20 10:00:00', customuuid: 'a' }, { starttime: '2026-11-20 10:00:01', customuuid: 'b' }]);
	const run = await runNode({
		parameters: getMany({ filters: { customData: '={{ $json.uuid }}' }, startTime: '={{ $json.start }}' }),
		items: [{ json: { uuid: 'b', start: '2026-11-20T09:00:00' } }, { json: { uuid: 'a', start: 'yesterday-ish' } }, { json: { uuid: 'a', start: '2026-11-20T09:00:00' } }],
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(run.items.map((item) => [item.json.customuuid ?? item.json.error, item.pairedItem])).toEqual([
		['b', { item: 0 }],
		['Start Time is not a date and time', { item: 1 }],
		['a', { item: 2 }],
	]);
});
