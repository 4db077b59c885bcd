/**
 * The nodes in the real n8n editor, in a real browser: every field is there. Its screenshots go to
 * test-results/screenshots/ (ignored by git); `npm run docs:screenshots` runs it with
 * SIPCALL_SCREENSHOTS_DIR=docs/images to refresh the README's pictures on purpose.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startN8n } = require('./n8nInstance');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wf = require('./workflows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchBrowser, openLoggedIn } = require('./browser');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readExample } = require('./examples');

const IMAGES = resolve(process.env.SIPCALL_SCREENSHOTS_DIR ?? resolve(__dirname, '../../test-results/screenshots'));
mkdirSync(IMAGES, { recursive: true });
let sim: any;
let n8n: any;
let browser: any;
let page: any;
let workflowId: string;
let waitWorkflowId: string;
let credentialId: string;

beforeAll(async () => {
	// The editor tests a credential when it opens it: it must point at the simulator on loopback.
	sim = await startSimulator();
	n8n = await startN8n();
	const credential = await wf.createCredential(n8n, 'SIP Call API', {
		apiUrl: sim.url,
		authentication: 'appIdAccessKey',
		appId: 'demo-app',
		accessKey: 'demo-access-key',
	});
	credentialId = credential.id;
	const workflow = {
		name: 'Call back customers who did not answer',
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: randomUUID(),
				name: 'SIP Call Trigger',
				type: wf.SIP_CALL_TRIGGER,
				typeVersion: 1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					authentication: 'none',
					allowedIps: '149.129.249.47',
					events: ['callEnded'],
					output: 'routeByKey',
					routedKeys: '1, 2',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'SIP Call',
				type: wf.SIP_CALL,
				typeVersion: 1,
				position: [420, 240],
				credentials: { sipCallApi: credential },
				parameters: {
					resource: 'call',
					operation: 'playVoiceMenu',
					destinationNumber: '={{ $json.destnumber }}',
					voiceType: 2,
					voiceFile: 'https://cdn.example.com/voice/reminder.mp3',
					transferMode: 'keyToGroup',
					transferKey: '1',
					extensionGroup: 'extGroup-1',
					chengshudu: '1',
					additionalFields: { callerNumber: '2120280001', customData: '={{ $json.customuuid }}' },
				},
			},
		],
		connections: {
			'SIP Call Trigger': { main: [[], [], [], [{ node: 'SIP Call', type: 'main', index: 0 }], []] },
		},
	};
	const created = await n8n.api('POST', '/api/v1/workflows', workflow);
	workflowId = created.json.id;
	const waitExample = readExample('call-and-wait-for-keypress');
	for (const node of waitExample.nodes) if (node.credentials?.sipCallApi) node.credentials.sipCallApi = credential;
	waitWorkflowId = (await n8n.api('POST', '/api/v1/workflows', waitExample)).json.id;
	browser = await launchBrowser();
	page = await openLoggedIn(browser, n8n);
}, 900000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sim?.stop();
});

async function openNode(name: string) {
	await page.keyboard.press('Escape');
	await page
		.locator('[data-test-id="canvas-node"]')
		.filter({ has: page.getByText(name, { exact: true }) })
		.first()
		.dblclick();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible' });
	await page.waitForTimeout(800);
}

async function expectLabels(labels: Array<string | RegExp>) {
	const ndv = page.locator('[data-test-id="ndv"]');
	const missing: string[] = [];
	for (const label of labels) {
		const found = typeof label === 'string' ? ndv.getByText(label, { exact: true }) : ndv.getByText(label);
		if ((await found.count()) === 0) missing.push(String(label));
	}
	expect(missing).toEqual([]);
}

test('the workflow with both nodes shows on the canvas, with the trigger\'s key outputs', async () => {
	await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(1500);
	expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(2);
	for (const output of ['Key 1', 'Key 2', 'Answered, No Key', 'Not Answered', 'Other']) {
		expect(await page.getByText(output, { exact: true }).count()).toBeGreaterThan(0);
	}
	await page.screenshot({ path: `${IMAGES}/editor-workflow.png` });
});

test('the SIP Call panel shows every field of the Play Voice Menu operation', async () => {
	await openNode('SIP Call');
	await page.screenshot({ path: `${IMAGES}/sip-call-node.png` });
	await expectLabels([
		// Shown as "Credential for SIP Call API": the credential applies to the Call resource only.
		/Credential for SIP Call API/,
		'Resource',
		'Operation',
		'Destination Number',
		'Voice Type',
		'Voice File',
		'Transfer',
		'Transfer Key',
		'Extension Group',
		'Chengshudu',
		'Additional Fields',
		'Caller Number',
		'Custom Data',
		'Options',
	]);
	await page.screenshot({ path: `${IMAGES}/sip-call-node.png` });
});

test('the SIP Call Trigger panel shows its URL notice and every setting', async () => {
	await openNode('SIP Call Trigger');
	await expectLabels(['Authentication', 'Allowed IPs', 'Events', 'Output', 'Keys to Route', 'Options']);
	const ndv = page.locator('[data-test-id="ndv"]');
	expect(await ndv.getByText(/Production URL/).count()).toBeGreaterThan(0);
	await ndv.getByText('Webhook URLs', { exact: true }).click();
	await ndv.getByText('Production URL', { exact: true }).click();
	await ndv.getByText(/\/webhook\/[0-9a-f-]+\/sip-call/).waitFor({ state: 'visible' });
	await page.screenshot({ path: `${IMAGES}/sip-call-trigger-node.png` });
});

test('the credential shows the API URL and both ways to authenticate, with secrets hidden', async () => {
	await page.keyboard.press('Escape');
	await page.goto(`${n8n.baseUrl}/home/credentials/${credentialId}`);
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor({ state: 'visible', timeout: 30000 });
	await page.waitForTimeout(800);
	for (const label of ['API URL', 'Authentication', 'App ID', 'Access Key']) {
		expect(await modal.getByText(new RegExp(`^${label}\\b`)).count()).toBeGreaterThan(0);
	}
	await modal.getByText(/Connection tested successfully/).waitFor({ state: 'visible', timeout: 30000 });
	expect(await modal.locator('input[type="password"]').count()).toBeGreaterThan(0);
	expect(await page.content()).not.toContain('demo-access-key');
	await page.screenshot({ path: `${IMAGES}/credential.png` });
});

test('the call-and-wait example shows one workflow from rows to the key pressed, and the wait settings', async () => {
	await page.keyboard.press('Escape');
	await page.goto(`${n8n.baseUrl}/workflow/${waitWorkflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(1500);
	expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(5);
	for (const output of ['Pressed 1', 'Other Key', 'Answered, No Key', 'Not Answered', 'Timed Out or Not Placed']) {
		expect(await page.getByText(output, { exact: true }).count()).toBeGreaterThan(0);
	}
	await page.screenshot({ path: `${IMAGES}/call-and-wait-workflow.png` });

	await openNode('Call and Wait for Key');
	await expectLabels(['Operation', 'Destination Number', 'Custom Data', 'Wait Limit (Minutes)', 'Wait Options', /SIP Call Trigger/]);
	const ndv = page.locator('[data-test-id="ndv"]');
	// The resume webhook is n8n's business: no webhook URL to copy is offered for it.
	expect(await ndv.getByText('Webhook URLs', { exact: true }).count()).toBe(0);
	await ndv.getByText('Wait Limit (Minutes)', { exact: true }).scrollIntoViewIfNeeded();
	await page.waitForTimeout(300);
	await page.screenshot({ path: `${IMAGES}/sip-call-wait-node.png` });
});
