/**
 * The package inside a real n8n, installed as n8n installs a community package, against the
 * platform simulator: what n8n reports (webhook answers, executions through the public API,
 * the credential-test endpoint) and what the simulator recorded.
 */
import { randomUUID } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

const VERSION = process.env.SIPCALL_E2E_N8N_VERSION;
let n8n: any;
let sim: any;
let credential: { id: string; name: string };

beforeAll(async () => {
	sim = await startSimulator({ speed: 200 });
	n8n = await startN8n(VERSION ? { version: VERSION } : {});
	credential = await wf.createCredential(n8n, 'Simulator (token)', {
		apiUrl: sim.url,
		authentication: 'token',
		token: 'ABCDEFG',
	});
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
});

const ROWS = [
	{ phone: '13800000001', voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: 'crm-1' },
	{ phone: '13800000002', voiceType: 2, voiceFile: 'https://cdn.example.com/菜单.mp3', key: '2', group: '售后组', ref: '客户-二' },
	{ phone: '13800000008', voiceType: 1, voiceFile: 'menu.wav', key: '#', group: 'vip', ref: 'crm-3 & "x"' },
	{ phone: '13800000000', voiceType: 1, voiceFile: 'notice.mp3', key: '1', group: 'extGroup-1', ref: 'crm-4' },
];

async function dial(path: string, rows: object[]) {
	return await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
}

