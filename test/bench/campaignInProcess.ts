/**
 * One call-and-wait campaign in process (test/harness): the SIP Call node's execution waits as n8n
 * keeps it (waitingExecution) and sweeps the simulator's records, the SIP Call Trigger is served as
 * n8n's live webhooks serve it (webhookServer), and a fresh simulator (speed 20) posts its status
 * and CDR callbacks to it while the node is still dialing.
 */
import { playVoiceMenu, tokenCredentials, withSimulator } from '../harness/fixtures';
import { ALL_EVENTS } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer } from '../harness/webhookServer';
import { CAMPAIGN_REDIAL, campaignRows, expectedCalls, GRACE_MS, mb, sampler, settledOrAfter, simulatorSettled, type CampaignOutcome } from './campaignMeasures';

const SPEED = 20;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Before the #14 change a batch of 10,000 rows rewrites the trigger's growing static data on every
 * callback and does not finish in any time this file can spend: a run is cut off after one and a
 * half times its dialing time plus a minute.
 */
const inProcessBudgetMs = (count: number, rate: number, redial: boolean) => (1.5 * count * 1000) / rate + 60_000 + (redial ? REDIAL_ROUNDS_MS : 0);
/** Two more rounds of calls: an unanswered call rings 30 simulated seconds (the record says so), then 6 s, then a sweep. */
const REDIAL_ROUNDS_MS = 2 * (30 + 6 + 30) * 1000;

export async function inProcessCampaign({ count, rate, redial = false }: { count: number; rate: number; redial?: boolean }) {
	const calls = expectedCalls(count, redial);
	const sim = await withSimulator({ speed: SPEED });
	// The trigger takes the status and CDR callbacks; the waiting execution reads its results from the records.
	const trigger = await startTriggerServer({ parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single' } });
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
			...(redial ? { waitOptions: CAMPAIGN_REDIAL } : {}),
		}),
		items: rows.map((json) => ({ json: { ...json } })),
		credentials: tokenCredentials(sim),
	});
	try {
		const finished = execution.then(async (running) => {
			waiting = running;
			await running.finished();
			finishedAt = Date.now();
		});
		const budget = pause(inProcessBudgetMs(count, rate, redial));
		const cutOff = Promise.race([simulatorSettled(sim, calls).then(async () => await pause(GRACE_MS)), budget]);
		await Promise.race([finished, cutOff]);
		const results = finishedAt ? waiting?.output() : undefined;
		await settledOrAfter(sim, calls);
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
	}
}
