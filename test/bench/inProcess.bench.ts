/**
 * Benchmark 1, in process: items per second through the SIP Call node (n8n-core's WorkflowExecute)
 * against the local simulator, for N = 100, 1,000 and 10,000 rows, with peak memory. The cost per
 * item must stay flat as N grows: the ratios against N = 100 say whether it does.
 */
import { runNode } from '../harness/runNode';
import { playVoiceMenu, tokenCredentials, withSimulator } from '../harness/fixtures';
import { printTable, round, withPeakMemory } from './report';

const SIZES = [100, 1000, 10000];
const IN_FLIGHT = 8;

test('SIP Call throughput in process, N = 100 / 1,000 / 10,000', async () => {
	const rows: Array<Record<string, string | number>> = [];
	let perItemAt100 = 0;
	for (const size of SIZES) {
		const sim = await withSimulator();
		const items = Array.from({ length: size }, (_, i) => ({ json: { phone: `139${String(i).padStart(8, '0')}`, ref: `row-${i}` } }));
		global.gc?.();
		const started = process.hrtime.bigint();
		const { result, peakRssMb, peakHeapMb } = await withPeakMemory(
			async () =>
				await runNode({
					parameters: playVoiceMenu({
						destinationNumber: '={{ $json.phone }}',
						additionalFields: { customData: '={{ $json.ref }}' },
						options: { callsPerSecond: 0, maxInFlight: IN_FLIGHT },
					}),
					items,
					credentials: tokenCredentials(sim),
				}),
		);
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		expect(result.items).toHaveLength(size);
		expect(sim.record.calls).toHaveLength(size);
		const perItemMs = (seconds * 1000) / size;
		if (size === SIZES[0]) perItemAt100 = perItemMs;
		rows.push({
			N: size,
			'wall s': round(seconds, 2),
			'items/s': round(size / seconds, 0),
			'ms per item': round(perItemMs, 2),
			'per-item cost vs N=100': round(perItemMs / perItemAt100, 2),
			'peak RSS MiB': peakRssMb,
			'peak heap MiB': peakHeapMb,
		});
		await sim.stop();
	}
	printTable(`1. In process: SIP Call node → simulator (${IN_FLIGHT} in flight, no rate cap)`, rows);
});
