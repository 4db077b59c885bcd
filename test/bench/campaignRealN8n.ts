/**
 * One call-and-wait campaign in a real n8n (the package built in dist/, packed and installed as
 * n8n installs it): a fresh simulator (speed 20) whose status and CDR callbacks go to an active
 * SIP Call Trigger workflow, and Webhook → Split Out → SIP Call "Play Voice Menu and Wait for
 * Result" (wait limit 10 minutes, the node's default) at the given calls per second.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';

import { CAMPAIGN_REDIAL, campaignRows, expectedCalls, GRACE_MS, mb, rssMbOf, sampler, settledOrAfter, simulatorSettled, type CampaignOutcome, type ResultItem } from './campaignMeasures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { http } = require('../e2e/n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const SPEED = 20;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every item the trigger's workflow put out, over all its executions. */
async function emittedBy(n8n: any, workflowId: string): Promise<Array<Record<string, unknown>>> {
	return (await wf.allExecutionsOf(n8n, workflowId)).flatMap((execution: any) => wf.allRunItems(execution, 'SIP Call Trigger'));
}

/** n8n's public API lists an execution only once it is stored: one that dials 1,000 rows shows up when it waits. */
async function newestExecutionOf(n8n: any, workflowId: string, timeoutMs: number): Promise<string> {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const answer = await n8n.api('GET', `/api/v1/executions?workflowId=${workflowId}&limit=1`);
		const id = answer.json?.data?.[0]?.id;
		if (id) return String(id);
		await pause(1000);
	}
	throw new Error(`no execution of workflow ${workflowId} listed within ${timeoutMs / 1000} s`);
}

/** A busy loop on one core, as another process loading the machine. */
function loadOneCore() {
	return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

/** The simulator's busy-account mode as the issue-#30 benchmark sets it: 9,000 other records in the window, 5 more a second, 1.5 s a page. */
export const BUSY_ACCOUNT = { otherRecords: 9000, otherRecordsPerSecond: 5, pageDelayMs: 1500 };

export async function realN8nCampaign(
	n8n: any,
	{ count, rate, loaded = false, redial = false, busy = false }: { count: number; rate: number; loaded?: boolean; redial?: boolean; busy?: boolean },
) {
	const calls = expectedCalls(count, redial);
	const sim = await startSimulator({ speed: SPEED, ...(busy ? { busyAccount: BUSY_ACCOUNT } : {}) });
	const label = `${count} rows ${rate}/s${loaded ? ' loaded' : ''}${redial ? ' redial' : ''}${busy ? ' busy' : ''} ${randomUUID().slice(0, 8)}`;
	const credential = await wf.createCredential(n8n, `Simulator ${label}`, { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	const webhookId = randomUUID();
	const triggerUrl = `${n8n.baseUrl}/webhook/${webhookId}/sip-call`;
	const triggerId = await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: `Callbacks ${label}`, webhookId }), [`${webhookId}/sip-call`]);
	sim.setCallbackUrls({ statusUrl: triggerUrl, cdrUrl: triggerUrl });
	const path = `campaign-${randomUUID()}`;
	const dial = wf.dialAndWaitWorkflow({ name: `Campaign ${label}`, path, credential, waitLimit: 10 });
	const sipCall = dial.nodes.find((node: any) => node.name === 'SIP Call');
	sipCall.parameters.options = { callsPerSecond: rate };
	if (redial) sipCall.parameters.waitOptions = { ...sipCall.parameters.waitOptions, ...CAMPAIGN_REDIAL };
	const dialId = await wf.publishWorkflow(n8n, dial, [path]);

	const rows = campaignRows(count);
	const memory = sampler(1000, () => rssMbOf(n8n.child.pid));
	const staticData = sampler(2000, async () => {
		const stored = await n8n.api('GET', `/api/v1/workflows/${triggerId}`);
		return stored.status === 200 ? JSON.stringify(stored.json.staticData ?? {}).length : 0;
	});
	const load = loaded ? loadOneCore() : undefined;
	const started = Date.now();
	try {
		const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
		if (answer.status !== 200) throw new Error(`the list was not taken: ${answer.status} ${answer.text.slice(0, 300)}`);
		const executionId = await newestExecutionOf(n8n, dialId, (5 * count * 1000) / rate + 120_000);
		let settledAt = 0;
		void simulatorSettled(sim, calls).then(() => (settledAt = Date.now()));

		let execution: any;
		while (!execution) {
			const status = await n8n.api('GET', `/api/v1/executions/${executionId}`);
			if (status.json?.finished || ['success', 'error', 'crashed', 'canceled'].includes(status.json?.status)) {
				execution = (await n8n.api('GET', `/api/v1/executions/${executionId}?includeData=true`)).json;
			} else if (settledAt && Date.now() - settledAt > GRACE_MS) {
				break;
			} else {
				await pause(1000);
			}
		}
		const seconds = ((execution?.stoppedAt ? Date.parse(execution.stoppedAt) : Date.now()) - started) / 1000;
		// Cut off: stop the waiting execution, so that it does not resume at its limit during the next run.
		if (!execution) {
			const warnings = n8n.logs.join('').split('\n').filter((line: string) => line.includes('SIP Call'));
			writeSync(2, `cut off: execution ${executionId}; n8n's SIP Call warnings:\n${warnings.slice(-10).join('\n') || '(none)'}\n`);
			await n8n.api('POST', `/rest/executions/${executionId}/stop`);
		}
		load?.kill();
		await settledOrAfter(sim, calls);
		// The trigger's last executions finish and are saved.
		await pause(2000);
		const results: ResultItem[] | undefined = execution ? (execution.data.resultData.runData['After the Call']?.[0]?.data?.main?.[0] ?? []) : undefined;
		const outcome: CampaignOutcome = {
			rows,
			results,
			seconds,
			finishedAtMs: execution?.stoppedAt ? Date.parse(execution.stoppedAt) : undefined,
			emitted: await emittedBy(n8n, triggerId),
			staticDataPeakBytes: (await staticData.stop()).max,
			memoryMb: mb(await memory.stop()),
		};
		return { sim, outcome };
	} finally {
		load?.kill();
		await staticData.stop();
		await memory.stop();
		await n8n.api('POST', `/api/v1/workflows/${triggerId}/deactivate`);
		await n8n.api('POST', `/api/v1/workflows/${dialId}/deactivate`);
		await sim.stop();
	}
}