describe('in a real n8n', () => {
	let triggerWorkflowId: string;
	let triggerUrl: string;

	test('1. a workflow places one call per row and its items match what the platform received', async () => {
		await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Dial rows', path: 'dial', credential }), ['dial']);
		const webhookId = randomUUID();
		triggerUrl = `${n8n.baseUrl}/webhook/${webhookId}/sip-call`;
		triggerWorkflowId = await wf.publishWorkflow(
			n8n,
			wf.triggerWorkflow({ name: 'Callbacks', webhookId, parameters: { output: 'routeByKey', routedKeys: '1, 2' } }),
			[`${webhookId}/sip-call`],
		);
		sim.setCallbackUrls({ statusUrl: triggerUrl, cdrUrl: triggerUrl });

		const answer = await dial('dial', ROWS);
		expect(answer.status).toBe(200);
		const items = answer.json as Array<Record<string, unknown>>;
		const received = sim.requestsFor('App.Sip_Call.PlayVoice');
		expect(received).toHaveLength(ROWS.length);
		ROWS.forEach((row, index) => {
			// Two requests in flight: match what the platform received to the row by its number.
			const fields = received.find((request: any) => request.fields.destnumber === row.phone).fields;
			expect(fields).toEqual({
				service: 'App.Sip_Call.PlayVoice',
				token: 'ABCDEFG',
				destnumber: row.phone,
				voicetype: String(row.voiceType),
				voicefile: row.voiceFile,
				chengshudu: '1',
				userid: `${row.key}@${row.group}`,
				customuuid: row.ref,
			});
			expect(items[index]).toMatchObject({
				accepted: true,
				destnumber: fields.destnumber,
				voicetype: Number(fields.voicetype),
				voicefile: fields.voicefile,
				userid: fields.userid,
				customuuid: fields.customuuid,
				transferKey: row.key,
				extensionGroup: row.group,
			});
		});
		expect(JSON.stringify(items)).not.toContain('ABCDEFG');
	});

	test('2. the published trigger turns the platform\'s callbacks into normalized items, routed by key', async () => {
		await sim.settled();
		const callbacks = sim.record.callbacks;
		expect(callbacks.every((callback: any) => callback.attempts.at(-1).status === 200)).toBe(true);
		const executions = await wf.waitForExecutions(n8n, triggerWorkflowId, callbacks.length);
		expect(executions).toHaveLength(callbacks.length);
		const emitted = executions.flatMap((execution: any) =>
			wf.nodeOutputs(execution, 'SIP Call Trigger').flatMap((items: any[], output: number) => items.map((item) => ({ output, ...item }))),
		);
		const cdrs = Object.fromEntries(emitted.filter((item: any) => item.event === 'callEnded').map((item: any) => [item.customuuid, item]));
		expect(cdrs['crm-1']).toMatchObject({ output: 0, keyPressed: '1', answered: true, destnumber: '13800000001' });
		expect(cdrs['客户-二']).toMatchObject({ output: 1, keyPressed: '2', answered: true });
		expect(cdrs['crm-3 & "x"']).toMatchObject({ output: 2, keyPressed: null, answered: true });
		expect(cdrs['crm-4']).toMatchObject({ output: 3, answered: false, answertime: null });
		// Rows 1 and 2 press their row's transfer key, so the platform puts them through to an agent.
		const statuses = emitted.filter((item: any) => item.event !== 'callEnded');
		const byCall = (callee: string) =>
			statuses.filter((item: any) => item.callee === callee).map((item: any) => [item.output, item.event]);
		for (const callee of ['13800000001', '13800000002']) {
			expect(byCall(callee)).toEqual([
				[4, 'extensionRinging'],
				[4, 'extensionAnswered'],
				[4, 'extensionHungUp'],
			]);
		}
		expect(statuses).toHaveLength(6);
		expect(statuses[0]).toMatchObject({ isbleg: true, method: 3, companycode: 2028 });
	});

	test('2b. every callback delivered again is answered 200 and starts nothing', async () => {
		const before = (await wf.executionsOf(n8n, triggerWorkflowId)).length;
		for (const callback of sim.record.callbacks) {
			const again = await http('POST', triggerUrl, { body: callback.body });
			expect(again.status).toBe(200);
		}
		await new Promise((r) => setTimeout(r, 1500));
		expect((await wf.executionsOf(n8n, triggerWorkflowId)).length).toBe(before);
	});

	test('2d. a workflow saved with the trigger at typeVersion 1 keeps working, and at 1.1 a body n8n leaves unread is read by the trigger', async () => {
		const savedId = randomUUID();
		const savedWorkflowId = await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: 'Saved at 1.0', webhookId: savedId, typeVersion: 1 }), [`${savedId}/sip-call`]);
		const currentBefore = (await wf.executionsOf(n8n, triggerWorkflowId)).length;
		const cdr = (id: number) => ({ ...sim.record.callbacks.find((callback: any) => callback.body.customuuid === 'crm-1').body, id, uuid: randomUUID() });
		for (const [url, contentType, id] of [
			[`${n8n.baseUrl}/webhook/${savedId}/sip-call`, 'application/json', 9101],
			[`${n8n.baseUrl}/webhook/${savedId}/sip-call`, 'text/json', 9102],
			[triggerUrl, 'text/json', 9103],
			[triggerUrl, 'application/vnd.platform+json', 9104],
		] as const) {
			const answer = await http('POST', url, { body: JSON.stringify(cdr(id)), headers: { 'content-type': contentType } });
			expect([contentType, answer.status]).toEqual([contentType, 200]);
		}
		const saved = await wf.waitForExecutions(n8n, savedWorkflowId, 2);
		expect(saved.flatMap((execution: any) => wf.nodeOutputs(execution, 'SIP Call Trigger')[0].map((item: any) => item.id)).sort()).toEqual([9101, 9102]);
		const current = (await wf.waitForExecutions(n8n, triggerWorkflowId, currentBefore + 2)).flatMap((execution: any) => wf.nodeOutputs(execution, 'SIP Call Trigger').flat());
		expect(current.map((item: any) => item.id).filter((id: number) => id > 9100 && id < 9200).sort()).toEqual([9103, 9104]);
	});

	test('2c. after an n8n restart, the saved duplicate window still recognises an old event', async () => {
		await n8n.restart();
		await wf.waitForWebhook(n8n, triggerUrl.slice(`${n8n.baseUrl}/webhook/`.length));
		const before = (await wf.executionsOf(n8n, triggerWorkflowId)).length;
		const cdrs = sim.record.callbacks.filter((callback: any) => callback.kind === 'cdr');
		const last = cdrs.at(-1).body;
		expect((await http('POST', triggerUrl, { body: last })).status).toBe(200);
		expect((await http('POST', triggerUrl, { body: { ...last, id: 999001, uuid: 'fresh-call' } })).status).toBe(200);
		const executions = await wf.waitForExecutions(n8n, triggerWorkflowId, before + 1);
		expect(executions).toHaveLength(before + 1);
		expect(wf.nodeOutputs(executions.at(-1), 'SIP Call Trigger').flat()[0].uuid).toBe('fresh-call');
	});

	describe('3. error paths show the messages a user would see', () => {
		test('bad token, with and without Continue On Fail', async () => {
			const bad = await wf.createCredential(n8n, 'Bad token', { apiUrl: sim.url, authentication: 'token', token: 'WRONG' });
			await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Bad token', path: 'bad-token', credential: bad }), ['bad-token']);
			const workflowId = await wf.publishWorkflow(
				n8n,
				wf.dialWorkflow({ name: 'Bad token (continue)', path: 'bad-token-continue', credential: bad, continueOnFail: true }),
				['bad-token-continue'],
			);
			const stopped = await dial('bad-token', ROWS.slice(0, 1));
			expect(stopped.status).toBe(500);
			const continued = await dial('bad-token-continue', ROWS.slice(0, 2));
			expect(continued.status).toBe(200);
			expect(continued.json).toEqual([
				expect.objectContaining({ accepted: false, error: 'The platform answered ret 600: token无效或已过期，请重新获取', destnumber: '13800000001' }),
				expect.objectContaining({ accepted: false, destnumber: '13800000002' }),
			]);
			const [execution] = await wf.executionsOf(n8n, workflowId);
			expect(execution.status).toBe('success');
			expect(JSON.stringify(execution)).not.toContain('WRONG');
		});

		test('the error of a failed execution names the cause and the fix', async () => {
			const executions = await wf.executionsOf(n8n, (await findWorkflow('Bad token')).id);
			const error = executions[0].data.resultData.error;
			expect(error.message).toBe('The platform answered ret 600: token无效或已过期，请重新获取');
			expect(error.description).toContain('update the SIP Call API credential');
		});

		test('IP not allowed (ret 604) and platform down', async () => {
			const down = await wf.createCredential(n8n, 'Platform down', { apiUrl: 'http://127.0.0.1:9', authentication: 'token', token: 'X' });
			await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Down', path: 'down', credential: down, continueOnFail: true }), ['down']);
			const downAnswer = await dial('down', ROWS.slice(0, 1));
			expect(downAnswer.json[0].error).toBe('Could not connect to the platform at http://127.0.0.1:9: the connection was refused');
			expect(downAnswer.json[0].mayHaveBeenPlaced).toBe(false);

			await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Allow-list', path: 'allow', credential, continueOnFail: true }), ['allow']);
			sim.setAllowedIps(['203.0.113.9']);
			const refused = await dial('allow', ROWS.slice(0, 1));
			sim.setAllowedIps(null);
			expect(refused.json[0].error).toMatch(/^The platform answered ret 604/);
			expect(refused.json[0].errorDescription).toContain('allow-list');
		});
	});

	describe('4. the credential test through n8n\'s own endpoint', () => {
		// As the editor does after "Save": the credential exists, and its data is tested.
		const testCredential = async (data: object) => {
			const saved = await wf.createCredential(n8n, `Tested ${randomUUID()}`, data);
			return await n8n.api('POST', '/rest/credentials/test', { credentials: { id: saved.id, name: saved.name, type: 'sipCallApi', data } });
		};

		test.each([
			[{ authentication: 'token', token: 'ABCDEFG' }, 'OK', undefined],
			[{ authentication: 'token', token: 'NOPE' }, 'Error', 'token无效或已过期'],
			[{ authentication: 'appIdAccessKey', appId: 'demo-app', accessKey: 'demo-access-key' }, 'OK', undefined],
			[{ authentication: 'appIdAccessKey', appId: 'demo-app', accessKey: 'nope' }, 'Error', 'appid或accesskey错误'],
		])('%j → %s', async (data, status, words) => {
			const callsBefore = sim.record.calls.length;
			const answer = await testCredential({ apiUrl: sim.url, ...data });
			expect(answer.status).toBe(200);
			expect(answer.json.data.status).toBe(status);
			if (words) expect(answer.json.data.message).toContain(words);
			expect(sim.record.calls.length).toBe(callsBefore);
		});
	});

	test('4b. Check Set-up: one test call, its record found, customuuid cut by the platform reported, and its CDR where the trigger line says to look', async () => {
		const callParameters = {
			operation: 'checkSetUp',
			placeTestCall: true,
			testCallTo: '={{ $json.phone }}',
			voiceType: 1,
			voiceFile: 'welcome.wav',
			transferKey: '1',
			extensionGroup: 'extGroup-1',
			checkOptions: { recordWaitMinutes: 1 },
		};
		await wf.publishWorkflow(n8n, wf.dialWorkflow({ name: 'Check set-up', path: 'check-set-up', credential, callParameters }), ['check-set-up']);
		const triggerRunsBefore = (await wf.executionsOf(n8n, triggerWorkflowId)).length;
		const callsBefore = sim.record.calls.length;
		sim.config.customuuidMaxLength = 32;
		let answer;
		try {
			answer = await dial('check-set-up', [{ phone: '13800000018' }]);
		} finally {
			sim.config.customuuidMaxLength = 0;
		}
		expect(answer.status).toBe(200);
		const lines = answer.json as Array<{ check: string; passed: boolean | null; detail: string; whatToDo: string | null }>;
		expect(lines.map((line) => [line.check, line.passed])).toEqual([
			['Reach the API URL', true],
			['IP allow-list (ret 604)', true],
			['Token (ret 600)', true],
			['Test call placed', true],
			['Test call recorded', true],
			['customuuid came back whole', false],
			['CDR reached a SIP Call Trigger', null],
		]);
		expect(lines[5].detail).toContain('holds only the first 32');
		expect(sim.record.calls.length).toBe(callsBefore + 1);
		expect(JSON.stringify(lines)).not.toContain('ABCDEFG');
		// What the trigger line tells the user to look for is in the trigger workflow's executions.
		const kept = sim.record.calls.at(-1).customuuid;
		expect(lines[6].whatToDo).toContain(`customuuid ${kept}`);
		await sim.settled();
		const executions = await wf.waitForExecutions(n8n, triggerWorkflowId, triggerRunsBefore + 1);
		const emitted = executions.flatMap((execution: any) => wf.nodeOutputs(execution, 'SIP Call Trigger').flat());
		expect(emitted.filter((item: any) => item.event === 'callEnded' && item.customuuid === kept)).toHaveLength(1);
	});
});

