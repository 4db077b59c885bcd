/**
 * Benchmark 1, in process: the SIP Call node through n8n-core's WorkflowExecute against the local
 * simulator, for N = 100, 1,000 and 10,000 rows. Every run is a Jest process of its own
 * (inProcessOneSize.run.ts: a warm-up of 1,000 rows, then N), and its simulator keeps counters only
 * (`keepRecords: false`), so that no run's heap, JIT or records weigh on another's figures. The
 * sizes run interleaved, one process each per round (no warm-up round: each process warms itself
 * up); the per-round ratios against N = 100 say whether the cost per item stays flat as N grows.
 * Wall time and CPU time include the simulator, which runs in the same process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { printTable, round } from './report';
import { median, perRound, QUICK, ROUNDS, spreadColumns } from './rounds';

const SIZES = QUICK ? (['100', '1000'] as const) : (['100', '1000', '10000'] as const);
const IN_FLIGHT = 8;

interface OneRun {
	seconds: number;
	cpuSeconds: number;
	peakRssMb: number;
	peakHeapMb: number;
}

/** Dials `size` rows in a fresh Jest process; returns what it measured. */
function runInFreshProcess(size: string, folder: string, round: number): OneRun & { msPerItem: number } {
	const resultFile = join(folder, `${size}-${round}.json`);
	const run = spawnSync(
		process.execPath,
		['--expose-gc', require.resolve('jest/bin/jest'), '-c', 'jest.bench.config.js', '--runInBand', '--testMatch', '**/inProcessOneSize.run.ts'],
		{ encoding: 'utf8', env: { ...process.env, SIPCALL_BENCH_SIZE: size, SIPCALL_BENCH_RESULT: resultFile } },
	);
	if (run.status !== 0) throw new Error(`The run of ${size} rows failed:\n${run.stdout}\n${run.stderr}`);
	const measured = JSON.parse(readFileSync(resultFile, 'utf8')) as OneRun;
	return { ...measured, msPerItem: (measured.seconds * 1000) / Number(size) };
}

test(`SIP Call throughput in process, N = ${SIZES.join(' / ')}, a fresh process per run, ${ROUNDS} interleaved rounds`, async () => {
	const folder = mkdtempSync(join(tmpdir(), 'sipcall-bench-'));
	try {
		const runs = Object.fromEntries(SIZES.map((size) => [size, [] as ReturnType<typeof runInFreshProcess>[]])) as Record<(typeof SIZES)[number], ReturnType<typeof runInFreshProcess>[]>;
		for (let r = 1; r <= ROUNDS; r++) for (const size of SIZES) runs[size].push(runInFreshProcess(size, folder, r));
		const perItemAt100 = runs['100'].map((run) => run.msPerItem);
		const cpuPerItem = (size: (typeof SIZES)[number]) => runs[size].map((run) => (run.cpuSeconds * 1000) / Number(size));
		printTable(`1. In process: SIP Call node → simulator (${IN_FLIGHT} in flight, no rate cap), a fresh process per run, ${ROUNDS} rounds, medians`, SIZES.map((size) => {
			const sized = runs[size];
			return {
				N: Number(size),
				...spreadColumns('items/s', sized.map((run) => Number(size) / run.seconds), 0),
				'ms per item': round(median(sized.map((run) => run.msPerItem)), 2),
				'CPU ms per item': round(median(cpuPerItem(size)), 2),
				...spreadColumns('per-item cost vs N=100', perRound(sized.map((run) => run.msPerItem), perItemAt100)),
				'CPU per item vs N=100 median': round(median(perRound(cpuPerItem(size), cpuPerItem('100'))), 2),
				'peak RSS MiB': round(median(sized.map((run) => run.peakRssMb))),
				'peak heap MiB': round(median(sized.map((run) => run.peakHeapMb))),
			};
		}));
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});
