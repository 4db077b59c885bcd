/**
 * Benchmarks 2 and 3, in a real n8n 2.41.1 (the e2e harness), everything on this machine's
 * loopback, measured side by side in one run:
 * 2. 1,000 rows through SIP Call versus n8n's HTTP Request node sending the same form-data at the
 *    same concurrency; and with a cap of C calls per second, the rate achieved against C.
 * 3. Callbacks per second and latency for the SIP Call Trigger, n8n's Webhook node, a minimal
 *    community trigger that does nothing (the floor n8n sets for any community trigger), and
 *    Webhook + Parse Callback, on the same payloads.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Pool } from 'undici';

import type { INodeParameters } from 'n8n-workflow';

import { playVoiceMenu } from '../harness/fixtures';
import { percentile, printTable, round } from './report';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('../e2e/n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const ROWS = 1000;
const IN_FLIGHT = 8;
const CAP = 20;
const CALLBACKS = 300;
const LOAD_CONNECTIONS = 10;

let n8n: any;
let sim: any;
let credential: { id: string; name: string };

beforeAll(async () => {
	sim = await startSimulator();
	n8n = await startN8n({
		extraPackages: [{ name: 'n8n-nodes-bench-minimal', dir: resolve(__dirname, 'minimal-trigger') }],
		// Keep what n8n writes per execution alike for every variant, and small.
		env: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_ON_ERROR: 'none' },
	});
	credential = await wf.createCredential(n8n, 'Simulator', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

const node = (name: string, type: string, typeVersion: number, position: number, parameters: object, extra: object = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [position * 220, 0],
	parameters,
	...extra,
});
const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

function rowsWorkflow(name: string, path: string, last: object) {
	return {
		name,
		nodes: [
			node('Rows In', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() }),
			node('One Item per Row', 'n8n-nodes-base.splitOut', 1, 1, { fieldToSplitOut: 'body.rows', options: {} }),
			{ ...last, position: [440, 0] },
		],
		connections: chain('Rows In', 'One Item per Row', (last as { name: string }).name),
	};
}

const sipCallNode = (options: INodeParameters) =>
	node(
		'Dial',
		wf.SIP_CALL,
		1,
		2,
		playVoiceMenu({ destinationNumber: '={{ $json.phone }}', additionalFields: { customData: '={{ $json.ref }}' }, options }),
		{ credentials: { sipCallApi: credential } },
	);

const httpRequestNode = () =>
	node('Dial', 'n8n-nodes-base.httpRequest', 4.2, 2, {
		method: 'POST',
		url: sim.url,
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [
				['service', 'App.Sip_Call.PlayVoice'],
				['token', 'ABCDEFG'],
				['destnumber', '={{ $json.phone }}'],
				['voicetype', '1'],
				['voicefile', 'welcome.wav'],
				['chengshudu', '1'],
				['userid', '1@extGroup-1'],
				['customuuid', '={{ $json.ref }}'],
			].map(([name, value]) => ({ parameterType: 'formData', name, value })),
		},
		options: { batching: { batch: { batchSize: IN_FLIGHT, batchInterval: 0 } } },
	});

async function timeRows(path: string, count: number, prefix: string) {
	const rows = Array.from({ length: count }, (_, i) => ({ phone: `137${String(i).padStart(8, '0')}`, ref: `${prefix}-${i}` }));
	const before = sim.record.calls.length;
	const started = process.hrtime.bigint();
	const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	expect(answer.status).toBe(200);
	expect(sim.record.calls.length - before).toBe(count);
	return seconds;
}

test('2. 1,000 rows: SIP Call versus HTTP Request, and the calls-per-second cap', async () => {
	await wf.publishWorkflow(n8n, rowsWorkflow('Bench SIP Call', 'bench-sip', sipCallNode({ callsPerSecond: 0, maxInFlight: IN_FLIGHT })), ['bench-sip']);
	await wf.publishWorkflow(n8n, rowsWorkflow('Bench HTTP Request', 'bench-http', httpRequestNode()), ['bench-http']);
	await wf.publishWorkflow(n8n, rowsWorkflow('Bench capped', 'bench-cap', sipCallNode({ callsPerSecond: CAP, maxInFlight: IN_FLIGHT })), ['bench-cap']);

	await timeRows('bench-sip', 50, 'warm-sip');
	await timeRows('bench-http', 50, 'warm-http');
	const sipSeconds = await timeRows('bench-sip', ROWS, 'sip');
	const httpSeconds = await timeRows('bench-http', ROWS, 'http');
	printTable(`2a. ${ROWS} rows in a real n8n, ${IN_FLIGHT} requests in flight each`, [
		{ node: 'SIP Call (Play Voice Menu)', 'wall s': round(sipSeconds, 2), 'rows/s': round(ROWS / sipSeconds, 0), 'time vs HTTP Request': round(sipSeconds / httpSeconds, 2) },
		{ node: 'HTTP Request (same form-data, batches of 8)', 'wall s': round(httpSeconds, 2), 'rows/s': round(ROWS / httpSeconds, 0), 'time vs HTTP Request': 1 },
	]);

	const capped = 100;
	const windowStart = sim.record.requests.length;
	const cappedSeconds = await timeRows('bench-cap', capped, 'cap');
	const times = sim.record.requests.slice(windowStart).map((entry: { at: number }) => entry.at);
	let most = 0;
	for (let start = 0, end = 0; end < times.length; end++) {
		while (times[end] - times[start] >= 1000) start++;
		most = Math.max(most, end - start + 1);
	}
	expect(most).toBeLessThanOrEqual(CAP);
	printTable(`2b. Calls-per-second cap C = ${CAP}, ${capped} rows`, [
		{
			'C (cap)': CAP,
			'achieved calls/s': round(capped / cappedSeconds, 1),
			'achieved / C': round(capped / cappedSeconds / CAP, 2),
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
	latencies.sort((a, b) => a - b);
	return { perSecond: bodies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function waitForIdle() {
	// Executions started by one variant finish before the next one is measured.
	let previous = -1;
	for (let i = 0; i < 60; i++) {
		const list = await n8n.api('GET', '/api/v1/executions?status=running&limit=1');
		const running = list.json?.data?.length ?? 0;
		if (running === 0 && previous === 0) return;
		previous = running;
		await new Promise((r) => setTimeout(r, 500));
	}
}

test('3. callbacks per second: SIP Call Trigger, Webhook node, a minimal trigger, Webhook + Parse Callback', async () => {
	const triggerId = randomUUID();
	const minimalId = randomUUID();
	await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: 'Bench trigger', webhookId: triggerId }), [`${triggerId}/sip-call`]);
	await wf.publishWorkflow(n8n, {
		name: 'Bench minimal',
		nodes: [node('Minimal Trigger', 'n8n-nodes-bench-minimal.minimalTrigger', 1, 0, {}, { webhookId: minimalId })],
		connections: {},
	}, [`${minimalId}/minimal`]);
	await wf.publishWorkflow(n8n, {
		name: 'Bench webhook',
		nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'bench-webhook', options: {} }, { webhookId: randomUUID() })],
		connections: {},
	}, ['bench-webhook']);
	await wf.publishWorkflow(n8n, {
		name: 'Bench webhook + parse',
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'bench-parse', options: {} }, { webhookId: randomUUID() }),
			node('Parse', wf.SIP_CALL, 1, 1, { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', output: 'single', parseOptions: {} }),
		],
		connections: chain('Webhook', 'Parse'),
	}, ['bench-parse']);

	const cdrs = (prefix: number) =>
		Array.from({ length: CALLBACKS }, (_, i) => ({
			answertime: '2026-11-25 10:00:05', hangupcause: 10001, duration: 5, id: prefix * 100000 + i, extnumber: '',
			uuid: randomUUID(), downloadip: '127.0.0.1', customuuid: `row-${i}`, chengshudu: '1', callmethod: 6,
			recordfilename: '', companycode: 2028, memberid: '0', hangupdirection: 10040, billsec: 10,
			endtime: '2026-11-25 10:00:15', starttime: '2026-11-25 10:00:00', type: 'callout', disnumber: '2120280001',
			crmid: '0', userkey: String(i % 3), destnumber: `138${String(i).padStart(8, '0')}`,
		}));
	const variants = [
		['n8n Webhook node', `${n8n.baseUrl}/webhook/bench-webhook`],
		['minimal community trigger (the floor)', `${n8n.baseUrl}/webhook/${minimalId}/minimal`],
		['SIP Call Trigger', `${n8n.baseUrl}/webhook/${triggerId}/sip-call`],
		['Webhook + SIP Call Parse Callback', `${n8n.baseUrl}/webhook/bench-parse`],
	];
	const results: Record<string, { perSecond: number; p50: number; p99: number }> = {};
	let round_ = 1;
	for (const [name, url] of variants) {
		await load(url, cdrs(90 + round_).slice(0, 30));
		await waitForIdle();
		results[name] = await load(url, cdrs(round_++));
		await waitForIdle();
	}
	const webhook = results['n8n Webhook node'].perSecond;
	const floor = results['minimal community trigger (the floor)'].perSecond;
	printTable(`3. ${CALLBACKS} CDR callbacks per variant, ${LOAD_CONNECTIONS} connections, load generator on the same machine`, variants.map(([name]) => ({
		receiver: name,
		'callbacks/s': round(results[name].perSecond, 1),
		'p50 ms': round(results[name].p50, 0),
		'p99 ms': round(results[name].p99, 0),
		'rate vs Webhook node': round(results[name].perSecond / webhook, 2),
		'rate vs minimal trigger': round(results[name].perSecond / floor, 2),
	})));
});
