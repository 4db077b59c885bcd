/**
 * "Play Voice Menu and Wait for Result" on an account as real ones are: thousands of other calls'
 * records in every window, pages that take seconds, many executions waiting at once, and n8n
 * answering some requests itself. In process (n8n-core, the harness's waiting execution over real
 * HTTP) against the simulator's busy-account mode.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sims: Simulator[] = [];
let waits: WaitingExecution[] = [];
afterEach(async () => {
	for (const waiting of waits) await waiting.stop();
	for (const sim of sims) await sim.stop();
	sims = [];
	waits = [];
});

async function simulator(options: IDataObject): Promise<Simulator> {
	const sim = await withSimulator({ speed: 1000, ...options });
	sims.push(sim);
	return sim;
}

async function waitOn(sim: Simulator, phones: string[], parameters: IDataObject = {}): Promise<WaitingExecution> {
	const waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 1, options: { callsPerSecond: 0 }, ...parameters }),
		items: phones.map((phone) => ({ json: { phone } })),
		credentials: tokenCredentials(sim),
	});
	waits.push(waiting);
	return waiting;
}

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);
type Request = { at: number; fields: Record<string, string> };
const getBills = (sim: Simulator): Request[] => sim.requestsFor('App.Sip_Cdr.GetBill');

test('9,000 other calls in the window and 1.5 s a page: every row gets its record before the limit; the window is read once, then only forward', async () => {
	const sim = await simulator({ busyAccount: { otherRecords: 9000, otherRecordsPerSecond: 5, pageDelayMs: 1500 } });
	const waiting = await waitOn(sim, ['13900003001', '13900003008', '13900003000']);
	await waiting.finished();
	// The harness never fires n8n's timer: the execution went on because the results were sent.
	expect(json(waiting.output()).map((row) => [row.destnumber, row.resultStatus, row.keyPressed])).toEqual([
		['13900003001', 'answered', '1'],
		['13900003008', 'answered', null],
		['13900003000', 'notAnswered', null],
	]);
	const pages = getBills(sim).map((request) => Number(request.fields.currentpage));
	// eslint-disable-next-line no-console
	console.log(`busy account: ${pages.length} GetBill requests, pages ${pages.join(',')}`);
	expect(pages.filter((page) => page === 1)).toHaveLength(1);
	expect(Math.max(...pages)).toBeGreaterThanOrEqual(10);
}, 90000);

test('ten executions waiting on one account share one reader: no more GetBill requests than one execution alone makes', async () => {
	// Records are written 20 s after each call ends, so every execution waits about that long.
	const alone = await simulator({ recordDelayMs: 20_000 });
	const together = await simulator({ recordDelayMs: 20_000 });
	const [one, ...ten] = await Promise.all([
		waitOn(alone, ['13900004001']),
		...Array.from({ length: 10 }, async (_, index) => await waitOn(together, [`139000041${String(index).padStart(2, '0')}`])),
	]);
	await Promise.all([one, ...ten].map(async (waiting) => await waiting.finished()));
	for (const waiting of [one, ...ten]) expect(json(waiting.output())[0]).toMatchObject({ timedOut: false });
	const [byOne, byTen] = [getBills(alone).length, getBills(together).length];
	// eslint-disable-next-line no-console
	console.log(`GetBill requests: 1 waiting execution ${byOne}, 10 waiting executions ${byTen}`);
	expect(byTen).toBeLessThanOrEqual(byOne + 2);
	// At most one request in flight per account: none starts before the one before it was answered.
	const starts = getBills(together).map((request) => request.at);
	expect(starts).toEqual([...starts].sort((a, b) => a - b));
}, 90000);

describe('Redial Who Missed on a busy n8n', () => {
	const redial = { waitOptions: { redial: { settings: { on: ['busy'], maxCalls: 3, minutesBetween: 0.1 } } }, waitLimit: 4 };

	test('n8n answering 503 itself when a redial is due: the redial waits and goes out once, and the row counts only calls placed', async () => {
		const sim = await simulator({});
		sim.scriptCallee('13900005001', [BEHAVIOURS.busy, BEHAVIOURS.pressKey('1')]);
		const waiting = await waitOn(sim, ['13900005001'], redial);
		waiting.answerNextWith(503, { code: 503, message: 'Database is not ready!' }, 3);
		await waiting.finished();
		expect(sim.callsTo('13900005001')).toBe(2);
		const [row] = json(waiting.output());
		expect(row).toMatchObject({ resultStatus: 'answered', keyPressed: '1', callsPlaced: 2 });
		expect((row.callResults as IDataObject[]).map((call) => call.resultStatus)).toEqual(['notAnswered', 'answered']);
	}, 60000);

	test('a stopped execution rings nobody again: the redial due after the stop is not placed', async () => {
		const sim = await simulator({});
		sim.scriptCallee('13900005002', BEHAVIOURS.busy);
		const waiting = await waitOn(sim, ['13900005002'], redial);
		waiting.cancel();
		// The pause between calls is 6 s: the redial would be due well within this.
		await new Promise((resolve) => setTimeout(resolve, 12_000));
		expect(sim.callsTo('13900005002')).toBe(1);
	}, 30000);
});
