/**
 * The SIP Call Record Trigger in process: its `poll` through n8n-core's PollContext against the
 * simulator's GetBill over real HTTP, with static data persisted as n8n persists it (after the
 * activation poll and after each emit) and restarts that reload it through JSON.
 */
import type { IDataObject } from 'n8n-workflow';

import { requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startPoller } from '../harness/pollTrigger';
import { normalizeCdr } from '../../nodes/shared/callbacks/normalizeCallback';
import { newCallReference } from '../../nodes/shared/waitReference';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localTime } = require('../simulator/callLifecycle');

let sim: Simulator;
afterEach(async () => await sim?.stop());

const ids = (items: IDataObject[]) => items.map((item) => Number(item.id));
const GET_BILL = 'App.Sip_Cdr.GetBill';

/** A finished call: dialed `dialedAgoMs` before now, ended `endedAgoMs` before now. */
function call(destnumber: string, dialedAgoMs: number, endedAgoMs = 0, extra: IDataObject = {}): IDataObject {
	const [start, end] = [Date.now() - dialedAgoMs, Date.now() - endedAgoMs];
	return { destnumber, starttime: localTime(start), answertime: localTime(start + 5000), endtime: localTime(end), billsec: Math.round((end - start) / 1000) - 5, ...extra };
}

async function started(parameters: IDataObject = {}) {
	sim = await withSimulator();
	return startPoller({ parameters: { output: 'single', ...parameters }, credentials: tokenCredentials(sim) });
}

test('first activation emits nothing of history, then each new record once', async () => {
	const poller = await started();
	sim.addCallRecords([call('13900000001', 20 * 60_000, 19 * 60_000), call('13900000002', 10 * 60_000, 9 * 60_000)]);
	expect(await poller.poll()).toBeNull();
	expect(await poller.poll()).toBeNull();

	// A call that ended before activation but whose record the platform writes only now is history too.
	sim.addCallRecords([call('13900000003', 15 * 60_000, 14 * 60_000)]);
	sim.addCallRecords([call('13900000004', 40_000, 10_000)], { visibleAtMs: Date.now() + 1500 });
	expect(await poller.poll()).toBeNull();
	await new Promise((resolve) => setTimeout(resolve, 1600));
	// A call dialed before activation that ends after it is emitted.
	sim.addCallRecords([call('13900000005', 60_000, -2000)]);
	const emitted = (await poller.poll())?.[0].map((item) => item.json) ?? [];
	expect(emitted.map((item) => item.destnumber)).toEqual(['13900000005']);
	expect(await poller.poll()).toBeNull();
	// The default sweep asks for every record (syncflag 3), so other readers of the account still get them.
	expect(new Set(requestsOf(sim, GET_BILL).map((request) => request.fields.syncflag))).toEqual(new Set(['3']));
});

test('overlapping polls and restarts emit each record once, including one written late', async () => {
	const poller = await started();
	expect(await poller.poll()).toBeNull();
	sim.addCallRecords([call('13900000011', 3 * 60_000), call('13900000012', 2 * 60_000)]);
	expect(ids((await poller.poll())![0].map((item) => item.json))).toHaveLength(2);
	expect(await poller.poll()).toBeNull();

	// A call dialed ten minutes ago whose record the platform writes two seconds from now.
	sim.addCallRecords([call('13900000013', 10 * 60_000)], { visibleAtMs: Date.now() + 2000 });
	sim.addCallRecords([call('13900000014', 60_000)]);
	expect((await poller.poll())![0].map((item) => item.json.destnumber)).toEqual(['13900000014']);
	poller.restart();
	expect(await poller.poll()).toBeNull();
	await new Promise((resolve) => setTimeout(resolve, 2100));
	expect((await poller.poll())![0].map((item) => item.json.destnumber)).toEqual(['13900000013']);
	poller.restart();
	expect(await poller.poll()).toBeNull();
	expect(await poller.poll()).toBeNull();

	const every = poller.emitted.map((item) => String(item.destnumber));
	expect(every.sort()).toEqual(['13900000011', '13900000012', '13900000013', '13900000014']);
	// What the node remembers is what n8n's database holds, through JSON.
	const stored = poller.persisted()['node:SIP Call Record Trigger'] as IDataObject;
	expect(Object.keys((stored.callRecordPoll as IDataObject).seen as IDataObject)).toHaveLength(4);
});

