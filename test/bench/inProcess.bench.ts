/**
 * Benchmark 1, in process: items per second through the SIP Call node (n8n-core's WorkflowExecute)
 * against the local simulator, for N = 100, 1,000 and 10,000 rows, with peak memory. The sizes run
 * interleaved, one of each per round; the cost per item must stay flat as N grows: the per-round
 * ratios against N = 100 say whether it does.
 */
import { runNode } from '../harness/runNode';
import { playVoiceMenu, tokenCredentials, withSimulator } from '../harness/fixtures';
import { printTable, round, withPeakMemory } from './report';
import { interleavedRounds, median, perRound, QUICK, ROUNDS, spreadColumns } from './rounds';

const SIZES = QUICK ? (['100', '1000'] as const) : (['100', '1000', '10000'] as const);
const IN_FLIGHT = 8;

async function dialRows(size: number) {
	const sim = await withSimulator();
	try {
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
		return { seconds, msPerItem: (seconds * 1000) / size, peakRssMb, peakHeapMb };
	} finally {
		await sim.stop();
	}
}

test(`SIP Call throughput in process, N = ${SIZES.join(' / ')}, ${ROUNDS} interleaved rounds`, async () => {
	const runs = await interleavedRounds(SIZES, async (size) => await dialRows(Number(size)));
	const perItemAt100 = runs['100'].map((run) => run.msPerItem);
	printTable(`1. In process: SIP Call node → simulator (${IN_FLIGHT} in flight, no rate cap), ${ROUNDS} rounds, medians`, SIZES.map((size) => {
		const sized = runs[size];
		return {
			N: Number(size),
			...spreadColumns('items/s', sized.map((run) => Number(size) / run.seconds), 0),
			'ms per item': round(median(sized.map((run) => run.msPerItem)), 2),
			...spreadColumns('per-item cost vs N=100', perRound(sized.map((run) => run.msPerItem), perItemAt100)),
			'peak RSS MiB': round(median(sized.map((run) => run.peakRssMb))),
			'peak heap MiB': round(median(sized.map((run) => run.peakHeapMb))),
		};
	}));
});
