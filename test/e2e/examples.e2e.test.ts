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
