/**
 * One call-and-wait campaign in process (test/harness): the SIP Call node's execution waits as n8n
 * keeps it (waitingExecution), the SIP Call Trigger is served as n8n's live webhooks serve it
 * (webhookServer), and a fresh simulator (speed 20) posts its status and CDR callbacks to it while
 * the node is still dialing.
 */
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

import { playVoiceMenu, tokenCredentials, withSimulator } from '../harness/fixtures';
import { ALL_EVENTS } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer } from '../harness/webhookServer';
import { campaignRows, GRACE_MS, mb, sampler, settledOrAfter, simulatorSettled, type CampaignOutcome } from './campaignMeasures';

const SPEED = 20;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Before the #14 change a batch of 10,000 rows rewrites the trigger's growing static data on every
 * callback and does not finish in any time this file can spend: a run is cut off after one and a
 * half times its dialing time plus a minute.
 */
const inProcessBudgetMs = (count: number, rate: number) => (1.5 * count * 1000) / rate + 60_000;

/**
 * The waiting executions' base URL, known before the execution exists (as n8n's is): until the
 * execution has placed its calls and waits, a hand-over is answered 409 "running", as n8n answers.
 */
async function startWaitingUrl() {
	let target: URL | undefined;
	const server = createServer((req, res) => {
		if (!target) {
			res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 409, message: 'The execution is running already.' }));
			return;
		}
		const upstream = forward({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		upstream.on('error', () => res.writeHead(502).end());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting`,
		forwardTo: (waitingBaseUrl: string) => (target = new URL(waitingBaseUrl)),
		async stop() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export async function inProcessCampaign({ count, rate }: { count: number; rate: number }) {
	const sim = await withSimulator({ speed: SPEED });
	const waitingUrl = await startWaitingUrl();
	const trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waitingUrl.url } },
	});
	sim.setCallbackUrls({ statusUrl: trigger.url, cdrUrl: trigger.url });
	const rows = campaignRows(count);
	global.gc?.();
	const memory = sampler(1000, () => Math.round(process.memoryUsage().rss / 2 ** 20));
	const staticData = sampler(1000, () => JSON.stringify(trigger.staticData).length);
	let waiting: WaitingExecution | undefined;
	const started = Date.now();
	let finishedAt = 0;
	const execution = startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			waitLimit: 10,
			options: { callsPerSecond: rate },
		}),
		items: rows.map((json) => ({ json: { ...json } })),
		credentials: tokenCredentials(sim),
	});
	try {
		const finished = execution.then(async (running) => {
			waiting = running;
			waitingUrl.forwardTo(running.waitingBaseUrl);
			await running.finished();
			finishedAt = Date.now();
		});
		const budget = pause(inProcessBudgetMs(count, rate));
		const cutOff = Promise.race([simulatorSettled(sim, count).then(async () => await pause(GRACE_MS)), budget]);
		await Promise.race([finished, cutOff]);
		const results = finishedAt ? waiting?.output() : undefined;
		await settledOrAfter(sim, count);
		const outcome: CampaignOutcome = {
			rows,
			results: results?.map((item) => ({ json: item.json, pairedItem: item.pairedItem })),
			seconds: ((finishedAt || Date.now()) - started) / 1000,
			finishedAtMs: finishedAt || undefined,
			emitted: trigger.executions.flat(2).map((item) => item.json),
			staticDataPeakBytes: (await staticData.stop()).max,
			memoryMb: mb(await memory.stop()),
		};
		return { sim, outcome };
	} finally {
		await staticData.stop();
		await memory.stop();
		await trigger.deactivate();
		await sim.stop();
		// Cut off while still dialing: with the platform gone the node's last calls fail at once.
		await (waiting ?? (await Promise.race([execution, pause(30_000)])))?.stop();
		await trigger.stop();
		await waitingUrl.stop();
	}
}
