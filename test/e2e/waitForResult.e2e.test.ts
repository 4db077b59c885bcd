/**
 * "Play Voice Menu and Wait for Result" in a real n8n: one workflow dials rows, waits as a stored
 * execution, and continues with each row's result once the SIP Call Trigger (in another active
 * workflow, whose URL the platform posts CDRs to) hands the CDRs over.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');
import { decodeWaitReference, encodeWaitReference } from '../../nodes/shared/waitForResult/waitReference';
import { resumeUrlFor } from '../../nodes/shared/waitForResult/resumeUrl';
import { DOCUMENT_STATUS_CALLBACK } from '../harness/postCallback';

const VERSION = process.env.SIPCALL_E2E_N8N_VERSION;
let n8n: any;
let sim: any;
let credential: { id: string; name: string };
let triggerUrl: string;
let triggerWorkflowId: string;

/** Stands between the platform and n8n: holds callbacks while held, as a slow platform would. */
let holding = false;
const held: Array<{ body: string; contentType: string }> = [];
let relay: Server;
let relayUrl: string;

async function release() {
	holding = false;
	for (const callback of held.splice(0)) {
		await http('POST', triggerUrl, { body: JSON.parse(callback.body) });
	}
}

beforeAll(async () => {
	sim = await startSimulator({ speed: 200 });
	relay = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', async () => {
			const body = Buffer.concat(chunks).toString('utf8');
			if (holding) {
				held.push({ body, contentType: String(request.headers['content-type']) });
				response.end('{"ret":200}');
				return;
			}
			const answer = await http('POST', triggerUrl, { body: JSON.parse(body) });
			response.writeHead(answer.status, { 'content-type': 'application/json' });
			response.end(answer.text);
		});
	});
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
	relayUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}/`;
	n8n = await startN8n(VERSION ? { version: VERSION } : {});
	credential = await wf.createCredential(n8n, 'Simulator (token)', { apiUrl: sim.url, authentication: 'token', token: 'ABCDEFG' });
	const webhookId = randomUUID();
	triggerUrl = `${n8n.baseUrl}/webhook/${webhookId}/sip-call`;
	triggerWorkflowId = await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: 'Callbacks', webhookId }), [`${webhookId}/sip-call`]);
	sim.setCallbackUrls({ statusUrl: relayUrl, cdrUrl: relayUrl });
	for (const [path, waitLimit] of [['dial-and-wait', 0.5], ['dial-and-wait-briefly', 0.1]] as const) {
		await wf.publishWorkflow(n8n, wf.dialAndWaitWorkflow({ name: path, path, credential, waitLimit }), [path]);
	}
}, 900000);

afterAll(async () => {
	await n8n?.stop();
	await sim?.stop();
	relay?.close();
});

const row = (phone: string, ref?: string) => ({ phone, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref });

/** Posts the rows and returns the id of the execution that waits for their calls, read from the calls' customuuid. */
async function startDialing(path: string, rows: object[]): Promise<string> {
	const before = sim.requestsFor('App.Sip_Call.PlayVoice').length;
	const answer = await http('POST', `${n8n.baseUrl}/webhook/${path}`, { body: { rows } });
	expect(answer.status).toBe(200);
	const placed = (await sim.requestsArrived('App.Sip_Call.PlayVoice', before + rows.length)).slice(before);
	const ids = new Set(placed.map((request: any) => decodeWaitReference(request.fields.customuuid)?.executionId));
	expect(ids.size).toBe(1);
	return [...ids][0] as string;
}

const finishedExecution = async (id: string, timeoutMs: number) => await wf.waitForExecution(n8n, id, timeoutMs);

function resultsOf(execution: any) {
	const runs = execution.data.resultData.runData['After the Call'];
	expect(runs).toHaveLength(1);
	return runs[0].data.main[0];
}

describe('Play Voice Menu and Wait for Result in a real n8n', () => {
	test('1. rows that press a key, answer without one, or never answer continue in one execution, in order, paired', async () => {
		const rows = [row('13900000101', 'crm-101'), row('13900000108'), row('13900000100', '客户-100'), row('13900000103', 'crm-103')];
		const id = await startDialing('dial-and-wait', rows);
		const sent = sim.requestsFor('App.Sip_Call.PlayVoice').slice(-rows.length);
		for (const request of sent) expect(request.fields.customuuid.length).toBeLessThanOrEqual(64);

		const execution = await finishedExecution(id, 60000);
		expect(execution.status).toBe('success');
		const items = resultsOf(execution);
		expect(items.map((item: any) => item.json.destnumber)).toEqual(rows.map((r) => r.phone));
		expect(items.map((item: any) => item.pairedItem)).toEqual(rows.map((_, index) => ({ item: index })));
		expect(items.map((item: any) => item.json.customuuid)).toEqual(['crm-101', null, '客户-100', 'crm-103']);
		expect(items.map((item: any) => item.json.resultStatus)).toEqual(['answered', 'answered', 'notAnswered', 'answered']);
		expect(items.map((item: any) => item.json.keyPressed)).toEqual(['1', null, null, '3']);
		expect(items[0].json.talkSeconds).toBeGreaterThan(0);
		expect(items[0].json.recordfilename).toMatch(/\.mp3$/);
		expect(items[2].json.hangupcause).toBe(10016);
		// The trigger handed these CDRs over instead of starting its own workflow with them.
		const own = await wf.executionsOf(n8n, triggerWorkflowId);
		const emittedRefs = own.flatMap((run: any) => run.data.resultData.runData['SIP Call Trigger'][0].data.main[0].map((item: any) => item.json.destnumber));
		for (const r of rows) expect(emittedRefs).not.toContain(r.phone);
	}, 120000);

	test('2. a call whose CDR never arrives comes out timed out beside the others, at the wait limit', async () => {
		sim.scriptCallee('13900000205', BEHAVIOURS.noRecord);
		const rows = [row('13900000201', 'a'), row('13900000205', 'lost')];
		const id = await startDialing('dial-and-wait', rows);
		const execution = await finishedExecution(id, 90000);
		const items = resultsOf(execution);
		expect(items.map((item: any) => [item.json.customuuid, item.json.resultStatus, item.json.timedOut])).toEqual([
			['a', 'answered', false],
			['lost', 'timedOut', true],
		]);
	}, 120000);

	test('3. with no CDR at all, n8n resumes the execution itself at the limit, every row marked timed out', async () => {
		sim.scriptCallee('13900000305', BEHAVIOURS.noRecord);
		const id = await startDialing('dial-and-wait-briefly', [row('13900000305', 'silent')]);
		const execution = await finishedExecution(id, 150000);
		const [item] = resultsOf(execution);
		expect(item.json).toMatchObject({ customuuid: 'silent', resultStatus: 'timedOut', timedOut: true, keyPressed: null });
		expect(item.pairedItem).toEqual({ item: 0 });
	}, 180000);

	test('4. a forged or replayed hand-over cannot resume or alter a waiting execution', async () => {
		holding = true;
		const rows = [row('13900000401', 'x'), row('13900000402', 'y')];
		const id = await startDialing('dial-and-wait', rows);
		await sim.settled();
		const sent = sim.requestsFor('App.Sip_Call.PlayVoice').slice(-2).map((request: any) => request.fields.customuuid);
		const forgedCdr = (customuuid: string, id: number) => ({ uuid: `forged-${id}`, id, customuuid, userkey: '9', billsec: 99, answertime: '2020-01-01 00:00:00', hangupcause: 1 });
		const reference = decodeWaitReference(sent[0])!;
		const signedUrl = resumeUrlFor(`${n8n.baseUrl}/webhook-waiting`, reference);
		const forgedSecret = encodeWaitReference({ ...reference, callSecret: 'AAAAAAAA' });

		// Straight to n8n's resume URL: n8n 2.x refuses it without the token (n8n 1.x has none: the
		// node's own check, next, is all there is); with the token, a made-up call secret is refused.
		if (reference.resumeToken) {
			const unsigned = await http('POST', signedUrl.split('?')[0], { body: { cdrs: [forgedCdr(sent[0], 1)] } });
			expect(unsigned.status).toBe(401);
		}
		const wrongCall = await http('POST', signedUrl, { body: { cdrs: [forgedCdr(forgedSecret, 2)] } });
		expect(wrongCall.status).toBe(403);
		// Through the trigger: refused by the execution, and given out by the trigger with the reason.
		const viaTrigger = await http('POST', triggerUrl, { body: forgedCdr(forgedSecret, 3) });
		expect(viaTrigger.status).toBe(200);
		const status = await n8n.api('GET', `/api/v1/executions/${id}`);
		expect(status.json.status).toBe('waiting');

		await release();
		await sim.settled();
		const execution = await finishedExecution(id, 60000);
		const items = resultsOf(execution);
		expect(items.map((item: any) => item.json.keyPressed)).toEqual(['1', '2']);
		expect(items.map((item: any) => item.json.billsec)).not.toContain(99);

		// A record for one of its calls sent after the execution went on: given out, not lost.
		const late = await http('POST', triggerUrl, { body: forgedCdr(sent[1], 4) });
		expect(late.status).toBe(200);
		const givenOut = async () =>
			(await wf.executionsOf(n8n, triggerWorkflowId))
				.flatMap((run: any) => wf.allRunItems(run, 'SIP Call Trigger'))
				.filter((item: any) => item.waitingExecutionId === id);
		let emitted = await givenOut();
		for (let tries = 0; emitted.length < 2 && tries < 50; tries++) {
			await new Promise((r) => setTimeout(r, 200));
			emitted = await givenOut();
		}
		expect(emitted.map((item: any) => [item.uuid, item.customuuid, /did not recognise|no longer waiting/.test(item.notHandedOver)])).toEqual([
			['forged-3', null, true],
			['forged-4', null, true],
		]);
	}, 120000);

	test('5. n8n restarted while calls wait: the execution resumes when the CDRs arrive afterwards', async () => {
		holding = true;
		const rows = [row('13900000501', 'r1'), row('13900000508', 'r2'), row('13900000500', 'r3')];
		const id = await startDialing('dial-and-wait', rows);
		await sim.settled();
		expect(held.length).toBeGreaterThanOrEqual(3);
		await n8n.restart();
		await wf.waitForWebhook(n8n, triggerUrl.split('/webhook/')[1]);
		await release();
		const execution = await finishedExecution(id, 60000);
		const items = resultsOf(execution);
		expect(items.map((item: any) => [item.json.customuuid, item.json.resultStatus, item.json.keyPressed])).toEqual([
			['r1', 'answered', '1'],
			['r2', 'answered', null],
			['r3', 'notAnswered', null],
		]);
	}, 240000);

	test('6. a second trigger workflow never stores nor emits what the first one gathered', async () => {
		const otherWebhookId = randomUUID();
		const otherUrl = `${n8n.baseUrl}/webhook/${otherWebhookId}/sip-call`;
		const otherWorkflowId = await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: 'Extension status', webhookId: otherWebhookId }), [`${otherWebhookId}/sip-call`]);
		// The other two calls leave no record: at the limit the node finds nothing for them with GetBill either.
		sim.scriptCallee('13900000602', BEHAVIOURS.noRecord);
		sim.scriptCallee('13900000603', BEHAVIOURS.noRecord);
		holding = true;
		const rows = [row('13900000601', 'i1'), row('13900000602', 'i2'), row('13900000603', 'i3')];
		const id = await startDialing('dial-and-wait-briefly', rows);
		const sent = sim.requestsFor('App.Sip_Call.PlayVoice').slice(-3).map((request: any) => request.fields.customuuid);
		const reference = decodeWaitReference(sent[0])!;
		const cdr = (customuuid: string, cdrId: number) => ({ uuid: `isolated-${cdrId}`, id: cdrId, customuuid, userkey: '1', billsec: 5, answertime: '2020-01-01 00:00:00', hangupcause: 1 });
		// The first trigger gathers a real CDR and one the execution will refuse; it hands them over at the limit.
		await http('POST', triggerUrl, { body: cdr(sent[0], 61) });
		await http('POST', triggerUrl, { body: cdr(encodeWaitReference({ ...reference, callSecret: 'DDDDDDDD' }), 62) });
		await http('POST', otherUrl, { body: DOCUMENT_STATUS_CALLBACK });
		const stored = await n8n.api('GET', `/api/v1/workflows/${otherWorkflowId}`);
		expect(stored.status).toBe(200);
		expect(JSON.stringify(stored.json.staticData ?? {})).not.toContain(sent[0]);

		const items = resultsOf(await finishedExecution(id, 60000));
		expect(items.map((item: any) => item.json.resultStatus)).toEqual(['answered', 'timedOut', 'timedOut']);
		// The refused CDR was given out after the hand-over: it comes out of the first workflow only.
		await http('POST', otherUrl, { body: { ...DOCUMENT_STATUS_CALLBACK, uuid: 'other-2' } });
		await http('POST', triggerUrl, { body: { ...DOCUMENT_STATUS_CALLBACK, uuid: 'first-2' } });
		const otherItems = (await wf.waitForExecutions(n8n, otherWorkflowId, 2)).flatMap((run: any) => wf.allRunItems(run, 'SIP Call Trigger'));
		expect(otherItems.map((item: any) => item.event)).toEqual(['extensionRinging', 'extensionRinging']);
		const isolated = async () =>
			(await wf.executionsOf(n8n, triggerWorkflowId))
				.flatMap((run: any) => wf.allRunItems(run, 'SIP Call Trigger'))
				.filter((item: any) => item.waitingExecutionId === id);
		let givenOut = await isolated();
		for (let tries = 0; !givenOut.length && tries < 50; tries++) {
			await new Promise((r) => setTimeout(r, 200));
			givenOut = await isolated();
		}
		expect(givenOut.map((item: any) => item.uuid)).toEqual(['isolated-62']);
		held.splice(0);
		holding = false;
	}, 120000);
});
