/**
 * Call and wait at campaign size (issue 14): rows × calls per second through "Play Voice Menu and
 * Wait for Result", with the simulator (speed 20) posting every status and CDR callback to the SIP
 * Call Trigger while the list is dialed. In process (test/harness) for 100, 1,000 and 10,000 rows,
 * in a real n8n for 1,000 rows, once more with another process loading one core. One table; it
 * asserts only what the protocol guarantees (every row comes out, paired, in order), never time
 * nor loss.
 */
import { writeSync } from 'node:fs';

import { inProcessCampaign } from './campaignInProcess';
import { campaignColumns, GRACE_MS, type CampaignOutcome } from './campaignMeasures';
import { realN8nCampaign } from './campaignRealN8n';
import { recordTriggerCampaign } from './campaignRecordTrigger';
import { printTable } from './report';
import { BENCH_N8N_ENV, benchN8nSettings, QUICK } from './rounds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('../e2e/n8nInstance');

const IN_PROCESS: Array<[rows: number, rate: number, redial: boolean]> = QUICK
	? [[100, 20, false]]
	: [
			[100, 10, false], [100, 20, false], [100, 50, false],
			[1000, 10, false], [1000, 20, false], [1000, 50, false],
			// 10,000 rows at 10 or 20 calls per second would dial for 17 or 8 minutes.
			[10000, 50, false],
			// Redial Who Missed: busy and unanswered rows (one in five) called three times.
			[1000, 20, true],
		];
const REAL_N8N: Array<{ rate: number; loaded: boolean; redial?: boolean }> = QUICK
	? [{ rate: 20, loaded: false }]
	: [
			{ rate: 10, loaded: false },
			{ rate: 20, loaded: false },
			{ rate: 50, loaded: false },
			{ rate: 20, loaded: true },
			{ rate: 20, loaded: false, redial: true },
		];
/** The pull path: every record of a campaign through the SIP Call Record Trigger (3,000 rows: a minute of dialing at 50/s). */
const RECORD_TRIGGER = QUICK ? [{ rows: 100, rate: 50 }] : [{ rows: 3000, rate: 50 }];
/**
 * Lets one part run alone: SIPCALL_BENCH_ONLY=redial (the redial rows), =real (the real n8n's
 * plain rates: no redial, no load), =records (the Record Trigger).
 */
const ONLY = process.env.SIPCALL_BENCH_ONLY;
const chosen = <T>(runs: T[], isRedial: (run: T) => boolean, isPlain: (run: T) => boolean = (run) => !isRedial(run)) =>
	ONLY === 'redial' ? runs.filter(isRedial) : ONLY === 'real' ? runs.filter(isPlain) : runs;
const describeUnless = (...skippedBy: string[]) => (ONLY && skippedBy.includes(ONLY) ? describe.skip : describe);
const REAL_ROWS = QUICK ? 100 : 1000;

const table: Array<Record<string, string | number>> = [];
const pullTable: Array<Record<string, string | number>> = [];
const benchStarted = Date.now();

function expectPairedInOrder(outcome: CampaignOutcome) {
	if (!outcome.results) return;
	expect(outcome.results.map((item) => item.json.destnumber)).toEqual(outcome.rows.map((row) => row.phone));
	expect(outcome.results.map((item) => item.pairedItem)).toEqual(outcome.rows.map((_, index) => ({ item: index })));
}

/** Adds a run's row to the table, and says so on stderr: a long file shows its progress. */
function record(row: Record<string, string | number>) {
	table.push(row);
	writeSync(2, `campaign bench, ${((Date.now() - benchStarted) / 1000).toFixed(0)} s: ${JSON.stringify(row)}\n`);
}

afterAll(() => {
	const minutes = ((Date.now() - benchStarted) / 60_000).toFixed(1);
	if (pullTable.length) {
		printTable(`The pull path: a campaign's every record through the SIP Call Record Trigger (polls every minute; the platform dials and drops every callback; speed-20 simulator; one real n8n, ${benchN8nSettings()})${QUICK ? '. Quick run: small sizes, not a measurement' : ''}`, pullTable);
	}
	if (!table.length) return;
	printTable(
		`Call and wait at campaign size: speed-20 simulator, wait limit 10 min; a run not finished ${GRACE_MS / 1000} s after the platform's last callback is cut off (its execution would resume at the limit). ${QUICK ? 'Quick run: small sizes, not a measurement' : '10,000 rows in process at 50 calls/s only'}. The real n8n: ${benchN8nSettings()}. This file took ${minutes} min`,
		table,
	);
});

describeUnless('real', 'records')('in process', () => {
	test.each(chosen(IN_PROCESS, ([, , redial]) => redial))('%i rows at %i calls/s (redial: %s)', async (count, rate, redial) => {
		const { sim, outcome } = await inProcessCampaign({ count, rate, redial });
		record({ where: `in process${redial ? ', redial' : ''}`, rows: count, 'calls/s': rate, ...campaignColumns(sim, outcome) });
		expectPairedInOrder(outcome);
	});
});

describeUnless('records')(`a real n8n, ${REAL_ROWS} rows`, () => {
	let n8n: any;
	beforeAll(async () => {
		n8n = await startN8n({ env: BENCH_N8N_ENV });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	test.each(chosen(REAL_N8N, (run) => run.redial === true, (run) => !run.redial && !run.loaded))('$rate calls/s (loaded: $loaded, redial: $redial)', async ({ rate, loaded, redial = false }) => {
		const where = `real n8n${loaded ? ', 1 core loaded' : ''}${redial ? ', redial' : ''}`;
		const run = await realN8nCampaign(n8n, { count: REAL_ROWS, rate, loaded, redial }).catch((error: Error) => {
			record({ where, rows: REAL_ROWS, 'calls/s': rate, 'results (of rows)': `failed: ${error.message}` });
			throw error;
		});
		const { sim, outcome } = run;
		record({ where, rows: REAL_ROWS, 'calls/s': rate, ...campaignColumns(sim, outcome) });
		expectPairedInOrder(outcome);
	});
});

describeUnless('real', 'redial')('a real n8n, the SIP Call Record Trigger', () => {
	let n8n: any;
	beforeAll(async () => {
		n8n = await startN8n({ env: BENCH_N8N_ENV });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	test.each(RECORD_TRIGGER)('$rows calls at $rate calls/s, every record out once', async ({ rows, rate }) => {
		const { emitted, row, records } = await recordTriggerCampaign(n8n, { count: rows, rate, idleMs: QUICK ? 5000 : undefined });
		pullTable.push(row);
		writeSync(2, `campaign bench, ${((Date.now() - benchStarted) / 1000).toFixed(0)} s: ${JSON.stringify(row)}\n`);
		expect(row['calls placed']).toBe(rows);
		expect(records).toBeGreaterThan(0);
		expect(new Set(emitted).size).toBe(records);
		expect(emitted).toHaveLength(records);
	});
});
