/**
 * What the queue-mode benchmark needs around the cluster: a far side that counts what each
 * execution ran for (an HTTP Request node after the receiver, run by the workers), the two
 * receiving workflows, and waiting until the workers have run everything that was taken.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('../e2e/workflows');

/** The key an event is counted under: a CDR by its `id`, an extension event by `uuid:buuid:status`. */
export const eventKey = (body: Record<string, unknown>) => (body.id !== undefined ? `cdr:${body.id}` : `${body.uuid}:${body.buuid}:${body.status}`);

export async function startCollector() {
	const received = new Map<string, number>();
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			const { key } = JSON.parse(body) as { key: string };
			received.set(key, (received.get(key) ?? 0) + 1);
			res.end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		received,
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/**
 * Waits until every key has reached the far side, or nothing new has arrived for 20 s (the
 * workers are done with what they were given); returns the keys that never arrived.
 */
export async function drained(received: Map<string, number>, keys: string[]): Promise<string[]> {
	let missing = keys.filter((key) => !received.has(key));
	let lastProgress = Date.now();
	while (missing.length && Date.now() - lastProgress < 20_000) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const still = missing.filter((key) => !received.has(key));
		if (still.length < missing.length) lastProgress = Date.now();
		missing = still;
	}
	return missing;
}

/** The counting key of an item whose event fields are at `from` (`$json`, or `$json.body` behind n8n's Webhook node). */
const keyExpression = (from: string) =>
	`={{ JSON.stringify({ key: ${from}.event === "callEnded" || (${from}.event === undefined && ${from}.id !== undefined) ? "cdr:" + ${from}.id : ${from}.uuid + ":" + ${from}.buuid + ":" + ${from}.status }) }}`;

/** An HTTP Request node that posts each event's key to the counting endpoint at `collectorUrl`. */
export const countNode = (collectorUrl: string, position: number, from = '$json') => ({
	id: randomUUID(),
	name: 'Count on the Far Side',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position: [position, 0],
	parameters: {
		method: 'POST',
		url: collectorUrl,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: keyExpression(from),
		options: {},
	},
});

/** SIP Call Trigger (every event, with its options; typeVersion 1.1 unless told) → count. Returns the path its production URL ends in. */
export async function publishTrigger(main: any, collectorUrl: string, options: Record<string, unknown> = {}, typeVersion = 1.1): Promise<string> {
	const webhookId = randomUUID();
	const trigger = wf.triggerWorkflow({ name: `Bench trigger ${typeVersion} ${webhookId.slice(0, 8)}`, webhookId, parameters: { options }, typeVersion });
	trigger.nodes.push(countNode(collectorUrl, 220));
	trigger.connections = { 'SIP Call Trigger': { main: [[{ node: 'Count on the Far Side', type: 'main', index: 0 }]] } };
	await wf.publishWorkflow(main, trigger, [`${webhookId}/sip-call`]);
	return `${webhookId}/sip-call`;
}

/** n8n's Webhook node → SIP Call Parse Callback → count. Returns its path. */
export async function publishWebhookParse(main: any, collectorUrl: string): Promise<string> {
	const path = `bench-parse-${randomUUID().slice(0, 8)}`;
	await wf.publishWorkflow(main, {
		name: `Bench Webhook + Parse ${path}`,
		nodes: [
			{ id: randomUUID(), name: 'Callback In', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path, options: {} } },
			{ id: randomUUID(), name: 'Parse', type: wf.SIP_CALL, typeVersion: 1, position: [220, 0], parameters: { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', output: 'single', parseOptions: {} } },
			countNode(collectorUrl, 440),
		],
		connections: {
			'Callback In': { main: [[{ node: 'Parse', type: 'main', index: 0 }]] },
			Parse: { main: [[{ node: 'Count on the Far Side', type: 'main', index: 0 }]] },
		},
	}, [path]);
	return path;
}

/** n8n's Webhook node (Respond Immediately) → count, the event read from the raw body: the yardstick. Returns its path. */
export async function publishWebhookOnly(main: any, collectorUrl: string): Promise<string> {
	const path = `bench-webhook-${randomUUID().slice(0, 8)}`;
	await wf.publishWorkflow(main, {
		name: `Bench Webhook ${path}`,
		nodes: [
			{ id: randomUUID(), name: 'Callback In', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path, options: {} } },
			countNode(collectorUrl, 220, '$json.body'),
		],
		connections: { 'Callback In': { main: [[{ node: 'Count on the Far Side', type: 'main', index: 0 }]] } },
	}, [path]);
	return path;
}
