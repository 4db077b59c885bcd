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
import { campaignColumns } from './campaignMeasures';
import { BUSY_ACCOUNT, realN8nCampaign } from './campaignRealN8n';
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
const PAGE_DELAY_MS = BUSY_ACCOUNT.pageDelayMs;
/** In a real n8n: the busy account's 3 rows and 1,000 rows at 20 calls/s, and 10,000 rows at 50 calls/s on a quiet one. */
const REAL_N8N: Array<{ rows: number; rate: number; busy: boolean }> = QUICK
	? [{ rows: 3, rate: 20, busy: true }]
	: [
			{ rows: 3, rate: 20, busy: true },
			{ rows: 1000, rate: 20, busy: true },
			{ rows: 10000, rate: 50, busy: false },
		];

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('../e2e/n8nInstance');

const waitersTable: Array<Record<string, string | number>> = [];
const busyTable: Array<Record<string, string | number>> = [];
const realTable: Array<Record<string, string | number>> = [];

afterAll(() => {
	if (waitersTable.length) {
		printTable(
			`Executions waiting at once on one account (${ROWS_PER_WAITER} rows each, records written ${RECORD_DELAY_MS / 1000} s after each call): GetBill requests while they wait${QUICK ? '. Quick run: small sizes, not a measurement' : ''}`,
			waitersTable,
		);
	}
	if (realTable.length) {
		printTable(
			`Call and wait in a real n8n 2.41.1 (speed-20 simulator, wait limit 10 min); busy: ${BUSY_ACCOUNT.otherRecords} other records in the window, ${BUSY_ACCOUNT.otherRecordsPerSecond} more a second, ${PAGE_DELAY_MS / 1000} s a page${QUICK ? '. Quick run: small sizes, not a measurement' : ''}`,
			realTable,
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
		const sim = await withSimulator({ speed: 20, busyAccount: { ...BUSY_ACCOUNT, otherRecords } });
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

describe('in a real n8n', () => {
	let n8n: any;
	beforeAll(async () => {
		n8n = await startN8n();
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	test.each(REAL_N8N)('$rows rows at $rate calls/s (busy account: $busy)', async ({ rows, rate, busy }) => {
		const { sim, outcome } = await realN8nCampaign(n8n, { count: rows, rate, busy });
		realTable.push({ account: busy ? 'busy' : 'quiet', rows, 'calls/s': rate, ...campaignColumns(sim, outcome) });
		// Every row with its genuine result: none timed out while the platform held its record.
		expect(outcome.results?.length).toBe(rows);
		expect(outcome.results!.filter((item) => item.json.resultStatus === 'timedOut')).toEqual([]);
	});
});
