import type { INodeParameters } from 'n8n-workflow';

import { ALL_EVENTS, DOCUMENT_CDR, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

const base: INodeParameters = { authentication: 'none', allowedIps: '', events: ALL_EVENTS, output: 'single', options: {} };

let trigger: TriggerServer;
async function serve(parameters: INodeParameters = {}) {
	trigger = await startTriggerServer({ parameters: { ...base, ...parameters } });
	return trigger;
}
afterEach(async () => {
	await trigger?.stop();
});

/** The duplicate window as n8n would save it in the workflow's static data for this node. */
const seenIn = (server: TriggerServer) => (server.staticData['node:SIP Call Trigger'] as { seen?: string[] } | undefined)?.seen;

const onlyOutput = (server: TriggerServer) => server.executions.map((outputs) => outputs[0].map((item) => item.json));

describe('what an item looks like', () => {
	test('the document\'s extension-status example becomes one normalized item', async () => {
		await serve();
		const answer = await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ ret: 200, msg: 'ok' });
		expect(onlyOutput(trigger)).toEqual([
			[
				{
					event: 'extensionRinging',
					buuid: 'f4ffad68-4a0f-11ea-812d-fbc8753285b6',
					callee: '85322888486',
					caller: '20280003',
					companycode: 2028,
					direction: 'callout',
					directionName: 'outbound',
					disnumber: '2120280001',
					extnumber: '20280003',
					isbleg: true,
					method: 2,
					callMethod: 'manual',
					customerNumber: '85322888486',
					starttime: '2020-02-08T09:11:42+08:00',
					status: 'ring',
					uuid: 'f4ee8e7a-4a0f-11ea-8126-fbc8753285b6',
					ip: '149.129.249.47',
				},
			],
		]);
	});

	test('the document\'s CDR example becomes one item with times in ISO 8601 and the derived fields', async () => {
		await serve();
		await postCallback(trigger.url, DOCUMENT_CDR);
		const [[item]] = onlyOutput(trigger);
		expect(item).toMatchObject({
			event: 'callEnded',
			answered: true,
			keyPressed: null,
			talkSeconds: 10,
			callMethod: 'IVR / group call',
			directionName: 'outbound',
			answertime: '2020-02-09T12:32:51+08:00',
			endtime: '2020-02-09T12:33:01+08:00',
			starttime: '2020-02-09T12:32:38+08:00',
			id: 220739,
			hangupcause: 10001,
			companycode: 9017,
			memberid: 0,
			crmid: 0,
			customuuid: '110001168',
			chengshudu: '0',
			destnumber: '85781218893',
			disnumber: '2190170001',
			userkey: '',
			recordfilename: '1111.mp3',
		});
	});

	test('numbers sent as strings and as numbers give the same item', async () => {
		await serve({ options: { dropDuplicates: false } });
		const allStrings = Object.fromEntries(Object.entries(DOCUMENT_CDR).map(([key, value]) => [key, String(value)]));
		await postCallback(trigger.url, DOCUMENT_CDR);
		await postCallback(trigger.url, allStrings);
		const [[first], [second]] = onlyOutput(trigger);
		expect(second).toEqual(first);
	});

	test('the platform time zone is configurable', async () => {
		await serve({ options: { timeZone: 'UTC' } });
		await postCallback(trigger.url, DOCUMENT_CDR);
		await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
		const [[cdr], [status]] = onlyOutput(trigger);
		expect(cdr.answertime).toBe('2020-02-09T12:32:51+00:00');
		expect(status.starttime).toBe('2020-02-08T01:11:42+00:00');
	});

	test('an unanswered call has no answer time and answered false; a key press shows as keyPressed', async () => {
		await serve();
		await postCallback(trigger.url, { ...DOCUMENT_CDR, id: 1, answertime: '', billsec: 0 });
		await postCallback(trigger.url, { ...DOCUMENT_CDR, id: 2, userkey: '2' });
		const [[missed], [pressed]] = onlyOutput(trigger);
		expect(missed).toMatchObject({ answered: false, answertime: null, talkSeconds: 0, keyPressed: null });
		expect(pressed).toMatchObject({ answered: true, keyPressed: '2' });
	});

	test('unknown fields pass through untouched', async () => {
		await serve();
		await postCallback(trigger.url, { ...DOCUMENT_CDR, recordurl: 'http://x/1.mp3', taskid: '0099', round: 2 });
		const [[item]] = onlyOutput(trigger);
		expect(item).toMatchObject({ recordurl: 'http://x/1.mp3', taskid: '0099', round: 2 });
	});

	test('the raw option emits the payload exactly as sent', async () => {
		await serve({ options: { itemFormat: 'raw' } });
		await postCallback(trigger.url, DOCUMENT_CDR);
		expect(onlyOutput(trigger)).toEqual([[DOCUMENT_CDR]]);
	});
});

