/** The workflows benchmarks 2 and 3 publish in a real n8n: same shapes, same payloads, one variable at a time. */
import { randomUUID } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { playVoiceMenu } from '../harness/fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');

export const node = (name: string, type: string, typeVersion: number, position: number, parameters: object, extra: object = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [position * 220, 0],
	parameters,
	...extra,
});

export const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

/** Webhook (POST {rows}) → Split Out → `last`; answers when `last` is done. */
export function rowsWorkflow(name: string, path: string, last: object) {
	return {
		name,
		nodes: [
			node('Rows In', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: randomUUID() }),
			node('One Item per Row', 'n8n-nodes-base.splitOut', 1, 1, { fieldToSplitOut: 'body.rows', options: {} }),
			{ ...last, position: [440, 0] },
		],
		connections: chain('Rows In', 'One Item per Row', (last as { name: string }).name),
	};
}

export const sipCallNode = (credential: { id: string; name: string }, options: INodeParameters) =>
	node(
		'Dial',
		wf.SIP_CALL,
		1,
		2,
		playVoiceMenu({ destinationNumber: '={{ $json.phone }}', additionalFields: { customData: '={{ $json.ref }}' }, options }),
		{ credentials: { sipCallApi: credential } },
	);

/**
 * The same form as SIP Call sends, posted by n8n's HTTP Request node with its batching option. With
 * an interval of 0 the node does not batch at all: it evaluates every row, then sends every request
 * at once. With an interval it waits that long after each `batchSize` rows (not for their answers).
 */
export const httpRequestNode = (url: string, batchSize: number, batchInterval: number) =>
	node('Dial', 'n8n-nodes-base.httpRequest', 4.2, 2, {
		method: 'POST',
		url,
		sendBody: true,
		contentType: 'multipart-form-data',
		bodyParameters: {
			parameters: [
				['service', 'App.Sip_Call.PlayVoice'],
				['token', 'ABCDEFG'],
				['destnumber', '={{ $json.phone }}'],
				['voicetype', '1'],
				['voicefile', 'welcome.wav'],
				['chengshudu', '1'],
				['userid', '1@extGroup-1'],
				['customuuid', '={{ $json.ref }}'],
			].map(([name, value]) => ({ parameterType: 'formData', name, value })),
		},
		options: { batching: { batch: { batchSize, batchInterval } } },
	});

/** The receivers of benchmark 3, each published with the webhook path it answers on. */
export function callbackReceivers(minimalType: string) {
	const triggerId = randomUUID();
	const savedTriggerId = randomUUID();
	const unselectedId = randomUUID();
	const minimalId = randomUUID();
	return [
		{
			name: 'n8n Webhook node',
			path: 'bench-webhook',
			workflow: {
				name: 'Bench webhook',
				nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'bench-webhook', options: {} }, { webhookId: randomUUID() })],
				connections: {},
			},
		},
		{
			name: 'minimal community trigger (the floor)',
			path: `${minimalId}/minimal`,
			workflow: { name: 'Bench minimal', nodes: [node('Minimal Trigger', minimalType, 1, 0, {}, { webhookId: minimalId })], connections: {} },
		},
		{ name: 'SIP Call Trigger 1.1', path: `${triggerId}/sip-call`, workflow: wf.triggerWorkflow({ name: 'Bench trigger', webhookId: triggerId }) },
		{
			// The CDR posted is an event this trigger does not select: answered, and no execution started.
			name: 'SIP Call Trigger 1.1, event not selected',
			path: `${unselectedId}/sip-call`,
			workflow: wf.triggerWorkflow({ name: 'Bench trigger, not selected', webhookId: unselectedId, parameters: { events: ['extensionRinging'] } }),
		},
		{
			name: 'SIP Call Trigger 1.0 (saved before 1.1)',
			path: `${savedTriggerId}/sip-call`,
			workflow: wf.triggerWorkflow({ name: 'Bench trigger 1.0', webhookId: savedTriggerId, typeVersion: 1 }),
		},
		{
			name: 'Webhook + SIP Call Parse Callback',
			path: 'bench-parse',
			workflow: {
				name: 'Bench webhook + parse',
				nodes: [
					node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: 'bench-parse', options: {} }, { webhookId: randomUUID() }),
					node('Parse', wf.SIP_CALL, 1, 1, { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', output: 'single', parseOptions: {} }),
				],
				connections: chain('Webhook', 'Parse'),
			},
		},
	] as const;
}

/** CDR callbacks as the platform posts them; `prefix` keeps every round's ids apart. */
export function cdrs(count: number, prefix: number) {
	return Array.from({ length: count }, (_, i) => ({
		answertime: '2026-11-25 10:00:05', hangupcause: 10001, duration: 5, id: prefix * 100000 + i, extnumber: '',
		uuid: randomUUID(), downloadip: '127.0.0.1', customuuid: `row-${i}`, chengshudu: '1', callmethod: 6,
		recordfilename: '', companycode: 2028, memberid: '0', hangupdirection: 10040, billsec: 10,
		endtime: '2026-11-25 10:00:15', starttime: '2026-11-25 10:00:00', type: 'callout', disnumber: '2120280001',
		crmid: '0', userkey: String(i % 3), destnumber: `138${String(i).padStart(8, '0')}`,
	}));
}
