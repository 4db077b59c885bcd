/**
 * Call and wait at campaign size in a real n8n: 1,000 rows at 50 calls per second, the platform's
 * status and CDR callbacks posted to an active SIP Call Trigger as the platform sends them — more
 * than n8n answers on this machine, so many are refused and given up. Every call the platform
 * recorded must still reach its row, once, long before the 10-minute wait limit.
 * (`npm run bench` measures the same at 10, 20 and 50 calls per second, and with the machine loaded.)
 */
import { campaignColumns } from '../bench/campaignMeasures';
import { realN8nCampaign } from '../bench/campaignRealN8n';
import { printTable } from '../bench/report';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('./n8nInstance');

let n8n: any;
beforeAll(async () => {
	n8n = await startN8n();
}, 600_000);
afterAll(async () => {
	await n8n?.stop();
});

test('1,000 rows at 50 calls/s: every recorded call reaches its row before the limit, none given twice, every row paired', async () => {
	const { sim, outcome } = await realN8nCampaign(n8n, { count: 1000, rate: 50 });
	const columns = campaignColumns(sim, outcome);
	printTable('Call and wait, 1,000 rows at 50 calls/s, real n8n', [columns]);

	// Finished by itself (not cut off, so not at the 10-minute limit).
	expect(outcome.results).toBeDefined();
	const results = outcome.results!;
	expect(results.map((item) => item.json.destnumber)).toEqual(outcome.rows.map((row) => row.phone));
	expect(results.map((item) => item.pairedItem)).toEqual(outcome.rows.map((_, index) => ({ item: index })));
	const recorded = new Map(sim.callRecords().map((record: Record<string, unknown>) => [String(record.destnumber), record.id]));
	expect(recorded.size).toBe(1000);
	expect(results.map((item) => [item.json.destnumber, item.json.timedOut, item.json.cdrId])).toEqual(
		outcome.rows.map((row) => [row.phone, false, recorded.get(row.phone)]),
	);
	expect(columns['results lost']).toBe(0);
	expect(columns['given twice']).toBe(0);
}, 900_000);
