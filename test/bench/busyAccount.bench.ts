/**
 * Call and wait on an account as real ones are (issue 30), in process (n8n-core, the harness's
 * waiting executions over real HTTP) against the simulator's busy-account mode:
 * 1. many executions waiting at once on one account: GetBill requests per minute beside the number
 *    of waiting executions (one reader per account and process: it should not grow with them);
 * 2. a busy account (thousands of other calls' records in the window, seconds per page): every row's
 *    result before the limit, and how many pages that took.
 * It prints counts and ratios; it asserts only that every row comes out with its genuine result.
 */
import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { printTable, round } from './report';
import { QUICK } from './rounds';

const WAITERS = QUICK ? [1, 5] : [1, 20, 100];
const ROWS_PER_WAITER = QUICK ? 10 : 50;
/** Records are written this long after each call: every execution waits about that long. */
const RECORD_DELAY_MS = QUICK ? 20_000 : 60_000;
const BUSY: Array<{ rows: number; rate: number; otherRecords: number }> = QUICK
	? [{ rows: 3, rate: 20, otherRecords: 2000 }]
	: [
			{ rows: 3, rate: 20, otherRecords: 9000 },
			{ rows: 1000, rate: 20, otherRecords: 9000 },
		];
const PAGE_DELAY_MS = 1500;

const waitersTable: Array<Record<string, string | number>> = [];
const busyTable: Array<Record<string, string | number>> = [];

afterAll(() => {
	if (waitersTable.length) {
		printTable(
			`Executions waiting at once on one account (${ROWS_PER_WAITER} rows each, records written ${RECORD_DELAY_MS / 1000} s after each call): GetBill requests while they wait${QUICK ? '. Quick run: small sizes, not a measurement' : ''}`,
			waitersTable,
		);
	}
	if (busyTable.length) {
		printTable(
			`A busy account: other calls' records in the window (and 5 more a second), ${PAGE_DELAY_MS / 1000} s per GetBill page, wait limit 10 min${QUICK ? '. Quick run: small sizes, not a measurement' : ''}`,
			busyTable,
		);
	}
});

type Request = { at: number; fields: Record<string, string> };

async function waitOn(sim: Simulator, phones: string[], rate: number): Promise<WaitingExecution> {
	return await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 10, options: { callsPerSecond: rate, maxInFlight: 8 } }),
		items: phones.map((phone) => ({ json: { phone } })),
		credentials: tokenCredentials(sim),
	});
}

const phonesFrom = (first: number, count: number) => Array.from({ length: count }, (_, index) => `139${String(first + index).padStart(8, '0')}`);

/** Each row's result must be its own: the key its number's last digit makes the simulated callee press (0: never answers). */
function expectGenuineResults(waiting: WaitingExecution) {
	for (const { json } of waiting.output() ?? []) {
		expect(json.timedOut).toBe(false);
		const last = String(json.destnumber).slice(-1);
		expect(json.keyPressed).toBe(['0', '7', '8', '9'].includes(last) ? null : last);
	}
}

describe('executions waiting at once on one account', () => {
	test.each(WAITERS)('%i waiting executions', async (count) => {
		const sim = await withSimulator({ speed: 1000, recordDelayMs: RECORD_DELAY_MS });
		try {
			const waits = await Promise.all(Array.from({ length: count }, async (_, index) => await waitOn(sim, phonesFrom(index * ROWS_PER_WAITER + 1, ROWS_PER_WAITER), 0)));
			const allWaitingAt = Date.now();
			const before = sim.requestsFor('App.Sip_Cdr.GetBill').length;
			await Promise.all(waits.map(async (waiting) => await waiting.finished()));
			const requests: Request[] = sim.requestsFor('App.Sip_Cdr.GetBill').slice(before);
			const minutes = (Date.now() - allWaitingAt) / 60_000;
			for (const waiting of waits) expectGenuineResults(waiting);
			waitersTable.push({
				'waiting executions': count,
				rows: count * ROWS_PER_WAITER,
				'GetBill requests': requests.length,
				minutes: round(minutes, 2),
				'requests a minute': round(requests.length / minutes),
				'records written': sim.callRecords().length,
			});
			for (const waiting of waits) await waiting.stop();
		} finally {
			await sim.stop();
		}
	});
});

describe('a busy account', () => {
	test.each(BUSY)('$rows rows at $rate calls/s, $otherRecords other records', async ({ rows, rate, otherRecords }) => {
		const sim = await withSimulator({ speed: 20, busyAccount: { otherRecords, otherRecordsPerSecond: 5, pageDelayMs: PAGE_DELAY_MS } });
		try {
			const started = Date.now();
			const waiting = await waitOn(sim, phonesFrom(500_000, rows), rate);
			const dialedAt = Date.now();
			await waiting.finished();
			expectGenuineResults(waiting);
			const requests: Request[] = sim.requestsFor('App.Sip_Cdr.GetBill');
			const output = waiting.output() ?? [];
			busyTable.push({
				rows,
				'calls/s': rate,
				'other records': otherRecords,
				'with their result': output.filter((item) => !item.json.timedOut).length,
				'timed out': output.filter((item) => item.json.timedOut).length,
				'GetBill requests': requests.length,
				'page 1 read': requests.filter((request) => request.fields.currentpage === '1').length,
				'dialing (s)': round((dialedAt - started) / 1000),
				'results after dialing (s)': round((Date.now() - dialedAt) / 1000),
				'records written': sim.callRecords().length,
			} as Record<string, string | number>);
			await waiting.stop();
		} finally {
			await sim.stop();
		}
	});
});
