/**
 * The package in n8n queue mode: a main process, two workers and two webhook processors sharing
 * PostgreSQL and Redis, all on this machine. What the README's "Running in queue mode" says is
 * what these scenarios measure.
 */
import { randomUUID } from 'node:crypto';

import { printTable, round } from '../../bench/report';
import { mostInAnyWindow } from '../../bench/report';
import { countNode, startCollector } from '../../bench/queueModeLoad';
import { callbackEvents, deliverTwice, percent, rows, send, settle } from './callbackLoad';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startQueueCluster } = require('./queueCluster');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { http, stopProcess } = require('../n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../../simulator/platformSimulator');

let cluster: any;
let sim: any;
let credential: { id: string; name: string };
let collector: Awaited<ReturnType<typeof startCollector>>;
let received: Map<string, number>;
let collectorUrl = '';

beforeAll(async () => {
	collector = await startCollector();
	({ received, url: collectorUrl } = collector);
	sim = await startSimulator({ speed: 50 });
	cluster = await startQueueCluster();
	credential = await wf.createCredential(cluster.main, 'Simulator', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
}, 900000);

afterAll(async () => {
	await cluster?.stop();
	await sim?.stop();
	await collector?.stop();
}, 300000);

const playVoiceTimes = (fromIndex: number) =>
	sim.record.requests.slice(fromIndex).filter((entry: any) => entry.service === 'App.Sip_Call.PlayVoice').map((entry: any) => entry.at);

// The cap itself is asserted on a controlled clock (test/unit/callPacer.test.ts); here the most calls
// in any second are printed, as measured at the platform: arrivals on a busy machine are not asserted.
test('1. 300 rows dialed through the workers at a cap: each row called once; calls per second measured per execution', async () => {
	const dial = (path: string, callsPerSecond: number) =>
		wf.dialWorkflow({ name: `Queue dial ${path}`, path, credential, callParameters: { options: { callsPerSecond, maxInFlight: 4 } } });
	await wf.publishWorkflow(cluster.main, dial('queue-dial', 20), ['queue-dial']);
	const [processorA, processorB] = cluster.webhookProcessors;

	const start = sim.record.requests.length;
	const list = rows(300, 'q1');
	const answer = await http('POST', `${processorA.baseUrl}/webhook/queue-dial`, { body: { rows: list } });
	expect(answer.status).toBe(200);
	expect(answer.json).toHaveLength(300);
	list.forEach((row) => expect(sim.callsTo(row.phone, row.ref)).toBe(1));
	const single = mostInAnyWindow(playVoiceTimes(start));

	// Two lists at once, one per webhook processor, so two workers dial side by side.
	await wf.publishWorkflow(cluster.main, dial('queue-dial-10', 10), ['queue-dial-10']);
	const startBoth = sim.record.requests.length;
	const [first, second] = await Promise.all([
		http('POST', `${processorA.baseUrl}/webhook/queue-dial-10`, { body: { rows: rows(60, 'q1a') } }),
		http('POST', `${processorB.baseUrl}/webhook/queue-dial-10`, { body: { rows: rows(60, 'q1b') } }),
	]);
	expect([first.status, second.status]).toEqual([200, 200]);
	// The cap holds for each execution; two executions at once are two caps.
	const requestsOf = (prefix: string) =>
		sim.record.requests
			.slice(startBoth)
			.filter((entry: any) => entry.service === 'App.Sip_Call.PlayVoice' && entry.fields.customuuid.startsWith(`${prefix}-`))
			.map((entry: any) => entry.at);
	const eachA = mostInAnyWindow(requestsOf('q1a'));
	const eachB = mostInAnyWindow(requestsOf('q1b'));
	const both = mostInAnyWindow(playVoiceTimes(startBoth));
	printTable('Queue mode, scenario 1: calls-per-second cap across workers', [
		{ case: 'one list of 300, cap 20/s', executions: 1, 'most calls in any 1 s window': single },
		{ case: 'two lists of 60 at once, cap 10/s each', executions: 2, 'most calls in any 1 s window': `${both} (each list: ${eachA}, ${eachB})` },
	]);
}, 300000);

// 100 calls' worth of events (400) per receiver: enough to see every path; throughput at larger
// volumes is the benchmark's business (docs/benchmarks.md).
const CALLS = 100;

test(`2. ${CALLS * 4} callbacks across both webhook processors: none lost; duplicates measured, trigger and Webhook + Parse Callback`, async () => {
	const triggerId = randomUUID();
	await wf.publishWorkflow(cluster.main, {
		name: 'Queue callbacks (trigger)',
		nodes: [
			{ id: randomUUID(), name: 'SIP Call Trigger', type: wf.SIP_CALL_TRIGGER, typeVersion: 1, position: [0, 0], webhookId: triggerId, parameters: { authentication: 'none', events: wf.ALL_EVENTS, output: 'single', options: {} } },
			countNode(collectorUrl, 220),
		],
		connections: { 'SIP Call Trigger': { main: [[{ node: 'Count on the Far Side', type: 'main', index: 0 }]] } },
	}, [`${triggerId}/sip-call`]);
	const parsePath = 'queue-parse';
	await wf.publishWorkflow(cluster.main, {
		name: 'Queue callbacks (Webhook + Parse)',
		nodes: [
			{ id: randomUUID(), name: 'Callback In', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: parsePath, options: {} } },
			{ id: randomUUID(), name: 'Parse', type: wf.SIP_CALL, typeVersion: 1, position: [220, 0], parameters: { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', output: 'single', parseOptions: {} } },
			countNode(collectorUrl, 440),
		],
		connections: {
			'Callback In': { main: [[{ node: 'Parse', type: 'main', index: 0 }]] },
			Parse: { main: [[{ node: 'Count on the Far Side', type: 'main', index: 0 }]] },
		},
	}, [parsePath]);

	const processors = cluster.webhookProcessors.map((processor: any) => processor.baseUrl);
	const viaTrigger = await deliverTwice(received, processors.map((base: string) => `${base}/webhook/${triggerId}/sip-call`), callbackEvents(500000, CALLS));
	const viaParse = await deliverTwice(received, processors.map((base: string) => `${base}/webhook/${parsePath}`), callbackEvents(600000, CALLS));
	// Copies that reach the same webhook processor again: its in-memory window catches them.
	const sameProcessor = callbackEvents(700000, 50);
	const triggerAtA = `${processors[0]}/webhook/${triggerId}/sip-call`;
	const receipts = () => [...received.values()].reduce((sum, count) => sum + count, 0);
	const before = receipts();
	await send([triggerAtA], sameProcessor.map((event) => event.body));
	await settle(received, before + sameProcessor.length);
	await send([triggerAtA], sameProcessor.map((event) => event.body));
	await settle(received, before + sameProcessor.length);
	const sameProcessorLost = sameProcessor.filter((event) => !received.has(event.key)).length;
	const sameProcessorDuplicates = sameProcessor.filter((event) => (received.get(event.key) ?? 0) > 1).length;

	printTable(`Queue mode, scenario 2: ${CALLS * 4} events per receiver, each delivered twice to different webhook processors`, [
		{ receiver: 'SIP Call Trigger', lost: viaTrigger.lost, 'started twice, copies at once': percent(viaTrigger.atOnceDuplicates, viaTrigger.atOnce), [`started twice, copies apart`]: percent(viaTrigger.apartDuplicates, viaTrigger.apart), 'gap s': viaTrigger.gapSeconds },
		{ receiver: 'Webhook + Parse Callback', lost: viaParse.lost, 'started twice, copies at once': percent(viaParse.atOnceDuplicates, viaParse.atOnce), [`started twice, copies apart`]: percent(viaParse.apartDuplicates, viaParse.apart), 'gap s': viaParse.gapSeconds },
	]);
	printTable(`Queue mode: SIP Call Trigger, ${sameProcessor.length} events each delivered twice to the same webhook processor, seconds apart`, [
		{ lost: sameProcessorLost, 'started twice': percent(sameProcessorDuplicates, sameProcessor.length) },
	]);
	printTable('Queue mode: callbacks answered per second by webhook processor count', [
		{ receiver: 'SIP Call Trigger', '1 processor req/s': round(viaTrigger.oneProcessorRate, 1), '2 processors req/s': round(viaTrigger.twoProcessorRate, 1) },
		{ receiver: 'Webhook + Parse Callback', '1 processor req/s': round(viaParse.oneProcessorRate, 1), '2 processors req/s': round(viaParse.twoProcessorRate, 1) },
	]);
	// None lost, ever. Copies reaching different processors pass (the rates above, stated in the
	// README); copies reaching the same processor again are caught.
	expect(viaTrigger.lost).toBe(0);
	expect(viaParse.lost).toBe(0);
	expect(sameProcessorLost).toBe(0);
	expect(sameProcessorDuplicates).toBe(0);
}, 1200000);


/** What the platform's call to a number ends in, by the simulator's rule on its last digit. */
function expectedResult(phone: string) {
	const last = phone.slice(-1);
	if (last === '0' || last === '9') return { resultStatus: 'notAnswered', keyPressed: null };
	if (last === '8' || last === '7') return { resultStatus: 'answered', keyPressed: null };
	return { resultStatus: 'answered', keyPressed: last };
}

test('3. call and wait: the execution waits in the database and resumes on a worker, with results read from the platform\'s records', async () => {
	const triggerId = randomUUID();
	const triggerUrl = `${cluster.webhookProcessors[1].baseUrl}/webhook/${triggerId}/sip-call`;
	const triggerWorkflowId = await wf.publishWorkflow(cluster.main, wf.triggerWorkflow({ name: 'Queue wait callbacks', webhookId: triggerId }), [`${triggerId}/sip-call`]);
	await wf.publishWorkflow(cluster.main, wf.dialAndWaitWorkflow({ name: 'Queue dial and wait', path: 'queue-wait', credential, waitLimit: 1 }), ['queue-wait']);
	sim.setCallbackUrls({ statusUrl: triggerUrl, cdrUrl: triggerUrl });

	const report: Array<Record<string, string | number>> = [];
	for (const [batch, processor] of cluster.webhookProcessors.entries()) {
		const list = Array.from({ length: 20 }, (_, i) => ({ phone: `13700${String(batch).padStart(3, '0')}${String(i).padStart(3, '0')}`, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `w-${i}` }));
		const answer = await http('POST', `${processor.baseUrl}/webhook/queue-wait`, { body: { rows: list } });
		expect(answer.status).toBe(200);
		const executionId = String(answer.json.executionId);
		const execution = await wf.waitForExecution(cluster.main, executionId, 240000).catch(async (error: Error) => {
			const state = await cluster.main.api('GET', `/api/v1/executions/${executionId}`);
			throw new Error(`batch ${batch}: ${error.message} (status ${state.json?.status}, waitTill ${state.json?.waitTill})`);
		});
		expect(execution.status).toBe('success');
		const results = wf.allRunItems(execution, 'After the Call');
		expect(results.map((item: any) => item.customuuid)).toEqual(list.map((row) => row.ref));
		for (const item of results) expect(item).toMatchObject({ ...expectedResult(item.destnumber), timedOut: false });
		report.push({
			'dialed through': `webhook processor ${batch + 1}`,
			rows: list.length,
			'results in the execution': results.filter((item: any) => !item.timedOut).length,
			'resumed after (s)': round((Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000, 1),
		});
	}
	// The trigger left the waited calls' CDRs to their executions.
	await sim.settled();
	const emitted = (await wf.executionsOf(cluster.main, triggerWorkflowId)).flatMap((run: any) => wf.allRunItems(run, 'SIP Call Trigger'));
	expect(emitted.filter((item: any) => item.event === 'callEnded')).toEqual([]);
	printTable('Queue mode, scenario 3: Play Voice Menu and Wait for Result, 20 rows per batch, execution on the workers', report);
}, 600000);

test('4. a worker killed mid-batch: the batch stops, no row is called twice, the execution is marked failed', async () => {
	// One worker left, so the batch runs on the worker we kill.
	const spare = cluster.workers.pop();
	await stopProcess(spare.child);
	const workflowId = await wf.publishWorkflow(
		cluster.main,
		{
			...wf.dialWorkflow({ name: 'Queue kill', path: 'queue-kill', credential, callParameters: { options: { callsPerSecond: 10, maxInFlight: 2 } } }),
		},
		['queue-kill'],
	);
	const list = rows(150, 'q4');
	const answerPromise = http('POST', `${cluster.webhookProcessors[0].baseUrl}/webhook/queue-kill`, { body: { rows: list } }).catch((error: Error) => ({ status: 0, text: error.message }));
	const before = sim.record.calls.length;
	while (sim.record.calls.length - before < 30) await new Promise((r) => setTimeout(r, 100));
	const [victim] = cluster.workers;
	victim.child.kill('SIGKILL');
	await new Promise((r) => setTimeout(r, 300));
	const placedAtKill = sim.record.calls.length - before;

	// A fresh worker finds the stalled job; n8n fails it rather than running it again.
	await cluster.startWorker();
	const answer = await answerPromise;
	await new Promise((r) => setTimeout(r, 3000));
	const placed = sim.record.calls.length - before;
	expect(placed).toBe(placedAtKill);
	expect(placed).toBeLessThan(list.length);
	list.forEach((row) => expect(sim.callsTo(row.phone, row.ref)).toBeLessThanOrEqual(1));
	const executions = await wf.executionsOf(cluster.main, workflowId);
	expect(executions).toHaveLength(1);
	expect(['error', 'crashed']).toContain(executions[0].status);
	printTable('Queue mode, scenario 4: worker killed mid-batch', [
		{ rows: list.length, 'placed before the kill': placedAtKill, 'placed after': placed - placedAtKill, 'placed twice': 0, 'execution status': executions[0].status, 'webhook answer': answer.status },
	]);
}, 300000);

test('5. call and wait with every callback dropped: every call with a record has its result', async () => {
	await wf.publishWorkflow(cluster.main, wf.dialAndWaitWorkflow({ name: 'Queue dial and wait, no callbacks', path: 'queue-wait-pull', credential, waitLimit: 1 }), ['queue-wait-pull']);
	sim.setDropCallbacks(true);
	try {
		const list = Array.from({ length: 20 }, (_, i) => ({ phone: `13705000${String(i).padStart(3, '0')}`, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `p-${i}` }));
		const answer = await http('POST', `${cluster.webhookProcessors[0].baseUrl}/webhook/queue-wait-pull`, { body: { rows: list } });
		expect(answer.status).toBe(200);
		const executionId = String(answer.json.executionId);
		const execution = await wf.waitForExecution(cluster.main, executionId, 240000);
		expect(execution.status).toBe('success');
		const results = wf.allRunItems(execution, 'After the Call');
		const recorded = new Set(sim.callRecords().map((record: any) => String(record.destnumber)));
		const timedOut = results.filter((row: any) => row.timedOut).map((row: any) => String(row.destnumber));
		const withResult = results.filter((row: any) => !row.timedOut);
		printTable('Queue mode, scenario 5: Play Voice Menu and Wait for Result, 20 rows, every callback dropped', [
			{
				rows: list.length,
				'rows with results': withResult.length,
				'rows timed out': timedOut.length,
				'timed out, the platform held a record': timedOut.filter((phone: string) => recorded.has(phone)).length,
				'resumed after (s)': round((Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000, 1),
			},
		]);
		// Every row paired, in order.
		expect(results.map((item: any) => item.customuuid)).toEqual(list.map((row) => row.ref));
		for (const item of withResult) expect(item).toMatchObject(expectedResult(item.destnumber));
		// Nothing lost: a row times out only when the platform holds no record of its call.
		expect(timedOut.filter((phone: string) => recorded.has(phone))).toEqual([]);
	} finally {
		sim.setDropCallbacks(false);
	}
}, 600000);
