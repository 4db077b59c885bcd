import type { INodeParameters } from 'n8n-workflow';

import { DOCUMENT_CDR, postCallback } from '../harness/postCallback';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

const base: INodeParameters = {
	authentication: 'none',
	allowedIps: '',
	events: ['extensionRinging', 'extensionAnswered', 'extensionHungUp', 'callEnded'],
	output: 'single',
	options: {},
};
const HEADER_SECRET = 'callback-secret-8d1f';
const credentials = {
	sipCallCallbackHeaderAuthApi: { headerName: 'X-Callback-Token', headerValue: HEADER_SECRET },
	sipCallCallbackBasicAuthApi: { user: 'platform', password: 'p@ss:word' },
};

let trigger: TriggerServer;
async function serve(parameters: INodeParameters = {}) {
	trigger = await startTriggerServer({ parameters: { ...base, ...parameters }, credentials });
	return trigger;
}
afterEach(async () => {
	await trigger?.stop();
});
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authentication', () => {
	test('header auth: missing is 401, wrong is 403, right starts the workflow', async () => {
		await serve({ authentication: 'headerAuth' });
		const missing = await postCallback(trigger.url, DOCUMENT_CDR);
		const wrong = await postCallback(trigger.url, DOCUMENT_CDR, { headers: { 'x-callback-token': 'guess' } });
		const right = await postCallback(trigger.url, DOCUMENT_CDR, { headers: { 'X-Callback-Token': HEADER_SECRET } });
		expect([missing.status, wrong.status, right.status]).toEqual([401, 403, 200]);
		expect(missing.json?.message).toContain('send the "X-Callback-Token" header');
		expect(wrong.text).not.toContain(HEADER_SECRET);
		expect(trigger.executions).toHaveLength(1);
	});

	test('basic auth (credentials in the callback URL): missing is 401 with a challenge, wrong is 403', async () => {
		await serve({ authentication: 'basicAuth' });
		const missing = await postCallback(trigger.url, DOCUMENT_CDR);
		const wrong = await postCallback(trigger.url, DOCUMENT_CDR, { headers: { authorization: basic('platform', 'nope') } });
		const right = await postCallback(trigger.url, DOCUMENT_CDR, { headers: { authorization: basic('platform', 'p@ss:word') } });
		expect([missing.status, wrong.status, right.status]).toEqual([401, 403, 200]);
		expect(missing.headers['www-authenticate']).toContain('Basic');
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('IP allow-list', () => {
	test.each([
		['127.0.0.1', 200],
		['127.0.0.0/8', 200],
		['10.0.0.0/8, 127.0.0.1/32', 200],
		['::ffff:127.0.0.1', 200],
		['127.0.0.2', 403],
		['10.0.0.0/8', 403],
		['2001:db8::/32', 403],
		['127.0.0.10', 403],
	])('allowing %s answers %i to a callback from 127.0.0.1', async (allowedIps, status) => {
		await serve({ allowedIps });
		const answer = await postCallback(trigger.url, DOCUMENT_CDR);
		expect(answer.status).toBe(status);
		expect(trigger.executions).toHaveLength(status === 200 ? 1 : 0);
		if (status === 403) expect(answer.json?.message).toContain('Callbacks from 127.0.0.1 are not allowed');
	});
});

describe('bad requests start nothing and never break the trigger', () => {
	test.each([
		['{"id": 1,', 'text/plain', 400, 'not valid JSON'],
		['', 'application/json', 400, 'empty'],
		['   ', 'text/plain', 400, 'empty'],
		['[]', 'application/json', 400, 'empty JSON array'],
		['[1, 2]', 'application/json', 400, 'Element 0 of the JSON array is not an object'],
		['"text"', 'application/json', 400, 'must be a JSON object'],
		['<xml/>', 'application/xml', 415, 'not supported'],
		['{"id": 1,', 'application/vnd.x+json', 400, 'not valid JSON'],
	])('%j as %s → %i', async (body, contentType, status, words) => {
		await serve();
		const answer = await postCallback(trigger.url, body, { contentType });
		expect(answer.status).toBe(status);
		expect(answer.json?.message).toContain(words);
		expect(trigger.executions).toHaveLength(0);
		const after = await postCallback(trigger.url, DOCUMENT_CDR);
		expect(after.status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
	});

	test('broken JSON sent as application/json is refused by n8n itself (422) before the node', async () => {
		await serve();
		const answer = await postCallback(trigger.url, '{"id": 1,', { contentType: 'application/json' });
		expect(answer.status).toBe(422);
		expect(trigger.executions).toHaveLength(0);
	});

	test('a body over the size limit gets 413', async () => {
		await serve({ options: { maxBodyKb: 1 } });
		const answer = await postCallback(trigger.url, { ...DOCUMENT_CDR, padding: 'x'.repeat(2048) });
		expect(answer.status).toBe(413);
		expect(answer.json?.message).toContain('over the limit of 1024 bytes');
		expect(trigger.executions).toHaveLength(0);
	});

	test('a misconfigured trigger answers 500 with the fix, and starts nothing', async () => {
		await serve({ allowedIps: '10.0.0.300, 127.0.0.1' });
		const answer = await postCallback(trigger.url, DOCUMENT_CDR);
		expect(answer.status).toBe(500);
		expect(answer.json?.message).toContain('Allowed IPs has entries that are not addresses or CIDR ranges: 10.0.0.300');
		expect(trigger.executions).toHaveLength(0);
	});
});
