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
import { printTable } from './report';
import { QUICK } from './rounds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('../e2e/n8nInstance');

const IN_PROCESS: Array<[rows: number, rate: number]> = QUICK
	? [[100, 20]]
	: [
			[100, 10], [100, 20], [100, 50],
			[1000, 10], [1000, 20], [1000, 50],
			// 10,000 rows at 10 or 20 calls per second would dial for 17 or 8 minutes.
			[10000, 50],
		];
const REAL_N8N: Array<{ rate: number; loaded: boolean }> = QUICK
	? [{ rate: 20, loaded: false }]
	: [
			{ rate: 10, loaded: false },
			{ rate: 20, loaded: false },
			{ rate: 50, loaded: false },
			{ rate: 20, loaded: true },
		];
const REAL_ROWS = QUICK ? 100 : 1000;

const table: Array<Record<string, string | number>> = [];
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
	if (!table.length) return;
	const minutes = ((Date.now() - benchStarted) / 60_000).toFixed(1);
	printTable(
		`Call and wait at campaign size: speed-20 simulator, wait limit 10 min; a run not finished ${GRACE_MS / 1000} s after the platform's last callback is cut off (its execution would resume at the limit). ${QUICK ? 'Quick run: small sizes, not a measurement' : '10,000 rows in process at 50 calls/s only'}. This file took ${minutes} min`,
		table,
	);
});

describe('in process', () => {
	test.each(IN_PROCESS)('%i rows at %i calls/s', async (count, rate) => {
		const { sim, outcome } = await inProcessCampaign({ count, rate });
		record({ where: 'in process', rows: count, 'calls/s': rate, ...campaignColumns(sim, outcome) });
		expectPairedInOrder(outcome);
	});
});

describe(`a real n8n, ${REAL_ROWS} rows`, () => {
	let n8n: any;
	beforeAll(async () => {
		n8n = await startN8n();
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	test.each(REAL_N8N)('$rate calls/s (loaded: $loaded)', async ({ rate, loaded }) => {
		const where = loaded ? 'real n8n, 1 core loaded' : 'real n8n';
		const run = await realN8nCampaign(n8n, { count: REAL_ROWS, rate, loaded }).catch((error: Error) => {
			record({ where, rows: REAL_ROWS, 'calls/s': rate, 'results (of rows)': `failed: ${error.message}` });
			throw error;
		});
		const { sim, outcome } = run;
		record({ where, rows: REAL_ROWS, 'calls/s': rate, ...campaignColumns(sim, outcome) });
		expectPairedInOrder(outcome);
	});
});
