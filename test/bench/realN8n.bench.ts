/**
 * Benchmarks 2b and 3, in a real n8n 2.41.1 (the e2e harness), everything on this machine's
 * loopback. (Benchmark 2, SIP Call against the HTTP Request node at 100 to 10,000 rows, is
 * growth.bench.ts: a fresh n8n per size.) Every comparison runs its variants interleaved in the
 * same n8n (A B A B …, a warm-up round first) and prints the per-round ratios as min / median / max:
 * 2b. with a cap of C calls per second, the most calls the platform saw in any one-second window
 *     (100 rows: the simulator keeps its records, for the arrival times);
 * 3.  callbacks per second, latency and n8n CPU per callback (its webhook request and the execution
 *     it starts) for the SIP Call Trigger, n8n's Webhook node, a minimal community trigger that
 *     does nothing (the floor n8n sets for any community trigger), and Webhook + Parse Callback,
 *     on the same payloads.
 */
import { resolve } from 'node:path';
import { Pool } from 'undici';

import { callbackReceivers, cdrs, rowsWorkflow, sipCallNode } from './benchWorkflows';
import { treeCpuSeconds } from './processMeasures';
import { mostInAnyWindow, percentile, printTable, round } from './report';
import { BENCH_N8N_ENV, benchN8nSettings, interleavedRounds, median, perRound, QUICK, ROUNDS, spreadColumns } from './rounds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('../e2e/n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const IN_FLIGHT = 8;
const CAP = 20;
const CAPPED_ROWS = QUICK ? 40 : 100;
const CALLBACKS = QUICK ? 30 : 100;
const LOAD_CONNECTIONS = 10;

let n8n: any;
let sim: any;
let credential: { id: string; name: string };

beforeAll(async () => {
	sim = await startSimulator();
	n8n = await startN8n({
		extraPackages: [{ name: 'n8n-nodes-bench-minimal', dir: resolve(__dirname, 'minimal-trigger') }],
		// Keep what n8n writes per execution alike for every variant, and small.
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_ON_ERROR: 'none', ...BENCH_N8N_ENV },
	});
	credential = await wf.createCredential(n8n, 'Simulator', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

/** Posts `count` rows to a rows workflow and waits for its answer; every row must reach the platform. */
const rateOf = (arrivals: number[]) => (arrivals.length - 1) / ((Math.max(...arrivals) - Math.min(...arrivals)) / 1000);

async function timeRows(path: string, count: number) {
	const rows = Array.from({ length: count }, (_, i) => ({ phone: `137${String(i).padStart(8, '0')}`, ref: `cap-${i}` }));
	const before = sim.record.requests.length;
	const started = process.hrtime.bigint();
	const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	expect(answer.status).toBe(200);
	const requests = sim.record.requests.slice(before);
	expect(requests.filter((entry: { service: string }) => entry.service === 'App.Sip_Call.PlayVoice')).toHaveLength(count);
	return { seconds, arrivals: requests.map((entry: { at: number }) => entry.at) };
}

test(`2b. Calls-per-second cap C = ${CAP}, ${CAPPED_ROWS} rows`, async () => {
	await wf.publishWorkflow(n8n, rowsWorkflow('Bench capped', 'bench-cap', sipCallNode(credential, { callsPerSecond: CAP, maxInFlight: IN_FLIGHT })), ['bench-cap']);
	const { seconds, arrivals } = await timeRows('bench-cap', CAPPED_ROWS);
	const most = mostInAnyWindow(arrivals);
	printTable(`2b. Calls-per-second cap C = ${CAP}, ${CAPPED_ROWS} rows`, [
		{
			'C (cap)': CAP,
			// Between the first call's arrival and the last one's: the rate a cap limits (n calls span n − 1 intervals).
			'achieved calls/s': round(rateOf(arrivals), 1),
			'achieved / C': round(rateOf(arrivals) / CAP, 2),
			'list seconds': round(seconds, 2),
			'most calls in any 1 s window': most,
		},
	]);
});

async function load(url: string, bodies: object[]) {
	const target = new URL(url);
	const pool = new Pool(target.origin, { connections: LOAD_CONNECTIONS });
	const latencies: number[] = [];
	let next = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: LOAD_CONNECTIONS }, async () => {
			while (next < bodies.length) {
				const body = JSON.stringify(bodies[next++]);
				const sent = process.hrtime.bigint();
				const response = await pool.request({ path: target.pathname, method: 'POST', body, headers: { 'content-type': 'application/json' } });
				await response.body.text();
				expect(response.statusCode).toBe(200);
				latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
			}
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await pool.close();
	return { perSecond: bodies.length / seconds, latencies };
}

async function waitForIdle() {
	// Executions started by one variant finish before the next one is measured.
	let previous = -1;
	for (let i = 0; i < 60; i++) {
		const list = await n8n.api('GET', '/api/v1/executions?status=running&limit=1');
		const running = list.json?.data?.length ?? 0;
		if (running === 0 && previous === 0) return;
		previous = running;
		await new Promise((r) => setTimeout(r, 250));
	}
}

test(`3. callbacks per second: SIP Call Trigger 1.1 and 1.0, Webhook node, a minimal trigger, Webhook + Parse Callback, ${ROUNDS} interleaved rounds`, async () => {
	const receivers = callbackReceivers('n8n-nodes-bench-minimal.minimalTrigger');
	for (const receiver of receivers) await wf.publishWorkflow(n8n, receiver.workflow, [receiver.path]);
	type Name = (typeof receivers)[number]['name'];
	const names = receivers.map((receiver) => receiver.name);
	let batch = 0;
	const pid = n8n.child.pid as number;
	const runs = await interleavedRounds(names, async (name) => {
		const { path } = receivers.find((receiver) => receiver.name === name)!;
		const cpuBefore = treeCpuSeconds(pid);
		const result = await load(`${n8n.baseUrl}/webhook/${path}`, cdrs(CALLBACKS, ++batch));
		await waitForIdle();
		return { ...result, cpuMsPerCallback: ((treeCpuSeconds(pid) - cpuBefore) * 1000) / CALLBACKS };
	});
	const rates = (name: Name) => runs[name].map((run) => run.perSecond);
	const cpu = (name: Name) => runs[name].map((run) => run.cpuMsPerCallback);
	printTable(`3. ${CALLBACKS} CDR callbacks per variant and round, ${LOAD_CONNECTIONS} connections, load generator on the same machine, ${benchN8nSettings()}, ${ROUNDS} interleaved rounds, medians`, names.map((name) => {
		const latencies = runs[name].flatMap((run) => run.latencies).sort((a, b) => a - b);
		return {
			receiver: name,
			'callbacks/s': round(median(rates(name)), 1),
			'p50 ms': round(percentile(latencies, 50), 0),
			'p99 ms': round(percentile(latencies, 99), 0),
			'n8n CPU ms per callback': round(median(runs[name].map((run) => run.cpuMsPerCallback)), 1),
			...spreadColumns('rate vs Webhook node', perRound(rates(name), rates('n8n Webhook node'))),
			...spreadColumns('CPU vs Webhook node', perRound(cpu(name), cpu('n8n Webhook node'))),
			...spreadColumns('rate vs minimal trigger', perRound(rates(name), rates('minimal community trigger (the floor)'))),
		};
	}));
});