describe('bodies', () => {
	test.each([
		['application/json; charset=utf-8'],
		['application/vnd.platform+json'],
		['text/plain'],
		['text/plain; charset=UTF-8'],
	])('JSON sent as %s', async (contentType) => {
		await serve();
		const answer = await postCallback(trigger.url, JSON.stringify(DOCUMENT_STATUS_CALLBACK), { contentType });
		expect(answer.status).toBe(200);
		expect(onlyOutput(trigger)[0][0].event).toBe('extensionRinging');
	});

	test.each([1, 1.1])('at typeVersion %s (1: a workflow saved before 1.1) the same bodies come out the same, whether n8n parsed them or left them unread', async (typeVersion) => {
		trigger = await startTriggerServer({ parameters: base, typeVersion });
		for (const contentType of ['application/json', 'application/vnd.platform+json', 'text/json', 'text/plain']) {
			const answer = await postCallback(trigger.url, JSON.stringify(DOCUMENT_CDR), { contentType });
			expect([contentType, answer.status]).toEqual([contentType, 200]);
		}
		// The duplicate window drops the copies: one CDR, whichever way its body was read.
		expect(trigger.executions).toHaveLength(1);
		expect(onlyOutput(trigger)[0][0].event).toBe('callEnded');
	});

	test('form-urlencoded', async () => {
		await serve();
		const form = new URLSearchParams(DOCUMENT_STATUS_CALLBACK as Record<string, string>).toString();
		await postCallback(trigger.url, form, { contentType: 'application/x-www-form-urlencoded' });
		expect(onlyOutput(trigger)[0][0]).toMatchObject({ event: 'extensionRinging', isbleg: true, method: 2 });
	});

	test('a JSON array gives one item per event, in order', async () => {
		await serve();
		const events = ['ring', 'answer', 'hangup'].map((status) => ({ ...DOCUMENT_STATUS_CALLBACK, status }));
		await postCallback(trigger.url, [...events, DOCUMENT_CDR]);
		expect(onlyOutput(trigger)[0].map((item) => item.event)).toEqual([
			'extensionRinging',
			'extensionAnswered',
			'extensionHungUp',
			'callEnded',
		]);
	});

	test('only the chosen events start the workflow; the others are still answered 200', async () => {
		await serve({ events: ['callEnded'] });
		const ignored = await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
		await postCallback(trigger.url, DOCUMENT_CDR);
		expect(ignored.status).toBe(200);
		expect(onlyOutput(trigger)).toHaveLength(1);
		expect(onlyOutput(trigger)[0][0].event).toBe('callEnded');
	});

	test('an unknown shape is emitted as "unknown" by default, or refused by option', async () => {
		await serve();
		await postCallback(trigger.url, { hello: 'world' });
		expect(onlyOutput(trigger)).toEqual([[{ event: 'unknown', hello: 'world' }]]);
		await trigger.stop();
		await serve({ options: { unknownPayloads: 'refuse' } });
		const refused = await postCallback(trigger.url, { hello: 'world' });
		expect(refused.status).toBe(422);
		expect(refused.json?.message).toContain('neither an extension status nor a call detail record');
		expect(trigger.executions).toHaveLength(0);
	});

	test('the answer body is configurable', async () => {
		await serve({ options: { responseBody: '{"code":0,"message":"success"}' } });
		const answer = await postCallback(trigger.url, DOCUMENT_CDR);
		expect(answer.json).toEqual({ code: 0, message: 'success' });
	});
});

describe('keypress routing', () => {
	test('each CDR goes to its key\'s output, then answered-no-key, not-answered, other', async () => {
		await serve({ output: 'routeByKey', routedKeys: '1, 2, #' });
		const cdrs = [
			{ ...DOCUMENT_CDR, id: 1, userkey: '1' },
			{ ...DOCUMENT_CDR, id: 2, userkey: '#' },
			{ ...DOCUMENT_CDR, id: 3, userkey: '' },
			{ ...DOCUMENT_CDR, id: 4, answertime: '', billsec: 0 },
			{ ...DOCUMENT_CDR, id: 5, userkey: '7' },
			DOCUMENT_STATUS_CALLBACK,
			{ ...DOCUMENT_CDR, id: 6, userkey: '2' },
		];
		await postCallback(trigger.url, cdrs);
		const [outputs] = trigger.executions;
		expect(outputs.map((items) => items.map((item) => item.json.id ?? item.json.event))).toEqual([
			[1],
			[6],
			[2],
			[3],
			[4],
			[5, 'extensionRinging'],
		]);
	});
});

