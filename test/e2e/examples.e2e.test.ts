/** Each example workflow, imported into a real n8n as a user would, runs and gives what its README says. */
import { randomUUID } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadExamples, MCP_TOKEN } = require('./examples');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { connectMcp, initializeStatus } = require('./mcpClient');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { silentMp3 } = require('../simulator/recordings');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let n8n: any;
let sim: any;
let examples: any;

beforeAll(async () => {
	sim = await startSimulator({ speed: 200 });
	n8n = await startN8n(process.env.SIPCALL_E2E_N8N_VERSION ? { version: process.env.SIPCALL_E2E_N8N_VERSION } : {});
	const credential = await wf.createCredential(n8n, 'SIP Call API', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	examples = await loadExamples(n8n, credential, { edit: { campaign: campaignTestSettings, agentTool: agentToolTestSettings, form: formTestSettings } });
	sim.setCallbackUrls({ statusUrl: examples.statusNotify.url, cdrUrl: examples.cdrToSheet.url });
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

/**
 * The campaign example's own settings call on weekdays 09:00-20:00 and redial 10 minutes apart
 * (Wait Limit 30). Its test runs at any hour and in seconds: the window is open every day, all day,
 * and missed calls are redialed 0.1 minute (6 s) apart, with a Wait Limit of 4 (≥ (3 − 1) × 0.1 + 3).
 */
function campaignTestSettings(workflow: any) {
	const call = workflow.nodes.find((node: any) => node.name === 'Call with Redial');
	call.parameters.options.callingWindow.window = {
		days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
		hours: '00:00-24:00',
		timeZone: 'Asia/Shanghai',
	};
	call.parameters.waitOptions.redial.settings.minutesBetween = 0.1;
	call.parameters.waitLimit = 4;
}

/** The agent example calls on weekdays 09:00-20:00 and up to 20 times a day; its test runs at any hour, with a day of 2 calls. */
function agentToolTestSettings(workflow: any) {
	const options = workflow.nodes.find((node: any) => node.name === 'Call a Customer').parameters.options;
	options.callingWindow.window = { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'], hours: '00:00-24:00', timeZone: '' };
	options.maxCallsPerDay = 2;
}

/** The form example calls on weekdays 09:00-20:00; its test runs at any hour. */
function formTestSettings(workflow: any) {
	workflow.nodes.find((node: any) => node.name === 'Call Back').parameters.options.callingWindow.window = {
		days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'],
		hours: '00:00-24:00',
		timeZone: '',
	};
}

/** Submits the form as a browser does (multipart, n8n's field-N names), once n8n serves it. */
async function submitForm(url: string, fields: string[]) {
	const started = Date.now();
	for (;;) {
		const form = new FormData();
		fields.forEach((value, index) => form.append(`field-${index}`, value));
		const answer = await fetch(url, { method: 'POST', body: form });
		if (answer.status !== 404 || Date.now() - started > 20000) return answer.status;
		await sleep(300);
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Places calls through the "New CRM row → voice menu call" example, as a CRM would. */
async function dial(rows: Array<{ phone: string; crmId: string }>) {
	const answer = await http('POST', examples.dial.url, { body: { rows } });
	expect(answer.status).toBe(200);
	return answer.json;
}

/** The rows of a CSV file, header first (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const endField = () => {
		row.push(field);
		field = '';
	};
	const endRow = () => {
		endField();
		rows.push(row);
		row = [];
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted && char === '"' && text[i + 1] === '"') {
			field += '"';
			i++;
		} else if (char === '"') {
			quoted = !quoted;
		} else if (quoted) {
			field += char;
		} else if (char === ',') {
			endField();
		} else if (char === '\n') {
			endRow();
		} else if (char !== '\r') {
			field += char;
		}
	}
	if (field || row.length) endRow();
	return rows;
}

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

test('"CDR keypress → spreadsheet row" gives one row per CDR on the branch of its key, "Other" keys included', async () => {
	// Ends in 4: answers and presses 4, a key without an output of its own.
	await dial([{ phone: '13800000004', crmId: 'A-4' }]);
	await sim.settled();
	const executions = await wf.waitForExecutions(n8n, examples.cdrToSheet.id, 3);
	expect(executions).toHaveLength(3);
	const rows = executions.map((execution: any) => ({
		branch: wf.nodeOutputs(execution, 'Call Ended').findIndex((items: unknown[]) => items.length),
		row: wf.nodeOutputs(execution, 'Sheet Row (swap in your sheet)')[0][0],
	}));
	const byId = Object.fromEntries(rows.map((entry: any) => [entry.row['CRM ID'], entry]));
	expect(byId['A-1']).toMatchObject({ branch: 0, row: { Phone: '13800000001', Answered: true, 'Key Pressed': '1', Outcome: 'pressed 1' } });
	expect(byId['A-3']).toMatchObject({ branch: 3, row: { Answered: false, 'Talk Seconds': 0, Outcome: 'not answered' } });
	// "Other" (output 4) is wired: the key-4 CDR reached the sheet step.
	expect(byId['A-4']).toMatchObject({ branch: 4, row: { Phone: '13800000004', Answered: true, 'Key Pressed': '4', Outcome: 'pressed 4' } });
	expect(byId['A-1'].row['Ended At']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
});

/** Posts a list to a call-and-wait example; returns its execution once it finished, successfully. */
async function dialAndWaitForExecution(url: string, rows: object[], placedCount: number) {
	const before = sim.requestsFor('App.Sip_Call.PlayVoice').length;
	const waitingBefore = await wf.waitingExecutionIds(n8n);
	const answer = await http('POST', url, { body: { rows } });
	expect(answer.status).toBe(200);
	const placed = (await sim.requestsArrived('App.Sip_Call.PlayVoice', before + placedCount)).slice(before);
	expect(placed).toHaveLength(placedCount);
	const execution = await wf.waitForExecution(n8n, await wf.newWaitingExecution(n8n, waitingBefore));
	expect(execution.status).toBe('success');
	return execution;
}

test('"Extension status → notify" gives one notification per extension event', async () => {
	const executions = await wf.waitForExecutions(n8n, examples.statusNotify.id, 3);
	const texts = executions.map((execution: any) => wf.nodeOutputs(execution, 'Notification (swap in Slack, email…)')[0][0].text);
	expect(texts).toHaveLength(3);
	expect(texts[0]).toMatch(/^📞 Ringing: extension \d+ ↔ customer 13800000001 at \d{4}-/);
	expect(texts[1]).toMatch(/^✅ Answered:/);
	expect(texts[2]).toMatch(/^👋 Hung up:/);
});

test('"Rows → calls → wait for each key pressed" continues once with every row\'s result, on the branch of its key', async () => {
	const rows = [
		{ phone: '13800000011', crmId: 'W-1' }, // presses 1
		{ phone: '13800000014', crmId: 'W-2' }, // presses 4
		{ phone: '13800000018', crmId: 'W-3' }, // answers, presses nothing
		{ phone: '13800000010', crmId: 'W-4' }, // never answers
	];
	const execution = await dialAndWaitForExecution(examples.callAndWait.url, rows, 4);
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

test('"Call list → wait for every result → one results file" writes every row\'s result into one CSV file', async () => {
	const rows = [
		{ phone: '13800000051', crmId: 'L-1' }, // presses 1
		{ phone: '13800000054', crmId: 'L-2' }, // presses 4
		{ phone: '13800000058', crmId: 'L-3' }, // answers, presses nothing
		{ phone: '13800000050', crmId: 'L-4' }, // never answers
		{ phone: 'not-a-number', crmId: 'L-5' }, // refused before dialing
	];
	const execution = await dialAndWaitForExecution(examples.listToFile.url, rows, 4);
	// One run of the file step, one item, one file: the whole list in one batch.
	const fileRuns = execution.data.resultData.runData['Results File (swap in your sheet)'];
	expect(fileRuns).toHaveLength(1);
	const [file] = wf.allRunItemsWithBinary(execution, 'Results File (swap in your sheet)');
	expect(wf.allRunItemsWithBinary(execution, 'Results File (swap in your sheet)')).toHaveLength(1);
	expect(file.binary.data).toMatchObject({ fileName: 'call-results.csv', mimeType: 'text/csv' });
	const text = (await wf.binaryBytes(n8n, file.binary.data)).toString('utf8');
	// n8n starts its CSV with a byte-order mark (so Excel reads UTF-8), as CSV readers expect.
	const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, '')).filter((line) => line.join(''));
	expect(header).toEqual(['CRM ID', 'Phone', 'Result', 'Key Pressed', 'Talk Seconds', 'Hang-up Cause', 'Ended At', 'Error']);
	const column = (line: string[], name: string) => line[header.indexOf(name)];
	expect(lines).toHaveLength(rows.length);
	const byId = Object.fromEntries(lines.map((line) => [column(line, 'CRM ID'), { result: column(line, 'Result'), key: column(line, 'Key Pressed'), line }]));
	expect(Object.keys(byId).sort()).toEqual(['L-1', 'L-2', 'L-3', 'L-4', 'L-5']);
	expect(byId['L-1']).toMatchObject({ result: 'answered', key: '1' });
	expect(byId['L-2']).toMatchObject({ result: 'answered', key: '4' });
	expect(byId['L-3']).toMatchObject({ result: 'answered', key: '' });
	expect(byId['L-4']).toMatchObject({ result: 'notAnswered', key: '' });
	expect(byId['L-5'].result).toBe('notPlaced');
	expect(column(byId['L-5'].line, 'Error')).toContain('"not-a-number" is not a phone number');
	expect(column(byId['L-1'].line, 'Ended At')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
}, 120000);

test('"Call recording → audio file for transcription" puts out each answered call\'s recording as MP3 binary data', async () => {
	// The platform has one CDR callback address: point it at this example's trigger for these calls.
	sim.setCallbackUrls({ cdrUrl: examples.recordingAudio.url });
	try {
		await dial([
			{ phone: '13800000065', crmId: 'V-1' }, // answers and presses 5: recorded
			{ phone: '13800000060', crmId: 'V-2' }, // never answers: no recording
		]);
		await sim.settled();
	} finally {
		sim.setCallbackUrls({ cdrUrl: examples.cdrToSheet.url });
	}
	const executions = await wf.waitForExecutions(n8n, examples.recordingAudio.id, 2);
	expect(executions).toHaveLength(2);
	expect(executions.every((execution: any) => execution.status === 'success')).toBe(true);
	const recorded = sim.callRecords().find((record: any) => record.customuuid === 'V-1');
	expect(recorded.recordfilename).toMatch(/\.mp3$/);
	const audio = executions.flatMap((execution: any) => wf.allRunItemsWithBinary(execution, 'Transcribe the Recording'));
	// Only the answered call has a recording; the other was left out ("Skip Records Without Recording").
	expect(audio).toHaveLength(1);
	expect(audio[0].json).toMatchObject({ recordfilename: recorded.recordfilename, fileSize: silentMp3(recorded.recordfilename).length });
	expect(audio[0].binary.data).toMatchObject({ mimeType: 'audio/mpeg', fileName: recorded.recordfilename, fileExtension: 'mp3' });
	const bytes = await wf.binaryBytes(n8n, audio[0].binary.data);
	expect(bytes.equals(silentMp3(recorded.recordfilename))).toBe(true);
	const notAnswered = executions.find((execution: any) => wf.nodeOutputs(execution, 'Call Ended')[0][0].customuuid === 'V-2');
	expect(wf.nodeOutputs(notAnswered, 'Download Recording')).toEqual([[]]);
}, 120000);

test('"Call records → spreadsheet rows" (no public URL) gives each new call record once, polled from the platform', async () => {
	const rows = [
		{ phone: '13800000071', crmId: 'R-1' }, // presses 1
		{ phone: '13800000078', crmId: 'R-2' }, // answers, presses nothing
		{ phone: '13800000070', crmId: 'R-3' }, // never answers
	];
	await dial(rows);
	await sim.settled();
	// The trigger polls every minute (at a second n8n picks at random): wait for the next poll.
	const emitted = async () => {
		const executions = await wf.executionsOf(n8n, examples.recordsToSheet.id);
		return executions.flatMap((execution: any) => wf.allRunItems(execution, 'Sheet Row (swap in your sheet)'));
	};
	const until = Date.now() + 100_000;
	let sheetRows = await emitted();
	while (!rows.every((row) => sheetRows.some((sheetRow: any) => sheetRow['CRM ID'] === row.crmId)) && Date.now() < until) {
		await sleep(1000);
		sheetRows = await emitted();
	}
	const mine = sheetRows.filter((row: any) => rows.some((placed) => placed.crmId === row['CRM ID']));
	const byId = Object.fromEntries(mine.map((row: any) => [row['CRM ID'], row]));
	expect(mine).toHaveLength(3);
	expect(byId).toEqual({
		'R-1': expect.objectContaining({ Phone: '13800000071', Answered: true, 'Key Pressed': '1', Outcome: 'pressed 1' }),
		'R-2': expect.objectContaining({ Phone: '13800000078', Answered: true, 'Key Pressed': '', Outcome: 'answered, no key' }),
		'R-3': expect.objectContaining({ Phone: '13800000070', Answered: false, 'Talk Seconds': 0, Outcome: 'not answered' }),
	});
	// Nothing the trigger put out came twice (calls of the tests above included).
	const ids = sheetRows.map((row: any) => row['CRM ID']).filter(Boolean);
	expect(ids).toEqual([...new Set(ids)]);
	// The same records' recordings reach the transcription node (here its stand-in) as MP3 files: the recorded calls only.
	const recorded = sim.callRecords().filter((record: any) => rows.some((row) => row.crmId === record.customuuid) && record.recordfilename);
	expect(recorded.length).toBeGreaterThan(0);
	const audio = (await wf.executionsOf(n8n, examples.recordsToSheet.id)).flatMap((execution: any) => wf.allRunItemsWithBinary(execution, 'Transcribe the Recording'));
	const transcribed = audio.filter((item: any) => recorded.some((record: any) => record.recordfilename === item.json.recordfilename));
	expect(transcribed.map((item: any) => item.json.recordfilename).sort()).toEqual(recorded.map((record: any) => record.recordfilename).sort());
	for (const item of transcribed) expect(item.binary.data).toMatchObject({ mimeType: 'audio/mpeg', fileExtension: 'mp3' });
}, 150000);

test('"Campaign with redial" calls each row within the window, redials who missed, writes every result, then one summary; run again, it rings nobody', async () => {
	const rows = [
		{ phone: '13800000081', crmId: 'C-1' }, // scripted: busy, then answers and presses 1
		{ phone: '13800000082', crmId: 'C-2' }, // presses 2
		{ phone: '13800000089', crmId: 'C-3' }, // always busy: called Calls per Row (3) times
		{ phone: '138 0000 0083', crmId: 'C-4' }, // as a sheet holds it: cleaned up, presses 3
		{ phone: 'not-a-number', crmId: 'C-5' }, // refused before dialing
		{ phone: '13800000084', crmId: 'C-6', Result: 'answered' }, // called on an earlier day: left out by Not Called Yet
	];
	sim.scriptCallee('13800000081', [BEHAVIOURS.busy, BEHAVIOURS.pressKey('1')]);
	const phones = ['13800000081', '13800000082', '13800000089', '13800000083'];
	// 4 first calls; the redials come while the execution waits.
	const execution = await dialAndWaitForExecution(examples.campaign.url, rows, 4);

	// The platform's own record of what was dialed: each row as often as its outcomes call for.
	expect(phones.map((phone) => sim.callsTo(phone))).toEqual([2, 1, 3, 1]);
	expect(sim.callsTo('13800000084')).toBe(0);
	// The window was open: no row left outside it, the Wait node never ran.
	expect(wf.nodeOutputs(execution, 'Outside the Calling Window?')[0] ?? []).toEqual([]);
	expect(execution.data.resultData.runData['Wait Until the Window Opens']).toBeUndefined();

	// Results written back to the sheet (here its stand-in, a CSV file of what the Google Sheets node would write): a line per row.
	const [file] = wf.allRunItemsWithBinary(execution, 'Write Results to the Sheet');
	expect(wf.allRunItemsWithBinary(execution, 'Write Results to the Sheet')).toHaveLength(1);
	expect(file.binary.data).toMatchObject({ fileName: 'campaign-with-redial.csv', mimeType: 'text/csv' });
	const text = (await wf.binaryBytes(n8n, file.binary.data)).toString('utf8');
	const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, '')).filter((line) => line.join(''));
	expect(header).toEqual(['crmId', 'Number Dialed', 'Result', 'Calls Placed', 'Key Pressed', 'Talk Seconds', 'Hang-up Cause', 'Ended At', 'Note']);
	const byId = Object.fromEntries(lines.map((line) => [line[0], Object.fromEntries(header.map((name, i) => [name, line[i]]))]));
	expect(Object.keys(byId).sort()).toEqual(['C-1', 'C-2', 'C-3', 'C-4', 'C-5']);
	expect(byId['C-1']).toMatchObject({ 'Number Dialed': '13800000081', Result: 'answered', 'Calls Placed': '2', 'Key Pressed': '1', 'Hang-up Cause': 'normal clearing' });
	expect(byId['C-2']).toMatchObject({ 'Number Dialed': '13800000082', Result: 'answered', 'Calls Placed': '1', 'Key Pressed': '2' });
	expect(byId['C-3']).toMatchObject({ 'Number Dialed': '13800000089', Result: 'notAnswered', 'Calls Placed': '3', 'Key Pressed': '', 'Hang-up Cause': 'busy' });
	expect(byId['C-4']).toMatchObject({ 'Number Dialed': '13800000083', Result: 'answered', 'Calls Placed': '1', 'Key Pressed': '3' });
	expect(byId['C-5']).toMatchObject({ Result: 'notPlaced', 'Calls Placed': '0' });
	expect(byId['C-5'].Note).toContain('not-a-number');

	// One summary of the list, as the platform's records say (each row counted by its last call).
	const [summaries] = wf.nodeOutputs(execution, 'Campaign Summary');
	expect(summaries).toHaveLength(1);
	const answeredRecords = sim.callRecords().filter((record: any) => phones.includes(record.destnumber) && record.answertime !== '');
	expect(answeredRecords).toHaveLength(3);
	expect(summaries[0]).toMatchObject({
		summarised: 'listRows',
		listSize: 5,
		calls: 4,
		answered: 3,
		notAnswered: 1,
		answerRate: 0.75,
		pending: 0,
		notPlaced: 1,
		transferredToAgent: answeredRecords.filter((record: any) => record.extnumber !== '').length,
		byKeyPressed: { '1': 1, '2': 1, '3': 1 },
		talkTimeSeconds: expect.objectContaining({ total: answeredRecords.reduce((sum: number, record: any) => sum + Number(record.billsec), 0) }),
	});
	expect(summaries[0].byHangupCause).toEqual({ 'normal clearing': 3, busy: 1 });
	const [message] = wf.allRunItems(execution, 'Summary Message (swap in Slack, email…)');
	expect(message.text).toContain('5 rows, 7 calls placed (redials included)');
	expect(message.text).toContain('Answered: 3 of 4 (75%)');

	// The same list run again (a re-run, a retry): Skip Numbers Already Called rings nobody twice.
	const again = await http('POST', examples.campaign.url, { body: { rows } });
	expect(again.status).toBe(200);
	const [, rerun] = await wf.waitForExecutions(n8n, examples.campaign.id, 2, 60000);
	expect(rerun.status).toBe('success');
	expect(phones.map((phone) => sim.callsTo(phone))).toEqual([2, 1, 3, 1]);
	const rerunLines = wf.allRunItems(rerun, 'Result Columns');
	expect(rerunLines.map((line: any) => [line.crmId, line.Result, line['Calls Placed']])).toEqual([
		['C-1', 'skipped', 0],
		['C-2', 'skipped', 0],
		['C-3', 'skipped', 0],
		['C-4', 'skipped', 0],
		['C-5', 'notPlaced', 0],
	]);
}, 120000);

describe('"AI agent tool: call a customer, within limits", called as an MCP host (an agent) calls it', () => {
	test('one tool asking for the phone and CRM id; an allowed number is called once; any other is refused in words; Max Calls per Day holds across calls; no token, no tool', async () => {
		expect([401, 403]).toContain(await initializeStatus(examples.agentTool.url));
		expect([401, 403]).toContain(await initializeStatus(examples.agentTool.url, 'wrong-token'));
		const agent = await connectMcp(examples.agentTool.url, { token: MCP_TOKEN });
		const tools = await agent.listTools();
		expect(tools.map((tool: any) => tool.name)).toEqual(['Call_a_Customer']);
		expect(Object.keys(tools[0].inputSchema.properties).sort()).toEqual(['crmId', 'phone']);

		const first = await agent.callTool('Call_a_Customer', { phone: '13800009001', crmId: 'crm-agent-1' });
		expect(first.isError).toBe(false);
		expect(JSON.parse(first.text)[0]).toMatchObject({ accepted: true, destnumber: '13800009001', customuuid: 'crm-agent-1' });

		const outside = await agent.callTool('Call_a_Customer', { phone: '11000009002', crmId: 'crm-agent-2' });
		expect(outside.isError).toBe(true);
		expect(outside.text).toContain('Destination Number "11000009002" is not among the Allowed Numbers');

		expect((await agent.callTool('Call_a_Customer', { phone: '13800009003', crmId: 'crm-agent-3' })).isError).toBe(false);
		// Each tool call runs on its own: the day's count, kept in n8n's database, is what stops the third.
		const third = await agent.callTool('Call_a_Customer', { phone: '13800009004', crmId: 'crm-agent-4' });
		expect(third.isError).toBe(true);
		expect(third.text).toContain('Max Calls per Day (2) reached');
		expect(['13800009001', '11000009002', '13800009003', '13800009004'].map((phone) => sim.callsTo(phone))).toEqual([1, 0, 1, 0]);
	}, 120000);

	test('the same tool without Allowed Numbers places no call, and says which field to set', async () => {
		const credential = await wf.createCredential(n8n, 'SIP Call API (agent without limits)', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
		const open = await loadExamples(n8n, credential, {
			only: ['agentTool'],
			edit: {
				agentTool: (workflow: any) => {
					agentToolTestSettings(workflow);
					workflow.name = 'AI agent tool without Allowed Numbers';
					const trigger = workflow.nodes.find((node: any) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
					trigger.parameters.path = 'sip-call-agent-open';
					trigger.webhookId = randomUUID();
					delete workflow.nodes.find((node: any) => node.name === 'Call a Customer').parameters.options.allowedNumbers;
				},
			},
		});
		const agent = await connectMcp(open.agentTool.url, { token: MCP_TOKEN });
		const answer = await agent.callTool('Call_a_Customer', { phone: '13800009011', crmId: 'crm-open' });
		expect(answer.isError).toBe(true);
		expect(answer.text).toContain("Allowed Numbers is empty, and this node runs as an AI agent's tool: no call was placed");
		expect(sim.callsTo('13800009011')).toBe(0);
	}, 120000);
});

test('"Call-me-back form → voice menu call" calls the number a visitor leaves, as a sheet writes it; the same number again within a day rings nobody', async () => {
	const before = (await wf.executionsOf(n8n, examples.form.id)).length;
	const submissions = [
		['Li Lei', '138 0000 0095'],
		['Li Lei again', '+86 138 0000 0095'],
		// A number outside Allowed Numbers (a landline here) is refused in words, and nobody is rung.
		['Somebody', '010 1234 5678'],
	];
	// One after the other, as visitors do: each execution has ended before the next form is sent.
	for (const [index, fields] of submissions.entries()) {
		expect(await submitForm(examples.form.url, fields)).toBe(200);
		await wf.waitForExecutions(n8n, examples.form.id, before + index + 1);
	}
	const executions = (await wf.waitForExecutions(n8n, examples.form.id, before + 3)).slice(before);
	expect(executions.map((execution: any) => execution.status)).toEqual(['success', 'success', 'success']);
	const answers = executions.map((execution: any) => wf.nodeOutputs(execution, 'Call Back')[0][0]);
	expect(answers[0]).toMatchObject({ accepted: true, destnumber: '13800000095' });
	expect(answers[1]).toMatchObject({ accepted: false, skipped: true });
	expect(answers[2].error).toContain('is not among the Allowed Numbers');
	expect(sim.callsTo('13800000095')).toBe(1);
	expect(sim.callsTo('01012345678')).toBe(0);
}, 120000);