test('records dialed while n8n was down beyond the look-back are still swept after a restart', async () => {
	const poller = await started({ options: { lookBackMinutes: 1 } });
	expect(await poller.poll()).toBeNull();
	// Pretend the last save was 30 minutes ago: n8n was down since.
	const persisted = poller.persisted();
	const state = (persisted['node:SIP Call Record Trigger'] as IDataObject).callRecordPoll as IDataObject;
	state.sweptUntilMs = Date.now() - 30 * 60_000;
	state.activatedAtMs = Date.now() - 40 * 60_000;
	const revived = startPoller({ parameters: { output: 'single', options: { lookBackMinutes: 1 } }, credentials: tokenCredentials(sim), staticData: persisted });
	sim.addCallRecords([call('13900000021', 20 * 60_000)]);
	expect((await revived.poll())![0].map((item) => item.json.destnumber)).toEqual(['13900000021']);
});

test('more than 1,000 new records come out once each, page by page', async () => {
	const poller = await started();
	expect(await poller.poll()).toBeNull();
	sim.addCallRecords(Array.from({ length: 2300 }, (_, i) => call(`1390${String(i).padStart(7, '0')}`, 5 * 60_000 - i * 10)));
	const items = (await poller.poll())![0].map((item) => item.json);
	expect(new Set(ids(items)).size).toBe(2300);
	expect(items).toHaveLength(2300);
	expect(requestsOf(sim, GET_BILL).filter((request) => request.fields.currentpage === '3')).toHaveLength(1);
	expect(await poller.poll()).toBeNull();
});

test('items are the SIP Call Trigger\'s callEnded items, routed by key', async () => {
	const poller = await started({ output: 'routeByKey', routedKeys: '1, 2' });
	expect(await poller.poll()).toBeNull();
	sim.addCallRecords([
		call('13900000031', 60_000, 0, { userkey: '2' }),
		call('13900000032', 60_000),
		call('13900000033', 60_000, 0, { answertime: '', billsec: 0 }),
	]);
	const outputs = (await poller.poll())!.map((items) => items.map((item) => item.json));
	expect(outputs.map((items) => items.map((item) => item.destnumber))).toEqual([[], ['13900000031'], ['13900000032'], ['13900000033'], []]);
	const record = sim.callRecords().find((cdr: IDataObject) => cdr.destnumber === '13900000031');
	expect(outputs[1][0]).toEqual(normalizeCdr(record, 'Asia/Shanghai'));
	expect(outputs[1][0]).toMatchObject({ event: 'callEnded', keyPressed: '2', answered: true });
});

test('filters reach GetBill; "Fetch Test Event" gives the newest record and changes no state', async () => {
	const poller = await started({ filters: { destinationNumber: '13900000042', direction: 'outbound' }, options: { onlyNotFetchedBefore: true } });
	sim.addCallRecords([call('13900000041', 3 * 60_000), call('13900000042', 2 * 60_000), call('13900000042', 60_000, 50_000)]);
	const sample = (await poller.poll('manual'))![0].map((item) => item.json);
	expect(sample).toHaveLength(1);
	expect(sample[0]).toMatchObject({ destnumber: '13900000042', billsec: 5 });
	expect(poller.persisted()).toEqual({});
	expect(await poller.poll()).toBeNull();
	const sweeps = requestsOf(sim, GET_BILL).slice(2);
	expect(sweeps[0].fields).toMatchObject({ destnumber: '13900000042', direction: '2', syncflag: '1' });
});

test('a wrong setting names the field', async () => {
	const poller = await started({ options: { timeZone: 'Mars/Olympus' } });
	await expect(poller.poll()).rejects.toThrow(/Platform Time Zone "Mars\/Olympus"/);
});