describe('duplicate suppression', () => {
	test('a redelivered event starts nothing, is still answered 200, and is remembered across requests', async () => {
		await serve();
		const first = await postCallback(trigger.url, DOCUMENT_CDR);
		const again = await postCallback(trigger.url, { ...DOCUMENT_CDR });
		const asStrings = await postCallback(trigger.url, { ...DOCUMENT_CDR, id: String(DOCUMENT_CDR.id) });
		expect([first.status, again.status, asStrings.status]).toEqual([200, 200, 200]);
		expect(trigger.executions).toHaveLength(1);
		expect(seenIn(trigger)).toHaveLength(1);
	});

	test('copies that arrive at the same moment start one execution', async () => {
		await serve();
		const answers = await Promise.all(Array.from({ length: 5 }, () => postCallback(trigger.url, DOCUMENT_CDR)));
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
		expect(trigger.executions).toHaveLength(1);
	});

	test('extension statuses are told apart by call, leg and status', async () => {
		await serve();
		for (const status of ['ring', 'answer', 'ring', 'hangup', 'answer']) {
			await postCallback(trigger.url, { ...DOCUMENT_STATUS_CALLBACK, status });
		}
		await postCallback(trigger.url, { ...DOCUMENT_STATUS_CALLBACK, buuid: 'other-leg' });
		expect(onlyOutput(trigger).map(([item]) => `${item.status}:${item.buuid}`)).toEqual([
			'ring:f4ffad68-4a0f-11ea-812d-fbc8753285b6',
			'answer:f4ffad68-4a0f-11ea-812d-fbc8753285b6',
			'hangup:f4ffad68-4a0f-11ea-812d-fbc8753285b6',
			'ring:other-leg',
		]);
	});

	test('the window is bounded: the oldest identities are forgotten', async () => {
		await serve({ options: { duplicateWindow: 10 } });
		for (let id = 1; id <= 12; id++) await postCallback(trigger.url, { ...DOCUMENT_CDR, id });
		expect(seenIn(trigger)).toHaveLength(10);
		await postCallback(trigger.url, { ...DOCUMENT_CDR, id: 1 });
		await postCallback(trigger.url, { ...DOCUMENT_CDR, id: 12 });
		expect(trigger.executions).toHaveLength(13);
	});

	test('a forged look-alike with the same CDR id does not make the real CDR be dropped (#20, finding 2)', async () => {
		await serve();
		// An outsider posts a CDR with an upcoming id first (Authentication "None"), then the platform's real one.
		const forged = { ...DOCUMENT_CDR, destnumber: '10000000000', billsec: 0, answertime: '', userkey: '9' };
		const forgedAnswer = await postCallback(trigger.url, forged);
		const realAnswer = await postCallback(trigger.url, DOCUMENT_CDR);
		expect([forgedAnswer.status, realAnswer.status]).toEqual([200, 200]);
		expect(onlyOutput(trigger).map(([item]) => [item.id, item.destnumber, item.keyPressed])).toEqual([
			[220739, '10000000000', '9'],
			[220739, '85781218893', null],
		]);
		// An identical copy of the real one, its fields in another order, is still a duplicate.
		const reordered = Object.fromEntries(Object.entries(DOCUMENT_CDR).reverse());
		await postCallback(trigger.url, reordered);
		expect(trigger.executions).toHaveLength(2);
	});

	test('a look-alike extension status (same call, leg and status, another field different) is not a duplicate', async () => {
		await serve();
		await postCallback(trigger.url, { ...DOCUMENT_STATUS_CALLBACK, callee: '10000000000' });
		await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
		await postCallback(trigger.url, { ...DOCUMENT_STATUS_CALLBACK });
		expect(onlyOutput(trigger).map(([item]) => item.callee)).toEqual(['10000000000', '85322888486']);
	});

	test('can be turned off', async () => {
		await serve({ options: { dropDuplicates: false } });
		await postCallback(trigger.url, DOCUMENT_CDR);
		await postCallback(trigger.url, DOCUMENT_CDR);
		expect(trigger.executions).toHaveLength(2);
	});
});