describe('5. Webhook + Parse Callback in a real n8n', () => {
	test('gives the trigger\'s items, routed by key, and n8n\'s deduplication store drops a repeat', async () => {
		await wf.publishWorkflow(
			n8n,
			{
				name: 'Webhook + Parse',
				nodes: [
					{
						id: randomUUID(),
						name: 'Callback In',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: { httpMethod: 'POST', path: 'parse', responseMode: 'lastNode', responseData: 'allEntries', options: {} },
					},
					{
						id: randomUUID(),
						name: 'Parse',
						type: wf.SIP_CALL,
						typeVersion: 1,
						position: [220, 0],
						parameters: { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', output: 'routeByKey', routedKeys: '1', parseOptions: {} },
					},
				],
				connections: { 'Callback In': { main: [[{ node: 'Parse', type: 'main', index: 0 }]] } },
			},
			['parse'],
		);
		const cdr = { ...sim.record.callbacks.find((callback: any) => callback.kind === 'cdr' && callback.body.userkey === '1').body };
		const first = await http('POST', `${n8n.baseUrl}/webhook/parse`, { body: cdr });
		expect(first.status).toBe(200);
		expect(first.json).toEqual([expect.objectContaining({ event: 'callEnded', keyPressed: '1', answered: true, id: cdr.id })]);
		const [execution] = await wf.executionsOf(n8n, (await findWorkflow('Webhook + Parse')).id);
		expect(wf.nodeOutputs(execution, 'Parse').map((items: unknown[]) => items.length)).toEqual([1, 0, 0, 0]);
		const repeat = await http('POST', `${n8n.baseUrl}/webhook/parse`, { body: cdr });
		expect(repeat.status).toBe(200);
		const executions = await wf.executionsOf(n8n, (await findWorkflow('Webhook + Parse')).id);
		expect(wf.nodeOutputs(executions.at(-1), 'Parse').flat()).toEqual([]);
	});
});

async function findWorkflow(name: string) {
	const list = await n8n.api('GET', '/api/v1/workflows?limit=100');
	return list.json.data.find((workflow: any) => workflow.name === name);
}

describe('6. Options → Calling Window in a real n8n', () => {
	test('rows due before the window opens wait in n8n\'s Wait node and are called once each, after it opens', async () => {
		// The window opens at the first whole minute at least 20 s from now (UTC, every day) and stays open 10 minutes.
		const MINUTE = 60_000;
		const opensAtMs = Math.ceil((Date.now() + 20_000) / MINUTE) * MINUTE;
		const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
		const closesAt = new Date(opensAtMs).getUTCDate() === new Date(opensAtMs + 10 * MINUTE).getUTCDate() ? hhmm(opensAtMs + 10 * MINUTE) : '24:00';
		const callingWindow = {
			window: { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'], hours: `${hhmm(opensAtMs)}-${closesAt}`, timeZone: 'UTC' },
		};

		// Webhook → Split Out → SIP Call; its Outside Calling Window output → Wait (until callingWindowOpensAt) → back into SIP Call.
		const workflow = wf.dialWorkflow({ name: 'Calling window', path: 'calling-window', credential, callParameters: { options: { callingWindow } } });
		workflow.nodes[0].parameters.responseMode = 'onReceived';
		delete workflow.nodes[0].parameters.responseData;
		workflow.nodes.push(
			{ id: randomUUID(), name: 'Called', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, 0], parameters: {} },
			{
				id: randomUUID(),
				name: 'Until the Window Opens',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [660, 200],
				webhookId: randomUUID(),
				parameters: { resume: 'specificTime', dateTime: '={{ $json.callingWindowOpensAt }}' },
			},
		);
		workflow.connections['SIP Call'] = {
			main: [[{ node: 'Called', type: 'main', index: 0 }], [{ node: 'Until the Window Opens', type: 'main', index: 0 }]],
		};
		workflow.connections['Until the Window Opens'] = { main: [[{ node: 'SIP Call', type: 'main', index: 0 }]] };
		const workflowId = await wf.publishWorkflow(n8n, workflow, ['calling-window']);

		const rows = ['13800000601', '13800000602', '13800000603'].map((phone, index) => ({ ...ROWS[0], phone, ref: `window-${index}` }));
		expect(Date.now()).toBeLessThan(opensAtMs);
		expect((await dial('calling-window', rows)).status).toBe(200);

		// A wait of 65 s or more is stored (the execution is listed as waiting, stopped until then): wait for its end.
		const [listed] = await wf.waitForExecutions(n8n, workflowId, 1, opensAtMs - Date.now() + 60_000);
		const execution = await wf.waitForExecution(n8n, listed.id, opensAtMs - Date.now() + 60_000);
		expect(execution.status).toBe('success');
		for (const row of rows) expect(sim.callsTo(row.phone)).toBe(1);
		const requests = sim.requestsFor('App.Sip_Call.PlayVoice').filter((request: any) => rows.some((row) => row.phone === request.fields.destnumber));
		expect(requests).toHaveLength(rows.length);
		for (const request of requests) expect(request.at).toBeGreaterThanOrEqual(opensAtMs);

		// The first run left every row for the opening; the second, after the Wait node, called them all.
		const runs = execution.data.resultData.runData['SIP Call'];
		expect(runs).toHaveLength(2);
		const [first, second] = runs.map((run: any) => run.data.main.map((items: any[] | null) => (items ?? []).map((item) => item.json)));
		expect(first[0]).toEqual([]);
		expect(first[1].map((item: any) => [item.phone, item.outsideCallingWindow, Date.parse(item.callingWindowOpensAt)])).toEqual(rows.map((row) => [row.phone, true, opensAtMs]));
		expect(second[0].map((item: any) => [item.destnumber, item.accepted, item.customuuid])).toEqual(rows.map((row) => [row.phone, true, row.ref]));
		expect(second[1] ?? []).toEqual([]);
	}, 240_000);
});

describe("6b. Calling Window in the callee's clock", () => {
	test('an empty Time Zone is the platform\'s: a workflow in America/New_York, at hours open in New York and shut in Beijing, rings nobody', async () => {
		const hourIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
		const pad = (hour: number) => String(hour).padStart(2, '0');
		// The New York hour now and the ones on either side: 12 or 13 hours from Beijing's.
		const newYorkHours = [-1, 0, 1].map((offset) => (hourIn('America/New_York') + offset + 24) % 24);
		expect(newYorkHours).not.toContain(hourIn('Asia/Shanghai'));
		const hours = newYorkHours.map((hour) => `${pad(hour)}:00-${hour === 23 ? '24:00' : `${pad(hour + 1)}:00`}`).join(', ');
		const everyDay = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
		const callingWindow = { window: { days: everyDay, hours, timeZone: '' } };
		const workflow = wf.dialWorkflow({ name: 'Calling window, New York n8n', path: 'calling-window-new-york', credential, callParameters: { options: { callingWindow } } });
		workflow.settings = { executionOrder: 'v1', timezone: 'America/New_York' };
		const workflowId = await wf.publishWorkflow(n8n, workflow, ['calling-window-new-york']);

		const rows = ['13800000611', '13800000612'].map((phone, index) => ({ ...ROWS[0], phone, ref: `new-york-${index}` }));
		expect((await dial('calling-window-new-york', rows)).status).toBe(200);
		const [listed] = await wf.waitForExecutions(n8n, workflowId, 1, 30_000);
		const execution = await wf.waitForExecution(n8n, listed.id, 30_000);
		expect(execution.status).toBe('success');
		for (const row of rows) expect(sim.callsTo(row.phone)).toBe(0);
		const [run] = execution.data.resultData.runData['SIP Call'];
		expect(run.data.main[1].map((item: any) => [item.json.phone, item.json.outsideCallingWindow, item.json.callingWindowTimeZone])).toEqual(
			rows.map((row) => [row.phone, true, 'Asia/Shanghai']),
		);
	}, 120_000);
});

describe('7. On Error → Continue (using error output) in a real n8n', () => {
	test('rows refused by the platform or by the node leave on the error output, each paired to its input; good rows on the success output', async () => {
		await wf.publishWorkflow(n8n, wf.errorOutputWorkflow({ name: 'Dial, errors apart', path: 'dial-error-output', credential }), ['dial-error-output']);
		const rows = [
			{ ...ROWS[0], phone: '13800000701', ref: 'good-1' },
			{ ...ROWS[0], phone: '00012345678', ref: 'blocked' },
			{ ...ROWS[0], phone: 'not-a-number', ref: 'bad' },
			{ ...ROWS[0], phone: '13800000702', ref: 'good-2' },
		];
		const answer = await dial('dial-error-output', rows);
		expect(answer.status).toBe(200);
		const execution = await wf.waitForExecution(n8n, String(answer.json.executionId), 60000);
		expect(execution.status).toBe('success');

		const task = execution.data.resultData.runData['SIP Call'][0];
		const [success, failed] = task.data.main;
		expect(success.map((item: any) => [item.pairedItem, item.json.destnumber, item.json.accepted, item.json.customuuid])).toEqual([
			[{ item: 0 }, '13800000701', true, 'good-1'],
			[{ item: 3 }, '13800000702', true, 'good-2'],
		]);
		expect(failed.map((item: any) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		// n8n puts the input item's fields beside the error item's own: the row as it came in, and its error object.
		expect(failed[0].json).toMatchObject({
			phone: '00012345678',
			ref: 'blocked',
			error: {
				message: 'The platform refused the call (error code 1006): 目标号码在黑名单中',
				accepted: false,
				mayHaveBeenPlaced: false,
				code: 1006,
				destnumber: '00012345678',
				customuuid: 'blocked',
				errorDescription: expect.any(String),
			},
		});
		expect(failed[1].json).toMatchObject({
			phone: 'not-a-number',
			ref: 'bad',
			error: { message: 'Destination Number "not-a-number" is not a phone number', accepted: false, destnumber: 'not-a-number', errorDescription: expect.stringContaining('digits only') },
		});
		expect(wf.allRunItems(execution, 'Succeeded').map((item: any) => item.customuuid)).toEqual(['good-1', 'good-2']);
		expect(wf.allRunItems(execution, 'Failed').map((item: any) => item.ref)).toEqual(['blocked', 'bad']);
		expect(sim.callsTo('00012345678')).toBe(0);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice').filter((request: any) => request.fields.destnumber === 'not-a-number')).toHaveLength(0);
	});
});
