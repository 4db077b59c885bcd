/** Each example workflow, imported into a real n8n as a user would, runs and gives what its README says. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadExamples } = require('./examples');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

let n8n: any;
let sim: any;
let examples: any;

beforeAll(async () => {
	sim = await startSimulator({ speed: 200 });
	n8n = await startN8n(process.env.SIPCALL_E2E_N8N_VERSION ? { version: process.env.SIPCALL_E2E_N8N_VERSION } : {});
	const credential = await wf.createCredential(n8n, 'SIP Call API', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	examples = await loadExamples(n8n, credential);
	sim.setCallbackUrls({ statusUrl: examples.statusNotify.url, cdrUrl: examples.cdrToSheet.url });
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

test('"New CRM row → voice menu call" calls each row, and reports a bad row without stopping', async () => {
	const rows = [
		{ phone: '13800000001', crmId: 'A-1' },
		{ phone: 'not-a-number', crmId: 'A-2' },
		{ phone: '13800000000', crmId: 'A-3' },
	];
	const answer = await http('POST', examples.dial.url, { body: { rows } });
	expect(answer.status).toBe(200);
	expect(answer.json.map((item: any) => [item.accepted, item.customuuid])).toEqual([
		[true, 'A-1'],
		[false, 'A-2'],
		[true, 'A-3'],
	]);
	expect(answer.json[1].error).toContain('"not-a-number" is not a phone number');
	expect(sim.callsTo('13800000001', 'A-1')).toBe(1);
	expect(sim.callsTo('13800000000', 'A-3')).toBe(1);
	expect(sim.record.calls).toHaveLength(2);
});

test('"CDR keypress → spreadsheet row" gives one row per CDR on the branch of its key', async () => {
	await sim.settled();
	const executions = await wf.waitForExecutions(n8n, examples.cdrToSheet.id, 2);
	const rows = executions.map((execution: any) => ({
		branch: wf.nodeOutputs(execution, 'Call Ended').findIndex((items: unknown[]) => items.length),
		row: wf.nodeOutputs(execution, 'Sheet Row (swap in your sheet)')[0][0],
	}));
	const byId = Object.fromEntries(rows.map((entry: any) => [entry.row['CRM ID'], entry]));
	expect(byId['A-1']).toMatchObject({ branch: 0, row: { Phone: '13800000001', Answered: true, 'Key Pressed': '1', Outcome: 'pressed 1' } });
	expect(byId['A-3']).toMatchObject({ branch: 3, row: { Answered: false, 'Talk Seconds': 0, Outcome: 'not answered' } });
	expect(byId['A-1'].row['Ended At']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

test('"Extension status → notify" gives one notification per extension event', async () => {
	const executions = await wf.waitForExecutions(n8n, examples.statusNotify.id, 3);
	const texts = executions.map((execution: any) => wf.nodeOutputs(execution, 'Notification (swap in Slack, email…)')[0][0].text);
	expect(texts).toHaveLength(3);
	expect(texts[0]).toMatch(/^📞 Ringing: extension \d+ ↔ customer 13800000001 at \d{4}-/);
	expect(texts[1]).toMatch(/^✅ Answered:/);
	expect(texts[2]).toMatch(/^👋 Hung up:/);
});

test('"Rows → calls → wait for each key pressed" continues once with every row\'s result, on the branch of its key', async () => {
	const before = sim.requestsFor('App.Sip_Call.PlayVoice').length;
	const rows = [
		{ phone: '13800000011', crmId: 'W-1' }, // presses 1
		{ phone: '13800000014', crmId: 'W-2' }, // presses 4
		{ phone: '13800000018', crmId: 'W-3' }, // answers, presses nothing
		{ phone: '13800000010', crmId: 'W-4' }, // never answers
	];
	const answer = await http('POST', examples.callAndWait.url, { body: { rows } });
	expect(answer.status).toBe(200);
	const placed = (await sim.requestsArrived('App.Sip_Call.PlayVoice', before + rows.length)).slice(before);
	expect(placed).toHaveLength(4);
	const executionId = wf.executionIdOf(placed[0].fields.customuuid);
	const execution = await wf.waitForExecution(n8n, executionId);
	expect(execution.status).toBe('success');
	const byId = Object.fromEntries(wf.allRunItems(execution, 'Result Row (swap in your sheet)').map((row: any) => [row['CRM ID'], row]));
	expect(byId).toEqual({
		'W-1': expect.objectContaining({ Branch: 'Pressed 1', Result: 'answered', 'Key Pressed': '1' }),
		'W-2': expect.objectContaining({ Branch: 'Other Key', Result: 'answered', 'Key Pressed': '4' }),
		'W-3': expect.objectContaining({ Branch: 'Answered, No Key', Result: 'answered', 'Key Pressed': '' }),
		'W-4': expect.objectContaining({ Branch: 'Not Answered', Result: 'notAnswered', 'Talk Seconds': 0 }),
	});
	// The Switch put each row on the output its Branch names.
	const switchOutputs = wf.nodeOutputs(execution, 'Route by Key').map((items: any[]) => items.map((item) => item.customuuid));
	expect(switchOutputs).toEqual([['W-1'], ['W-2'], ['W-3'], ['W-4'], []]);
}, 120000);

test('"Rows → calls → wait → get results" ends with every row\'s result pulled from the platform, no trigger involved', async () => {
	const rows = [
		{ phone: '13800000021', crmId: 'G-1' }, // presses 1
		{ phone: '13800000028', crmId: 'G-2' }, // answers, presses nothing
		{ phone: '13800000020', crmId: 'G-3' }, // never answers
	];
	const answer = await http('POST', examples.getResults.url, { body: { rows } });
	expect(answer.status).toBe(200);
	const [execution] = await wf.waitForExecutions(n8n, examples.getResults.id, 1, 60000);
	expect(execution.status).toBe('success');
	const byId = Object.fromEntries(wf.allRunItems(execution, 'Call Finished').map((row: any) => [row.customuuid, row]));
	expect(byId).toEqual({
		'G-1': expect.objectContaining({ resultStatus: 'answered', keyPressed: '1' }),
		'G-2': expect.objectContaining({ resultStatus: 'answered', keyPressed: null }),
		'G-3': expect.objectContaining({ resultStatus: 'notAnswered', talkSeconds: 0 }),
	});
}, 120000);
