/**
 * The SIP Call Record Trigger in a real n8n 2.41: the platform drops every callback (n8n cannot be
 * reached), calls are placed through the SIP Call node, and the polling trigger starts its
 * workflow once per call record — the first activation emits no history, and restarts of n8n
 * (each runs the activation poll again) emit nothing twice.
 * Then, on the same n8n and simulator, what keeps a list from ringing anyone twice (#21): a list
 * run again, retried by Retry On Fail, or started twice, and Max Calls per Execution across a loop.
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
	pollWorkflowId = await wf.publishWorkflow(n8n, wf.recordTriggerWorkflow({ name: 'Call records', credential }));
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

describe('campaign safety in a real n8n: nobody is rung twice, nobody past the limit', () => {
	let credential: { id: string; name: string };
	const callRow = (phone: string) => ({ phone, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `safe-${phone}` });
	const dial = async (path: string, phones: string[]) => await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows: phones.map(callRow) } });
	const skipOption = { skipAlreadyCalled: { settings: { lookBackHours: 24, matchBy: 'number' } } };
	const dialOptions = (options = {}) => ({ options: { callsPerSecond: 0, maxInFlight: 1, ...options } });
	const callsTo = (phones: string[]) => phones.map((phone) => sim.callsTo(phone));

	beforeAll(async () => {
		// The same n8n as the test above (or its own, when run alone with -t).
		sim ??= await startSimulator({ speed: 200, dropCallbacks: true });
		n8n ??= await startN8n();
		credential = await wf.createCredential(n8n, 'Simulator (campaign safety)', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	}, 600_000);
	beforeEach(() => sim.clearFaults());
	afterEach(() => sim.setRecordDelayMs(0));

	async function recorded(phones: string[]) {
		for (let waited = 0; !phones.every((phone) => sim.visibleCallRecords().some((record: any) => record.destnumber === phone)); waited += 100) {
			if (waited > 30_000) throw new Error(`no record of ${phones.join(', ')} within 30 s`);
			await sleep(100);
		}
	}

	test('a list run again (Skip Numbers Already Called): each number rung once, before its calls are recorded (n8n\'s deduplication store) and after (the platform\'s records)', async () => {
		await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Skip (re-run)', path: 'skip-rerun', credential, callParameters: dialOptions(skipOption) }), ['skip-rerun']);

		// In flight: the calls are placed, their records held back, so only n8n's store knows of them.
		sim.setRecordDelayMs(600_000);
		const inFlight = ['13900002101', '13900002102', '13900002103'];
		expect((await dial('skip-rerun', inFlight)).json.map((item: any) => item.accepted)).toEqual([true, true, true]);
		const again = await dial('skip-rerun', [...inFlight, '13900002104']);
		expect(again.status).toBe(200);
		expect(callsTo([...inFlight, '13900002104'])).toEqual([1, 1, 1, 1]);
		expect(again.json.map((item: any) => [item.destnumber, item.accepted, item.skipped ?? false])).toEqual([
			['13900002101', false, true],
			['13900002102', false, true],
			['13900002103', false, true],
			['13900002104', true, false],
		]);
		for (const item of again.json.slice(0, 3)) {
			expect(item.skipReason).toMatch(/^This node placed a call to the same number within the last hour or so \(in this workflow\) that is not in the platform's call records yet/);
		}

		// Recorded: the platform's call records say so.
		sim.setRecordDelayMs(0);
		const ended = ['13900002111', '13900002112', '13900002113'];
		await dial('skip-rerun', ended);
		await recorded(ended);
		const later = await dial('skip-rerun', [...ended, '13900002114']);
		expect(callsTo([...ended, '13900002114'])).toEqual([1, 1, 1, 1]);
		expect(later.json.map((item: any) => [item.accepted, item.skipped ?? false])).toEqual([
			[false, true],
			[false, true],
			[false, true],
			[true, false],
		]);
		expect(later.json[0].skipReason).toMatch(/^Already called within the last 24 hours \(same number\): the platform's call records hold a call at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
	}, 120_000);

	test('Retry On Fail: the platform answers HTTP 500 after placing row 3\'s call; n8n\'s tries ring nobody twice, and the node says why it stops', async () => {
		const workflow = wf.dialWorkflow({ name: 'Retry On Fail', path: 'retry-on-fail', credential, callParameters: dialOptions() });
		Object.assign(workflow.nodes.find((node: any) => node.name === 'SIP Call'), { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 });
		const id = await wf.publishWorkflow(n8n, workflow, ['retry-on-fail']);
		// Rows 1 and 2 go through; row 3 is placed, then answered 500 (it may have gone out).
		sim.injectFault({ kind: 'latency', service: 'App.Sip_Call.PlayVoice', delayMs: 0, times: 2 });
		sim.injectFault({ kind: 'status', status: 500, placesCall: true, service: 'App.Sip_Call.PlayVoice' });
		const phones = ['13900002201', '13900002202', '13900002203', '13900002204'];
		expect((await dial('retry-on-fail', phones)).status).toBe(500);
		expect(callsTo(phones)).toEqual([1, 1, 1, 0]);
		const [execution] = await wf.waitForExecutions(n8n, id, 1);
		expect(execution.status).toBe('error');
		// Only a try after the first can say so: n8n did retry, and the retry sent nothing.
		expect(execution.data.resultData.error.message).toMatch(/^Row 3's call may have been placed by an earlier try of this run .*it is not sent again/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice').filter((request: any) => phones.includes(request.fields.destnumber))).toHaveLength(3);
	}, 120_000);

	test('Retry On Fail with Continue On Fail: n8n retries while the first item is an error; the rows come out once, marked placedInEarlierTry', async () => {
		const workflow = wf.dialWorkflow({ name: 'Retry On Fail (continue)', path: 'retry-continue', credential, continueOnFail: true, callParameters: dialOptions() });
		Object.assign(workflow.nodes.find((node: any) => node.name === 'SIP Call'), { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 });
		await wf.publishWorkflow(n8n, workflow, ['retry-continue']);
		sim.injectFault({ kind: 'status', status: 500, placesCall: true, service: 'App.Sip_Call.PlayVoice' });
		const phones = ['13900002301', '13900002302', '13900002303'];
		const answer = await dial('retry-continue', phones);
		expect(answer.status).toBe(200);
		expect(callsTo(phones)).toEqual([1, 1, 1]);
		expect(answer.json.map((item: any) => [item.destnumber, item.accepted, item.mayHaveBeenPlaced ?? null, item.placedInEarlierTry ?? false])).toEqual([
			['13900002301', false, true, true],
			['13900002302', true, null, true],
			['13900002303', true, null, true],
		]);
	}, 120_000);

	test('started twice while the first\'s calls are still going: each number rung once, the second execution\'s rows skipped', async () => {
		await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Skip (twice)', path: 'skip-twice', credential, callParameters: dialOptions(skipOption) }), ['skip-twice']);
		sim.setRecordDelayMs(600_000);
		// The first execution's first call is answered 3 s late: it is still dialing when the second starts.
		sim.injectFault({ kind: 'latency', service: 'App.Sip_Call.PlayVoice', delayMs: 3000 });
		const phones = ['13900002401', '13900002402', '13900002403'];
		const before = sim.requestsFor('App.Sip_Call.PlayVoice').length;
		const first = dial('skip-twice', phones);
		await sim.requestsArrived('App.Sip_Call.PlayVoice', before + 1);
		const second = await dial('skip-twice', phones);
		const firstAnswer = await first;
		expect(callsTo(phones)).toEqual([1, 1, 1]);
		expect(firstAnswer.json.map((item: any) => item.accepted)).toEqual([true, true, true]);
		expect(second.json.map((item: any) => [item.skipped, item.skipReason])).toEqual(
			phones.map(() => [true, expect.stringMatching(/^This node placed a call to the same number within the last hour or so/)]),
		);
	}, 120_000);

	test('Max Calls per Execution counts every run of the node in one execution: Loop Over Items (2 a batch), 5 rows, max 3 → 3 calls, 2 refused', async () => {
		const workflow = wf.dialWorkflow({ name: 'Max calls in a loop', path: 'max-loop', credential, continueOnFail: true, callParameters: dialOptions({ maxCallsPerExecution: 3 }) });
		const webhook = workflow.nodes.find((node: any) => node.name === 'Rows In');
		webhook.parameters = { httpMethod: 'POST', path: 'max-loop', responseMode: 'onReceived', options: {} };
		workflow.nodes.push(
			{ id: randomUUID(), name: 'Loop Over Items', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, position: [330, 200], parameters: { batchSize: 2, options: {} } },
			{ id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, 200], parameters: {} },
		);
		workflow.connections['One Item per Row'] = { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] };
		workflow.connections['Loop Over Items'] = { main: [[{ node: 'Done', type: 'main', index: 0 }], [{ node: 'SIP Call', type: 'main', index: 0 }]] };
		workflow.connections['SIP Call'] = { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] };
		const id = await wf.publishWorkflow(n8n, workflow, ['max-loop']);
		const phones = ['13900002501', '13900002502', '13900002503', '13900002504', '13900002505'];
		expect((await dial('max-loop', phones)).status).toBe(200);

		const [execution] = await wf.waitForExecutions(n8n, id, 1);
		expect(execution.status).toBe('success');
		expect(execution.data.resultData.runData['SIP Call']).toHaveLength(3);
		expect(callsTo(phones)).toEqual([1, 1, 1, 0, 0]);
		expect(wf.allRunItems(execution, 'SIP Call').map((item: any) => [item.destnumber, item.accepted, item.error ?? null])).toEqual([
			['13900002501', true, null],
			['13900002502', true, null],
			['13900002503', true, null],
			['13900002504', false, 'Max Calls per Execution (3) reached: this row was not called'],
			['13900002505', false, 'Max Calls per Execution (3) reached: this row was not called'],
		]);
	}, 120_000);
});
