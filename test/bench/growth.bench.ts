/**
 * Benchmark 2, in a real n8n 2.41.1: how the cost per row grows with the number of rows, for SIP
 * Call and for n8n's HTTP Request node sending the same form-data at the same concurrency (SIP
 * Call 8 in flight; HTTP Request in batches of 8, 1 ms apart). Each size N gets a fresh n8n and a
 * fresh simulator that keeps counters only (`keepRecords: false`), so that neither carries
 * anything from another size; within it the two nodes run interleaved (a warm-up round, then
 * ROUNDS counted rounds). Per run: wall time, n8n's CPU time (n8n and any process it started),
 * n8n's peak resident memory, the most connections open at the platform. Printed: per-row medians,
 * each node's per-row cost at N against its cost at N = 100 (target for SIP Call: at most 1.2× at
 * 10,000), and at N = 1,000 SIP Call's n8n CPU per 1,000 calls against the HTTP Request node's,
 * per round (target: at most 1.0×). Benchmarks print figures; they assert correctness only.
 */
import { httpRequestNode, rowsWorkflow, sipCallNode } from './benchWorkflows';
import { sampler } from './campaignMeasures';
import { treeCpuSeconds, treeRssMib } from './processMeasures';
import { printTable, round } from './report';
import { interleavedRounds, median, perRound, QUICK, ROUNDS, spreadColumns } from './rounds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('../e2e/n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

// SIPCALL_BENCH_GROWTH_SIZES=100,10000 measures only those sizes (the first is the base).
const SIZES = process.env.SIPCALL_BENCH_GROWTH_SIZES?.split(',').map(Number) ?? (QUICK ? [100, 1000] : [100, 1000, 10000]);
const BASE = SIZES[0];
const CPU_SIZE = 1000;
const IN_FLIGHT = 8;
const PLAY_VOICE = 'App.Sip_Call.PlayVoice';

const NODES = {
	sip: `SIP Call (Play Voice Menu), ${IN_FLIGHT} in flight`,
	http: `HTTP Request, batches of ${IN_FLIGHT} 1 ms apart`,
} as const;
type Dialer = keyof typeof NODES;
const DIALERS = Object.keys(NODES) as Dialer[];

const N8N_ENV = {
	// Keep what n8n writes per execution alike for every variant, and small.
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
	// n8n pings its database every 2 s and answers every request 503 "Database is not ready!" after a
	// ping that took over 5 s: a 10,000-row execution on a busy machine can hold it that long.
	DB_PING_TIMEOUT_MS: '60000',
};

interface Run {
	seconds: number;
	cpuSeconds: number;
	peakRssMib: number;
	mostConnections: number;
}

/**
 * Waits until n8n says it is ready (its database answered its last ping). On a busy machine a
 * 10,000-row execution can leave a ping unanswered in time, and n8n then refuses every request with
 * 503 until the next ping, 2 s later: not the nodes' doing, and no run starts in that window.
 */