/** Only `Date` is faked: the simulator, HTTP and n8n-core keep their real timers. */
function controlClock(startMs: number): (ms: number) => void {
	jest.useFakeTimers({
		now: startMs,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	return (ms) => jest.setSystemTime(ms);
}

test('a record dialed in the same second as a later window\'s lower bound comes out once (minute polls)', async () => {
	// Polls every minute, each half a second past a whole second: poll k sweeps from poll k-2's time.
	const firstPollMs = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000 + 500;
	const setClock = controlClock(firstPollMs);
	try {
		const poller = await started({ options: { lookBackMinutes: 1 } });
		expect(await poller.poll()).toBeNull();
		// Dialed and ended in the second of the next poll, half a second before it.
		setClock(firstPollMs + 59_500);
		sim.addCallRecords([call('13900000051', 0, 0, { answertime: '', billsec: 0 })]);
		setClock(firstPollMs + 60_000);
		expect((await poller.poll())![0].map((item) => item.json.destnumber)).toEqual(['13900000051']);
		// The window of the third poll after that starts half a second after the dial time, in its second:
		// GetBill (whole seconds) still returns the record, and the node must still remember it.
		for (let k = 2; k <= 5; k++) {
			setClock(firstPollMs + k * 60_000);
			expect({ poll: k, emitted: await poller.poll() }).toEqual({ poll: k, emitted: null });
		}
		const windows = requestsOf(sim, GET_BILL).map((request) => request.fields.starttime);
		expect(windows[3]).toBe(localTime(firstPollMs + 59_500));
		expect(poller.emitted.map((item) => item.destnumber)).toEqual(['13900000051']);
	} finally {
		jest.useRealTimers();
	}
});

test('polls that overlap (a slow platform) emit each record once in all', async () => {
	const poller = await started();
	expect(await poller.poll()).toBeNull();
	sim.addCallRecords([call('13900000061', 3 * 60_000), call('13900000062', 2 * 60_000)]);
	// The first poll's GetBill is slow: the next scheduled poll starts while it is still waiting.
	sim.injectFault({ service: GET_BILL, kind: 'latency', delayMs: 300 });
	const [first, second] = await Promise.all([poller.poll(), poller.poll()]);
	const emittedBy = (answer: typeof first) => (answer ?? []).flat().map((item) => String(item.json.destnumber));
	expect([...emittedBy(first), ...emittedBy(second)].sort()).toEqual(['13900000061', '13900000062']);
	expect(await poller.poll()).toBeNull();

	// A poll that failed does not hold the next ones back.
	sim.injectFault({ service: GET_BILL, kind: 'status', status: 502 });
	await expect(poller.poll()).rejects.toThrow();
	sim.addCallRecords([call('13900000063', 60_000)]);
	expect(emittedBy(await poller.poll())).toEqual(['13900000063']);
	expect(poller.emitted.map((item) => String(item.destnumber)).sort()).toEqual(['13900000061', '13900000062', '13900000063']);
});

test('a running poll holds back only its own trigger: another workflow polls at the same time', async () => {
	const poller = await started();
	const other = startPoller({ parameters: { output: 'single' }, credentials: tokenCredentials(sim) });
	expect(await poller.poll()).toBeNull();
	expect(await other.poll()).toBeNull();
	sim.addCallRecords([call('13900000071', 60_000)]);
	sim.injectFault({ service: GET_BILL, kind: 'latency', delayMs: 300 });
	const answers = await Promise.all([poller.poll(), other.poll()]);
	expect(answers.map((answer) => answer?.[0].map((item) => item.json.destnumber))).toEqual([['13900000071'], ['13900000071']]);
});

test('records of calls an execution waits for are left out (that execution reads them itself), and come out when asked for', async () => {
	const { customuuid } = newCallReference();
	for (const includeWaitedCalls of [false, true]) {
		const poller = await started({ options: { includeWaitedCalls } });
		expect(await poller.poll()).toBeNull();
		sim.addCallRecords([call('13900000061', 60_000, 0, { customuuid }), call('13900000062', 60_000, 0, { customuuid: 'wangxiaoming2024' })]);
		const emitted = (await poller.poll())?.[0].map((item) => item.json) ?? [];
		expect(emitted.map((item) => [item.destnumber, item.customuuid])).toEqual([
			...(includeWaitedCalls ? [['13900000061', customuuid]] : []),
			['13900000062', 'wangxiaoming2024'],
		]);
		// After a restart nothing comes out again, the waited call's record included.
		poller.restart();
		expect(await poller.poll()).toBeNull();
		await sim.stop();
	}
});

test('a poller that sees only waited calls emits nothing, before or after a restart (finding 10 of #20)', async () => {
	const poller = await started();
	expect(await poller.poll()).toBeNull();
	sim.addCallRecords([call('13900000071', 60_000, 0, { customuuid: newCallReference().customuuid }), call('13900000072', 50_000, 0, { customuuid: newCallReference().customuuid })]);
	expect(await poller.poll()).toBeNull();
	poller.restart();
	expect(await poller.poll()).toBeNull();
	expect(await poller.poll()).toBeNull();
});
