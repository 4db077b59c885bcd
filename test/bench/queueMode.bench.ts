/**
 * Callbacks in n8n's queue mode (issue 22): a main process, 2 workers (`--concurrency=10`) and
 * webhook processors, PostgreSQL and Redis, all on this machine (test/e2e/queueMode/queueCluster.js).
 * Two tables for 1 and 2 webhook processors (one cluster of two; "1" sends everything to the first):
 * (a) the highest rate of callbacks per second taken with none refused, open loop (a fixed rate
 *     for a fixed time, stepped up until one is refused: not 2xx within 5 s), with the CPU the
 *     webhook processors and the workers spent per callback (what sizes a deployment), for the SIP Call
 *     Trigger (every event starts an execution; with and without Drop Duplicate Events, whose
 *     window is kept in the workflow's static data) and for n8n's Webhook node + Parse Callback;
 * (b) a campaign (Play Voice Menu) at 50 calls/s and, while it loses events, lower rates, the
 *     simulator (speed 20, 3 retries) posting every status and CDR callback to the trigger through
 *     a round-robin load balancer in front of the processors.
 * It asserts only correctness: every callback the trigger answered 2xx ran on a worker. Never a time.
 */
import { writeSync } from 'node:fs';

import { callbackEvents } from '../e2e/queueMode/callbackLoad';
import { sendAtRate } from './openLoop';
import { drained, eventKey, publishTrigger, publishWebhookOnly, publishWebhookParse, startCollector } from './queueModeLoad';
import { treeCpuSeconds } from './processMeasures';
import { mostInAnyWindow, percentile, printTable, round } from './report';
import { startRoundRobinProxy } from './roundRobinProxy';
import { BENCH_N8N_ENV, benchN8nSettings, QUICK } from './rounds';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startQueueCluster } = require('../e2e/queueMode/queueCluster');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { http } = require('../e2e/n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const PROCESSORS = QUICK ? [1] : [1, 2];
const STEP_SECONDS = QUICK ? 3 : 10;
const RATES = QUICK ? [5, 10] : [2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 80, 100, 130, 160, 200];
/** 50 calls/s first; lower rates only while a rate loses events. 1,000 rows at 25/s and over, 40 s of dialing below. */
const CAMPAIGN_RATES = QUICK ? [10] : [50, 20, 10, 5, 3, 2, 1];
const campaignRows = (rate: number) => (QUICK ? 100 : Math.min(1000, rate * 40));

/** SIPCALL_BENCH_ONLY=rates runs only (a), =campaign only (b). */
const ONLY = process.env.SIPCALL_BENCH_ONLY;
const describeIf = (part: 'rates' | 'campaign') => (!ONLY || ONLY === part ? describe : describe.skip);

let cluster: any;
let collector: Awaited<ReturnType<typeof startCollector>>;
const benchStarted = Date.now();
const steps: Array<Record<string, string | number>> = [];
const ceilings: Array<Record<string, string | number>> = [];
const campaigns: Array<Record<string, string | number>> = [];
const progress = (row: Record<string, string | number>) => writeSync(2, `queue-mode bench, ${((Date.now() - benchStarted) / 1000).toFixed(0)} s: ${JSON.stringify(row)}\n`);

beforeAll(async () => {
	collector = await startCollector();
	cluster = await startQueueCluster({ workers: 2, webhookProcessors: Math.max(...PROCESSORS), env: BENCH_N8N_ENV });
	progress({ 'cluster started': `${cluster.webhookProcessors.length} webhook processors` });
}, 900000);

afterAll(async () => {
	await cluster?.stop();
	await collector?.stop();
	const minutes = ((Date.now() - benchStarted) / 60_000).toFixed(1);
	const note = `2 workers, ${benchN8nSettings()}, the machine's cores shared by every process${QUICK ? '; quick run: small sizes, not a measurement' : ''}; this file took ${minutes} min`;
	if (steps.length) printTable(`Queue mode: callbacks per second, open loop, ${STEP_SECONDS} s per rate (${note})`, steps);
	if (ceilings.length) printTable(`Queue mode: highest callback rate taken with none refused (${note})`, ceilings);
	if (campaigns.length) printTable(`Queue mode: campaign (Play Voice Menu), every status and CDR callback to the SIP Call Trigger through a round-robin load balancer (${note})`, campaigns);
}, 300000);

/** CPU seconds used so far by the cluster's webhook processors and by its workers. */
const clusterCpuSeconds = () => {
	const sum = (processes: Array<{ child: { pid: number } }>) => processes.reduce((total, { child }) => total + treeCpuSeconds(child.pid), 0);
	return { processors: sum(cluster.webhookProcessors), workers: sum(cluster.workers) };
};

const processorUrls = (count: number, path: string) => cluster.webhookProcessors.slice(0, count).map((processor: any) => `${processor.baseUrl}/webhook/${path}`);

describeIf('rates')('(a) callbacks per second taken with none refused', () => {
	let idBase = 1_000_000;
	const receivers: Array<[string, (main: any, url: string) => Promise<string>]> = [
		['n8n Webhook node', publishWebhookOnly],
		['SIP Call Trigger 1.1', async (main, url) => await publishTrigger(main, url)],
		// Without its static-data window (each request reads and writes the workflow's static data).
		['SIP Call Trigger 1.1, Drop Duplicate Events off', async (main, url) => await publishTrigger(main, url, { dropDuplicates: false })],
		['SIP Call Trigger 1.0 (a workflow saved before 1.1)', async (main, url) => await publishTrigger(main, url, {}, 1)],
		['Webhook + Parse Callback', publishWebhookParse],
	];
	test.each(PROCESSORS.flatMap((count) => receivers.map(([name, publish]) => [name, count, publish] as const)))('%s, %i webhook processor(s)', async (receiver, count, publish) => {
		const urls = processorUrls(count, await publish(cluster.main, collector.url));
		// Warm-up, not counted: a new workflow's first requests at each processor load it and its nodes.
		const warmUp = callbackEvents(idBase, 3);
		idBase += warmUp.length;
		for (const [index, event] of warmUp.entries()) await http('POST', urls[index % urls.length], { body: event.body });
		await drained(collector.received, warmUp.map((event) => event.key));
		let highest: { rate: number; p99Ms: number; processorCpuMs: number } | undefined;
		let firstRefused: { rate: number; refused: number; sent: number } | undefined;
		for (const rate of RATES) {
			// Ring, answer, hang-up and CDR of each call, in that order: the trigger's realistic mix.
			const events = callbackEvents(idBase, Math.ceil((rate * STEP_SECONDS) / 4)).slice(0, rate * STEP_SECONDS);
			idBase += events.length;
			const cpuBefore = clusterCpuSeconds();
			const outcome = await sendAtRate(urls, events.map((event) => event.body), rate);
			// Every event answered 2xx runs on a worker; the next rate starts once they have run.
			const lost = await drained(collector.received, outcome.taken.map((index) => events[index].key));
			const cpuAfter = clusterCpuSeconds();
			const cpuMsPerCallback = (of: 'processors' | 'workers') => round(((cpuAfter[of] - cpuBefore[of]) * 1000) / outcome.sent, 1);
			const row = {
				receiver,
				processors: count,
				'callbacks/s': rate,
				sent: outcome.sent,
				refused: outcome.refused,
				'taken, never ran': lost.length,
				'p99 ms': outcome.p99Ms,
				'processor CPU ms per callback': cpuMsPerCallback('processors'),
				'worker CPU ms per callback': cpuMsPerCallback('workers'),
			};
			steps.push(row);
			progress(row);
			// The trigger's promise: an event it answered 2xx runs. (n8n's Webhook node's is printed.)
			if (receiver.startsWith('SIP Call Trigger')) expect(lost).toEqual([]);
			if (outcome.refused) {
				firstRefused = { rate, refused: outcome.refused, sent: outcome.sent };
				break;
			}
			highest = { rate, p99Ms: outcome.p99Ms, processorCpuMs: row['processor CPU ms per callback'] };
		}
		ceilings.push({
			receiver,
			processors: count,
			'highest callbacks/s, none refused': highest?.rate ?? `< ${RATES[0]}`,
			'p99 ms there': highest?.p99Ms ?? '—',
			'processor CPU ms per callback there': highest?.processorCpuMs ?? '—',
			'first rate refused': firstRefused ? `${firstRefused.rate} (${firstRefused.refused} of ${firstRefused.sent})` : `none up to ${RATES.at(-1)}`,
		});
	});
});

interface SentCallback {
	kind: 'status' | 'cdr';
	body: Record<string, unknown>;
	attempts: Array<{ status: number; ms?: number; error?: string; body?: string }>;
	delivered: number;
}

describeIf('campaign')('(b) a campaign with every callback to the trigger', () => {
	let sim: any;
	let credential: { id: string; name: string };
	beforeAll(async () => {
		sim = await startSimulator({ speed: 20 });
		credential = await wf.createCredential(cluster.main, 'Simulator', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	});
	afterAll(async () => await sim?.stop());

	test.each(PROCESSORS)('%i webhook processor(s)', async (count) => {
		const triggerPath = await publishTrigger(cluster.main, collector.url);
		const balancer = await startRoundRobinProxy(cluster.webhookProcessors.slice(0, count).map((processor: any) => processor.baseUrl));
		sim.setCallbackUrls({ statusUrl: `${balancer.url}/webhook/${triggerPath}`, cdrUrl: `${balancer.url}/webhook/${triggerPath}` });
		try {
			for (const rate of CAMPAIGN_RATES) {
				const row = await campaign(sim, credential, count, rate);
				campaigns.push(row);
				progress(row);
				expect(row['taken, never ran']).toBe(0);
				if (row['status events lost'] === 0 && row['CDRs given up'] === 0) break;
			}
		} finally {
			await balancer.stop();
		}
	});
});

async function campaign(sim: any, credential: { id: string; name: string }, processors: number, rate: number) {
	const count = campaignRows(rate);
	const path = `bench-dial-${processors}-${rate}`;
	const dial = wf.dialWorkflow({ name: `Bench campaign ${path}`, path, credential, callParameters: { options: { callsPerSecond: rate } } });
	// Answered at once: the list is followed at the platform, not by holding a request open while it is dialed.
	dial.nodes[0].parameters.responseMode = 'onReceived';
	await wf.publishWorkflow(cluster.main, dial, [path]);
	const firstCall = sim.record.calls.length;
	const firstCallback = sim.record.callbacks.length;
	const firstRequest = sim.record.requests.length;
	const firstPlayVoice = sim.requestsFor('App.Sip_Call.PlayVoice').length;
	const rows = Array.from({ length: count }, (_, i) => ({ phone: `139${String(i).padStart(8, '0')}`, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `${path}-${i}` }));
	let answer = await http('POST', `${cluster.webhookProcessors[0].baseUrl}/webhook/${path}`, { body: { rows } });
	// 503 "Database is not ready!": the processor's database pings timed out under the last run's load; nothing was taken.
	for (let tries = 0; answer.status === 503 && tries < 60; tries++) {
		await new Promise((resolve) => setTimeout(resolve, 2000));
		answer = await http('POST', `${cluster.webhookProcessors[0].baseUrl}/webhook/${path}`, { body: { rows } });
	}
	if (answer.status !== 200) throw new Error(`the list was not taken: ${answer.status} ${answer.text.slice(0, 300)}`);
	await sim.requestsArrived('App.Sip_Call.PlayVoice', firstPlayVoice + count, 10 * 60_000);
	// Every call's last callback is due when the call ends; then every delivery has run its retries.
	const calls = sim.record.calls.slice(firstCall);
	const lastEnd = Math.max(...calls.map((call: { endsAtMs: number }) => call.endsAtMs));
	await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastEnd - Date.now()) + 1000));
	await sim.settled();
	const callbacks: SentCallback[] = sim.record.callbacks.slice(firstCallback);
	const attempts = callbacks.flatMap((callback) => callback.attempts);
	const refusals = attempts.filter((attempt) => !(attempt.status >= 200 && attempt.status < 300));
	const byAnswer = new Map<string, number>();
	for (const attempt of refusals) byAnswer.set(String(attempt.status || attempt.error), (byAnswer.get(String(attempt.status || attempt.error)) ?? 0) + 1);
	const never = await drained(collector.received, callbacks.filter((callback) => callback.delivered > 0).map((callback) => eventKey(callback.body)));
	const givenUp = (kind: SentCallback['kind']) => callbacks.filter((callback) => callback.kind === kind && callback.delivered === 0).length;
	const neverRan = new Set(never);
	const statusNeverRan = callbacks.filter((callback) => callback.kind === 'status' && neverRan.has(eventKey(callback.body))).length;
	const dialed = sim.record.requests.slice(firstRequest).filter((entry: any) => entry.service === 'App.Sip_Call.PlayVoice').map((entry: any) => entry.at);
	return {
		processors,
		'calls/s': rate,
		rows: count,
		'calls placed': calls.length,
		'most calls in any 1 s': mostInAnyWindow(dialed),
		'callback attempts': attempts.length,
		refused: refusals.length ? `${refusals.length} (${[...byAnswer].map(([answer, times]) => `${answer}: ${times}`).join(', ')})` : 0,
		'status events lost': givenUp('status') + statusNeverRan,
		'CDRs given up': givenUp('cdr'),
		'taken, never ran': never.length,
		'p99 callback ms': round(percentile(attempts.map((attempt) => attempt.ms ?? 0).sort((a, b) => a - b), 99), 0),
	};
}
