/**
 * The trigger's IP allow-list behind a reverse proxy: with N8N_PROXY_HOPS set, n8n (and so the
 * trigger) sees the platform's address from X-Forwarded-For; without it, the proxy's.
 */
import { randomUUID } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n, http } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');

const CDR = { id: 1, uuid: 'u-1', answertime: '2026-11-25 10:00:05', billsec: 3, userkey: '1', destnumber: '13800000001', customuuid: 'c' };

describe.each([
	['with N8N_PROXY_HOPS=1', { N8N_PROXY_HOPS: '1' }, 200],
	['without it', {}, 403],
])('%s', (_name, env, expectedForPlatform) => {
	let n8n: any;
	let url: string;
	beforeAll(async () => {
		n8n = await startN8n({ env });
		const webhookId = randomUUID();
		await wf.publishWorkflow(n8n, wf.triggerWorkflow({ name: 'Allow-list', webhookId, parameters: { allowedIps: '198.51.100.7', options: { dropDuplicates: false } } }), [`${webhookId}/sip-call`]);
		url = `${n8n.baseUrl}/webhook/${webhookId}/sip-call`;
	}, 900000);
	afterAll(async () => {
		await n8n?.stop();
	});

	test('a callback forwarded for the allowed platform address', async () => {
		const answer = await http('POST', url, { body: CDR, headers: { 'X-Forwarded-For': '198.51.100.7' } });
		expect(answer.status).toBe(expectedForPlatform);
	});

	test('a callback forwarded for another address is refused', async () => {
		const answer = await http('POST', url, { body: CDR, headers: { 'X-Forwarded-For': '203.0.113.50' } });
		expect(answer.status).toBe(403);
		expect(answer.json.message).toContain('are not allowed');
	});
});
