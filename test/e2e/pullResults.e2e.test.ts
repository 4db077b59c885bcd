/**
 * Pulling results in a real n8n, with the platform dropping every callback: the example workflow
 * "rows → calls → wait → get results" (no trigger anywhere) dials 20 rows, loops the pending ones
 * through n8n's Wait node, and ends with every row's result; a list dialed and waited for ends in
 * Get Summary's one item; a recording arrives as binary data.
 */
export {}; // a module: its names are its own

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readExample, withCredential, EXAMPLES } = require('./examples');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

let n8n: any;
let sim: any;
let credential: { id: string; name: string };
const RECORDING = '2028/20261120/e2e-recording.mp3';

beforeAll(async () => {
	// Records appear 6 s after a call ends, as on a busy platform. The workflow's first Get Results
	// comes 2 s after the last call was dialed, before that call's record can exist: some rows are
	// pending at first whatever the machine's speed.
	sim = await startSimulator({ speed: 20, dropCallbacks: true, recordDelayMs: 6000 });
	sim.addCallRecords([{ recordfilename: RECORDING }]);
	n8n = await startN8n();
	credential = await wf.createCredential(n8n, 'Simulator (token)', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	// Addresses are set, as in a back office, but every callback is dropped on the way.
	sim.setCallbackUrls({ statusUrl: `${n8n.baseUrl}/webhook/unreachable`, cdrUrl: `${n8n.baseUrl}/webhook/unreachable` });
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

test('20 rows dialed, no callback reaches n8n, pending rows loop through the Wait node until all 20 results are in', async () => {
	const workflow = withCredential(readExample(EXAMPLES.getResults), credential);
	workflow.nodes.find((node: any) => node.type === 'n8n-nodes-base.wait').parameters.amount = 2;
	const path = workflow.nodes.find((node: any) => node.type === 'n8n-nodes-base.webhook').parameters.path;
	const id = await wf.publishWorkflow(n8n, workflow, [path]);
	const rows = Array.from({ length: 20 }, (_, i) => ({ phone: `139000002${String(i).padStart(2, '0')}`, crmId: `crm-${i}` }));
	const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
	expect(answer.status).toBe(200);

	const [execution] = await wf.waitForExecutions(n8n, id, 1, 90000);
	expect(execution.status).toBe('success');
	const runs = execution.data.resultData.runData['Get Results'];
	expect(runs.length).toBeGreaterThanOrEqual(2);
	expect(runs[0].data.main[1].length).toBeGreaterThan(0); // some rows were pending at first
	const finished = wf.allRunItems(execution, 'Call Finished');
	expect(finished.map((item: any) => item.customuuid).sort()).toEqual(rows.map((row) => row.crmId).sort());
	for (const item of finished) {
		const row = rows.find((candidate) => candidate.crmId === item.customuuid)!;
		expect(item.destnumber).toBe(row.phone);
		const last = row.phone.slice(-1);
		expect(item.resultStatus).toBe(last === '0' || last === '9' ? 'notAnswered' : 'answered');
		if (!['0', '7', '8', '9'].includes(last)) expect(item.keyPressed).toBe(last);
		expect(typeof item.hangupCauseName).toBe('string');
	}
	expect(wf.allRunItems(execution, 'Gave Up (No Record)')).toHaveLength(0);
	expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(20);
	// One sweep per round, not one request per row.
	expect(sim.requestsFor('App.Sip_Cdr.GetBill')).toHaveLength(runs.length);
	const cdrCallbacks = sim.record.callbacks.filter((callback: any) => callback.kind === 'cdr');
	expect(cdrCallbacks).toHaveLength(20);
	expect(cdrCallbacks.every((callback: any) => callback.dropped && callback.attempts.length === 0)).toBe(true);
}, 120000);

test('rows → Play Voice Menu and Wait for Result → Get Summary: one item counting the list, as the platform\'s records say', async () => {
	const path = 'rows-wait-summary';
	const workflow = wf.dialAndWaitWorkflow({ name: 'Rows, wait, summary', path, credential });
	const summaryNode = workflow.nodes.find((node: any) => node.name === 'After the Call');
	Object.assign(summaryNode, { name: 'Summary', type: wf.SIP_CALL, credentials: { sipCallApi: credential }, parameters: { resource: 'callRecord', operation: 'getSummary', summarise: 'listRows', summaryOptions: {} } });
	workflow.connections['SIP Call'] = { main: [[{ node: 'Summary', type: 'main', index: 0 }]] };
	await wf.publishWorkflow(n8n, workflow, [path]);
	// Last digit: 1 presses the transfer key (put through to an agent), 2 presses 2, 0 never answers, 9 busy, 8 presses nothing, 7 hangs up during the voice.
	const phones = ['13900000611', '13900000612', '13900000610', '13900000619', '13900000618', '13900000617'];
	const rows = phones.map((phone, i) => ({ phone, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `sum-${i}` }));
	const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
	expect(answer.status).toBe(200);

	const execution = await wf.waitForExecution(n8n, String(answer.json.executionId), 90000);
	expect(execution.status).toBe('success');
	const [summaries] = wf.nodeOutputs(execution, 'Summary');
	expect(summaries).toHaveLength(1);
	const records = sim.callRecords().filter((record: any) => phones.includes(record.destnumber));
	expect(records).toHaveLength(6);
	const answered = records.filter((record: any) => record.answertime !== '');
	const talk = answered.map((record: any) => Number(record.billsec)).sort((a: number, b: number) => a - b);
	expect(summaries[0]).toMatchObject({
		summarised: 'listRows',
		listSize: 6,
		calls: 6,
		answered: answered.length,
		notAnswered: 6 - answered.length,
		pending: 0,
		notPlaced: 0,
		transferredToAgent: records.filter((record: any) => record.extnumber !== '').length,
		talkTimeSeconds: { total: talk.reduce((sum: number, seconds: number) => sum + seconds, 0), median: (talk[1] + talk[2]) / 2 },
	});
	expect(summaries[0]).toMatchObject({ answered: 4, answerRate: 0.667, transferredToAgent: 1, byKeyPressed: { '1': 1, '2': 1, none: 2 } });
	expect(summaries[0].byHangupCause).toEqual({ 'normal clearing': 4, 'no answer': 1, busy: 1 });
}, 120000);

test('a recording arrives as binary data', async () => {
	const path = 'recording-binary';
	const id = await wf.publishWorkflow(
		n8n,
		{
			name: 'Recording as binary',
			nodes: [
				{ id: 'r1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'd6c1f0a2-5a41-4d55-9b0e-000000000601', parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
				{
					id: 'r2',
					name: 'Get Recording',
					type: wf.SIP_CALL,
					typeVersion: 1,
					position: [220, 0],
					credentials: { sipCallApi: credential },
					parameters: { resource: 'recording', operation: 'get', recordFileName: '={{ $json.body.recordfilename }}', download: true, binaryPropertyName: 'data', recordingOptions: {} },
				},
			],
			connections: { Webhook: { main: [[{ node: 'Get Recording', type: 'main', index: 0 }]] } },
		},
		[path],
	);
	await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { recordfilename: RECORDING } });
	const [execution] = await wf.waitForExecutions(n8n, id, 1, 30000);
	expect(execution.status).toBe('success');
	const [item] = execution.data.resultData.runData['Get Recording'][0].data.main[0];
	expect(item.binary.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: 'e2e-recording.mp3' });
	expect(item.json.fileSize).toBeGreaterThan(1000);
	expect(item.json.expiresAt).toMatch(/\+08:00$/);
	expect(sim.recordingDownloads().map((download: any) => download.status)).toEqual([200]);
}, 60000);
