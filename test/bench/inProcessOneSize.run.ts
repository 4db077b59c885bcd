/**
 * One run of benchmark 1, in a Jest process of its own (inProcess.bench.ts starts one per size and
 * round): SIP Call through n8n-core's WorkflowExecute against a simulator that keeps counters only.
 * It warms up on 1,000 rows (not counted, so that the JIT has settled before the smallest size too),
 * then dials SIPCALL_BENCH_SIZE rows and writes what it measured as JSON to SIPCALL_BENCH_RESULT.
 * Not a `*.bench.ts`: `npm run bench` does not run it alone.
 */
import { writeFileSync } from 'node:fs';

import { runNode } from '../harness/runNode';
import { playVoiceMenu, tokenCredentials, withSimulator } from '../harness/fixtures';
import { withPeakMemory } from './report';

const SIZE = Number(process.env.SIPCALL_BENCH_SIZE);
const WARM_UP = 1000;
export const IN_FLIGHT = 8;

async function dialRows(size: number) {
	const sim = await withSimulator({ keepRecords: false });
	try {
		const items = Array.from({ length: size }, (_, i) => ({ json: { phone: `139${String(i).padStart(8, '0')}`, ref: `row-${i}` } }));
		global.gc?.();
		const cpuBefore = process.cpuUsage();
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
		const cpu = process.cpuUsage(cpuBefore);
		expect(result.items).toHaveLength(size);
		expect(sim.counts().calls).toBe(size);
		return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb, peakHeapMb };
	} finally {
		await sim.stop();
	}
}

test(`SIP Call in process, ${SIZE} rows after a warm-up of ${WARM_UP}`, async () => {
	expect(SIZE).toBeGreaterThan(0);
	await dialRows(WARM_UP);
	writeFileSync(process.env.SIPCALL_BENCH_RESULT!, JSON.stringify(await dialRows(SIZE)));
});
