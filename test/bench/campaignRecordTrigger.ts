/**
 * The pull path at campaign rate (issue 32): the platform dials a list at a given calls per second
 * (this script posts PlayVoice to the simulator, speed 20, itself, so that the n8n measured does
 * nothing but poll) and drops every callback; an active SIP Call Record Trigger workflow polling
 * every minute must put out every record once. Measured: records per poll (one execution each),
 * the n8n process tree's CPU per record above its idle rate, and how long after the platform's last
 * call ended the last record came out of n8n.
 */
import { randomUUID } from 'node:crypto';

import { Agent, request } from 'undici';

import { treeCpuSeconds } from './processMeasures';
import { round } from './report';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const NODE_NAME = 'SIP Call Record Trigger';
const TOKEN = 'ABCDEFG';
/** A record not out this long after the last call ended counts as missed. */
const GIVE_UP_MS = 4 * 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The platform's own campaign: PlayVoice at `rate` per second, open loop; returns how many it accepted. */
async function dialAtRate(simUrl: string, phones: string[], rate: number): Promise<number> {
	const agent = new Agent({ connections: 64 });
	const started = performance.now();
	let accepted = 0;
	await Promise.all(
		phones.map(async (destnumber, index) => {
			const wait = started + (index * 1000) / rate - performance.now();
			if (wait > 0) await pause(wait);
			const body = new URLSearchParams({ service: 'App.Sip_Call.PlayVoice', token: TOKEN, destnumber, voicetype: '1', voicefile: 'welcome.wav', chengshudu: '1', userid: '1@extGroup-1', customuuid: `row-${index}` });
			const answer = await request(simUrl, { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: agent });
			const json = (await answer.body.json()) as { ret?: number; data?: { status?: number } };
			if (json.ret === 200 && json.data?.status === 0) accepted++;
		}),
	);
	await agent.close();
	return accepted;
}

/** Per execution of the trigger's workflow: when it stopped and the destination numbers it put out. */
async function pollsOf(n8n: any, workflowId: string): Promise<Array<{ stoppedAtMs: number; numbers: string[] }>> {
	// Small pages: one poll's execution can hold thousands of records.
	const executions = await wf.allExecutionsOf(n8n, workflowId, 20);
	return executions
		.map((execution: any) => ({ stoppedAtMs: Date.parse(execution.stoppedAt), numbers: wf.allRunItems(execution, NODE_NAME).map((item: any) => String(item.destnumber)) }))
		.sort((a: { stoppedAtMs: number }, b: { stoppedAtMs: number }) => a.stoppedAtMs - b.stoppedAtMs);
}

/** `idleMs`: how long n8n's idle rate is measured; 65 s holds one poll that finds nothing (n8n polls "every minute"). */
export async function recordTriggerCampaign(n8n: any, { count, rate, idleMs = 65_000 }: { count: number; rate: number; idleMs?: number }) {
	const sim = await startSimulator({ speed: 20, dropCallbacks: true });
	const credential = await wf.createCredential(n8n, `Simulator records ${randomUUID().slice(0, 8)}`, { apiUrl: sim.url, authentication: 'token', token: TOKEN });
	const workflowId = await wf.publishWorkflow(n8n, wf.recordTriggerWorkflow({ name: `Call records ${randomUUID().slice(0, 8)}`, credential }));
	try {
		// The activation poll records the baseline; then one minute of polls that find nothing: n8n's idle rate.
		const idleFrom = treeCpuSeconds(n8n.child.pid);
		await pause(idleMs);
		const idleCpuPerSecond = (treeCpuSeconds(n8n.child.pid) - idleFrom) / (idleMs / 1000);

		const phones = Array.from({ length: count }, (_, index) => `139${String(index).padStart(8, '0')}`);
		const startedAt = Date.now();
		const cpuFrom = treeCpuSeconds(n8n.child.pid);
		const accepted = await dialAtRate(sim.url, phones, rate);
		const lastCallEndedAt = Math.max(...sim.record.calls.map((call: { endsAtMs: number }) => call.endsAtMs));
		let polls = await pollsOf(n8n, workflowId);
		const emittedCount = () => polls.reduce((sum, poll) => sum + poll.numbers.length, 0);
		while (emittedCount() < sim.callRecords().length && Date.now() - lastCallEndedAt < GIVE_UP_MS) {
			await pause(2000);
			polls = await pollsOf(n8n, workflowId);
		}
		const cpuSeconds = treeCpuSeconds(n8n.child.pid) - cpuFrom;
		const elapsedSeconds = (Date.now() - startedAt) / 1000;
		const emitted = polls.flatMap((poll) => poll.numbers);
		const withRecords = polls.filter((poll) => poll.numbers.length);
		const records = sim.callRecords().length;
		return {
			emitted,
			row: {
				'calls/s': rate,
				'calls placed': accepted,
				'records on the platform': records,
				'records out (distinct)': new Set(emitted).size,
				'given twice': emitted.length - new Set(emitted).size,
				'polls with records': withRecords.length,
				'records per poll': withRecords.map((poll) => poll.numbers.length).join(' + '),
				'n8n CPU ms per record (above idle)': round(((cpuSeconds - idleCpuPerSecond * elapsedSeconds) * 1000) / Math.max(1, emitted.length), 2),
				'n8n idle CPU ms/s': round(idleCpuPerSecond * 1000, 1),
				's from last call ended to last record out': withRecords.length ? round((withRecords.at(-1)!.stoppedAtMs - lastCallEndedAt) / 1000, 1) : '—',
			},
			records,
		};
	} finally {
		await n8n.api('POST', `/api/v1/workflows/${workflowId}/deactivate`);
		await sim.stop();
	}
}
