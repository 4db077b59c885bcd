/**
 * The SIP Call Record Trigger in a real n8n 2.41: the platform drops every callback (n8n cannot be
 * reached), calls are placed through the SIP Call node, and the polling trigger starts its
 * workflow once per call record — the first activation emits no history, and restarts of n8n
 * (each runs the activation poll again) emit nothing twice.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localTime } = require('../simulator/callLifecycle');
import { randomUUID } from 'node:crypto';

const NODE_NAME = 'SIP Call Record Trigger';
let n8n: any;
let sim: any;
let pollWorkflowId: string;

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function pollWorkflow(credential: { id: string; name: string }) {
	return {
		name: 'Call records',
		nodes: [
			{
				id: randomUUID(),
				name: NODE_NAME,
				type: 'n8n-nodes-sipcall.sipCallRecordTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: { sipCallApi: credential },
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, output: 'single', options: {} },
			},
		],
		connections: {},
	};
}

/** Every record the trigger's workflow started with, over all its executions, by destination number. */
async function emittedNumbers(): Promise<string[]> {
	const executions = await wf.executionsOf(n8n, pollWorkflowId);
	return executions.flatMap((execution: any) => wf.allRunItems(execution, NODE_NAME).map((item: any) => String(item.destnumber))).sort();
}

async function emittedAtLeast(count: number, timeoutMs = 30000): Promise<string[]> {
	const until = Date.now() + timeoutMs;
	let numbers = await emittedNumbers();
	while (numbers.length < count && Date.now() < until) {
		await sleep(500);
		numbers = await emittedNumbers();
	}
	return numbers;
}

test('each call record starts the workflow once: no history at activation, nothing twice across restarts of n8n', async () => {
	sim = await startSimulator({ speed: 200, dropCallbacks: true });
	// History: a call that ended an hour ago.
	sim.addCallRecords([{ destnumber: '13900000999', starttime: localTime(Date.now() - 3600_000), endtime: localTime(Date.now() - 3590_000) }]);
	n8n = await startN8n();
	const credential = await wf.createCredential(n8n, 'Simulator (token)', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Dial', path: 'dial', credential }), ['dial']);
	pollWorkflowId = await wf.publishWorkflow(n8n, pollWorkflow(credential));
	await sleep(3000);
	expect(await emittedNumbers()).toEqual([]);
	const saved = await n8n.api('GET', `/api/v1/workflows/${pollWorkflowId}`);
	expect(JSON.stringify(saved.json.staticData ?? {})).toContain('activatedAtMs');

	const rows = ['13900000101', '13900000108', '13900000100'].map((phone) => ({ phone, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `crm-${phone}` }));
	expect((await http('POST', `${n8n.baseUrl}/webhook/dial`, { body: { rows } })).status).toBe(200);
	await sim.settled();
	expect(sim.callRecords()).toHaveLength(4);
	expect(sim.record.callbacks.every((callback: { dropped?: boolean }) => callback.dropped)).toBe(true);

	// A restart runs the activation poll again (or the minute's poll comes first): the three records come out.
	await n8n.restart();
	expect(await emittedAtLeast(3)).toEqual(['13900000100', '13900000101', '13900000108']);
	// Restarted again, and a minute's poll on top: nothing comes out twice.
	await n8n.restart();
	await sleep(65_000);
	expect(await emittedNumbers()).toEqual(['13900000100', '13900000101', '13900000108']);
	const executions = await wf.executionsOf(n8n, pollWorkflowId);
	expect(executions.every((execution: any) => execution.status === 'success')).toBe(true);
}, 600_000);