async function untilReady(n8n: any): Promise<void> {
	for (let tries = 0; tries < 240; tries++) {
		if ((await http('GET', `${n8n.baseUrl}/healthz/readiness`)).status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not become ready within 60 s:\n${n8n.logs.join('').slice(-1500)}`);
}

/** Posts `count` rows to a rows workflow, measures n8n meanwhile; every row must reach the platform once. */
async function timeRows(n8n: any, sim: any, dialer: Dialer, count: number, prefix: string): Promise<Run> {
	await untilReady(n8n);
	const rows = Array.from({ length: count }, (_, i) => ({ phone: `137${String(i).padStart(8, '0')}`, ref: `${prefix}-${i}` }));
	const pid = n8n.child.pid as number;
	const before = sim.counts().requests[PLAY_VOICE] ?? 0;
	sim.resetMostConnectionsOpen();
	const memory = sampler(50, () => treeRssMib(pid));
	const cpuBefore = treeCpuSeconds(pid);
	const started = process.hrtime.bigint();
	const answer = await http('POST', `${n8n.baseUrl}/webhook/growth-${dialer}`, { body: { rows } });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpuSeconds = treeCpuSeconds(pid) - cpuBefore;
	const { max: peakRssMib } = await memory.stop();
	expect({ size: count, status: answer.status }).toEqual({ size: count, status: 200, ...(answer.status === 200 ? {} : { answer: answer.text.slice(0, 500), n8nLog: n8n.logs.join('').slice(-1500) }) });
	const counts = sim.counts();
	expect((counts.requests[PLAY_VOICE] ?? 0) - before).toBe(count);
	return { seconds, cpuSeconds, peakRssMib, mostConnections: counts.mostConnectionsOpen };
}

/** A fresh simulator and a fresh n8n for one size; both nodes interleaved in it. */
async function measureSize(size: number): Promise<Record<Dialer, Run[]>> {
	const sim = await startSimulator({ keepRecords: false });
	const n8n = await startN8n({ env: N8N_ENV });
	try {
		const credential = await wf.createCredential(n8n, 'Simulator', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
		const last = { sip: sipCallNode(credential, { callsPerSecond: 0, maxInFlight: IN_FLIGHT }), http: httpRequestNode(sim.url, IN_FLIGHT, 1) };
		for (const dialer of DIALERS) await wf.publishWorkflow(n8n, rowsWorkflow(`Growth ${dialer}`, `growth-${dialer}`, last[dialer]), [`growth-${dialer}`]);
		return await interleavedRounds(DIALERS, async (dialer, r) => await timeRows(n8n, sim, dialer, size, `${dialer}-${r}`));
	} finally {
		await n8n.stop();
		await sim.stop();
	}
}

const perRow = (runs: Run[], size: number, of: 'seconds' | 'cpuSeconds') => runs.map((run) => (run[of] * 1000) / size);

// One test per size, each with the whole test timeout: a size that fails or runs out of time loses only itself.
const bySize = new Map<number, Record<Dialer, Run[]>>();
for (const size of SIZES) {
	test(`2. ${size} rows in a fresh n8n: SIP Call and HTTP Request, ${ROUNDS} interleaved rounds`, async () => {
		bySize.set(size, await measureSize(size));
	});
}

test(`2. Growth in a real n8n: SIP Call and HTTP Request at N = ${SIZES.join(' / ')} rows, a fresh n8n per N, ${ROUNDS} interleaved rounds`, () => {
	expect([...bySize.keys()]).toEqual(SIZES);

	const medianPerRow = (dialer: Dialer, size: number, of: 'seconds' | 'cpuSeconds') => median(perRow(bySize.get(size)![dialer], size, of));
	printTable(`2. Growth: per-row cost in a real n8n, a fresh n8n and simulator per N, ${ROUNDS} interleaved rounds, medians`, DIALERS.flatMap((dialer) =>
		SIZES.map((size) => {
			const runs = bySize.get(size)![dialer];
			return {
				node: NODES[dialer],
				N: size,
				'wall s': round(median(runs.map((run) => run.seconds)), 2),
				'wall ms per row': round(medianPerRow(dialer, size, 'seconds'), 3),
				...spreadColumns('n8n CPU ms per row', perRow(runs, size, 'cpuSeconds'), 3),
				'peak n8n RSS MiB': round(median(runs.map((run) => run.peakRssMib)), 0),
				'most connections open': Math.max(...runs.map((run) => run.mostConnections)),
				[`wall per row vs N=${BASE}`]: round(medianPerRow(dialer, size, 'seconds') / medianPerRow(dialer, BASE, 'seconds'), 2),
				[`CPU per row vs N=${BASE}`]: round(medianPerRow(dialer, size, 'cpuSeconds') / medianPerRow(dialer, BASE, 'cpuSeconds'), 2),
			};
		}),
	));

	const largest = SIZES.at(-1)!;
	printTable(`2. Target: SIP Call's cost per row at N = ${largest} at most 1.2× its cost at N = ${BASE} (medians)`, DIALERS.map((dialer) => ({
		node: NODES[dialer],
		[`wall per row, ${largest} vs ${BASE}`]: round(medianPerRow(dialer, largest, 'seconds') / medianPerRow(dialer, BASE, 'seconds'), 2),
		[`n8n CPU per row, ${largest} vs ${BASE}`]: round(medianPerRow(dialer, largest, 'cpuSeconds') / medianPerRow(dialer, BASE, 'cpuSeconds'), 2),
		target: dialer === 'sip' ? '≤ 1.2' : '—',
	})));

	const atCpuSize = bySize.get(CPU_SIZE);
	if (!atCpuSize) return;
	const cpu = (dialer: Dialer) => atCpuSize[dialer].map((run) => run.cpuSeconds);
	const wall = (dialer: Dialer) => atCpuSize[dialer].map((run) => run.seconds);
	printTable(`2. Dialing ${CPU_SIZE} rows: SIP Call / HTTP Request (same concurrency), per round (${ROUNDS} interleaved rounds in one n8n); target for CPU ≤ 1.0`, [
		{
			measure: 'n8n CPU s per 1,000 calls',
			'SIP Call median': round((median(cpu('sip')) * 1000) / CPU_SIZE, 2),
			'HTTP Request median': round((median(cpu('http')) * 1000) / CPU_SIZE, 2),
			...spreadColumns('ratio', perRound(cpu('sip'), cpu('http'))),
		},
		{
			measure: 'wall s',
			'SIP Call median': round(median(wall('sip')), 2),
			'HTTP Request median': round(median(wall('http')), 2),
			...spreadColumns('ratio', perRound(wall('sip'), wall('http'))),
		},
	]);
});
