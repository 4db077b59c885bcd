/**
 * The nodes in the real n8n editor, in a real browser: every field is there. Its screenshots go to
 * test-results/screenshots/ (ignored by git); `npm run docs:screenshots` runs it with
 * SIPCALL_SCREENSHOTS_DIR=docs/images to refresh the README's pictures on purpose: one per node and
 * operation (each asserting what it shows), the credential, and two workflows.
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
let operationsWorkflowId: string;
let campaignWorkflowId: string;

/** What a reader types into Play Voice Menu: the README's running example. */
const EXAMPLE = {
	destinationNumber: '13800000001',
	voiceFile: 'welcome.wav',
	transferKey: '1',
	extensionGroup: 'extGroup-1',
	callerNumber: '2120280001',
	customData: 'order-10086',
};

/** A Play Voice Menu call as a reader would set it up; the destination and the voice file are typed in the browser. */
function voiceMenuParameters(operation: string) {
	return {
		resource: 'call',
		operation,
		destinationNumber: '',
		voiceType: 1,
		voiceFile: '',
		transferMode: 'keyToGroup',
		transferKey: EXAMPLE.transferKey,
		extensionGroup: EXAMPLE.extensionGroup,
		chengshudu: '1',
		additionalFields: { callerNumber: EXAMPLE.callerNumber, customData: EXAMPLE.customData },
	};
}

/**
 * One node for each operation of the SIP Call node, and the SIP Call Record Trigger, unconnected:
 * the pictures of the README's operations section. Node name, parameters, and what the panel must show.
 */
const OPERATION_NODES: Array<{ name: string; type: 'sipCall' | 'sipCallRecordTrigger'; parameters: Record<string, unknown>; image: string }> = [
	{ name: 'Play Voice Menu', type: 'sipCall', image: 'sip-call-play-voice-menu.png', parameters: voiceMenuParameters('playVoiceMenu') },
	{
		name: 'Play Voice Menu and Wait',
		type: 'sipCall',
		image: 'sip-call-wait-for-result.png',
		parameters: { ...voiceMenuParameters('playVoiceMenuAndWait'), destinationNumber: EXAMPLE.destinationNumber, voiceFile: EXAMPLE.voiceFile, waitLimit: 10, waitOptions: { onTimeout: 'markItem' } },
	},
	{
		name: 'Get Results',
		type: 'sipCall',
		image: 'sip-call-get-results.png',
		parameters: { resource: 'call', operation: 'getResults', customData: EXAMPLE.customData, resultOptions: { lookBackHours: 24 } },
	},
	{
		name: 'Get Call Records',
		type: 'sipCall',
		image: 'call-record-get-many.png',
		parameters: {
			resource: 'callRecord',
			operation: 'getMany',
			startTime: '2026-05-01T09:00:00',
			endTime: '2026-05-01T18:00:00',
			returnAll: false,
			limit: 100,
			filters: { direction: 'outbound', destinationNumber: EXAMPLE.destinationNumber },
			recordOptions: {},
		},
	},
	{
		name: 'Get Recording',
		type: 'sipCall',
		image: 'recording-get.png',
		parameters: { resource: 'recording', operation: 'get', recordFileName: '={{ $json.recordfilename }}', download: true, binaryPropertyName: 'data', recordingOptions: { skipMissing: true } },
	},
	{
		name: 'Parse Callback',
		type: 'sipCall',
		image: 'callback-parse.png',
		parameters: { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', events: ['callEnded'], output: 'routeByKey', routedKeys: '1, 2', parseOptions: {} },
	},
	{
		name: 'Check Set-up',
		type: 'sipCall',
		image: 'sip-call-check-set-up.png',
		parameters: {
			...voiceMenuParameters('checkSetUp'),
			placeTestCall: true,
			testCallTo: EXAMPLE.destinationNumber,
			voiceFile: EXAMPLE.voiceFile,
			checkOptions: { allowedNumbers: '138*', maxCallsPerDay: 3, recordWaitMinutes: 5 },
		},
	},
	{
		name: 'Get Summary',
		type: 'sipCall',
		image: 'call-record-get-summary.png',
		parameters: { resource: 'callRecord', operation: 'getSummary', summarise: 'timeWindow', startTime: '2026-05-01T09:00:00', endTime: '2026-05-01T18:00:00', filters: {}, summaryOptions: {} },
	},
	{
		name: 'Safe Campaign Options',
		type: 'sipCall',
		image: 'sip-call-options.png',
		parameters: {
			...voiceMenuParameters('playVoiceMenu'),
			destinationNumber: '={{ $json.phone }}',
			voiceFile: EXAMPLE.voiceFile,
			options: {
				allowedNumbers: '13*, 15*, 18*',
				callingWindow: { window: { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], hours: '09:00-12:00, 14:00-20:00', timeZone: '' } },
				callsPerSecond: 5,
				cleanUpNumbers: true,
				maxCallsPerDay: 500,
				skipAlreadyCalled: { settings: { lookBackHours: 24, matchBy: 'number', platformTimeZone: '' } },
			},
		},
	},
	{
		name: 'Redial Who Missed',
		type: 'sipCall',
		image: 'sip-call-redial.png',
		parameters: {
			...voiceMenuParameters('playVoiceMenuAndWait'),
			destinationNumber: '={{ $json.phone }}',
			voiceFile: EXAMPLE.voiceFile,
			waitLimit: 30,
			waitOptions: { redial: { settings: { on: ['busy', 'noAnswer'], maxCalls: 3, minutesBetween: 10 } } },
		},
	},
	{
		name: 'SIP Call Record Trigger',
		type: 'sipCallRecordTrigger',
		image: 'sip-call-record-trigger.png',
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, output: 'routeByKey', routedKeys: '1, 2', filters: { callMethod: 6 }, options: { lookBackMinutes: 60 } },
	},
];

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
		connections: {},
	};
	const created = await n8n.api('POST', '/api/v1/workflows', workflow);
	workflowId = created.json.id;
	const campaign = readExample('campaign-with-redial');
	for (const node of campaign.nodes) if (node.credentials?.sipCallApi) node.credentials.sipCallApi = credential;
	campaignWorkflowId = (await n8n.api('POST', '/api/v1/workflows', campaign)).json.id;
	const waitExample = readExample('call-and-wait-for-keypress');
	for (const node of waitExample.nodes) if (node.credentials?.sipCallApi) node.credentials.sipCallApi = credential;
	waitWorkflowId = (await n8n.api('POST', '/api/v1/workflows', waitExample)).json.id;
	const operations = await n8n.api('POST', '/api/v1/workflows', {
		name: 'Every SIP Call operation',
		settings: { executionOrder: 'v1' },
		nodes: OPERATION_NODES.map((node, index) => ({
			id: randomUUID(),
			name: node.name,
			type: `n8n-nodes-sipcall.${node.type}`,
			typeVersion: 1,
			position: [(index % 4) * 300, Math.floor(index / 4) * 260],
			...(node.type === 'sipCall' && node.parameters.resource !== 'callback' ? { webhookId: randomUUID() } : {}),
			...(node.parameters.resource === 'callback' ? {} : { credentials: { sipCallApi: credential } }),
			parameters: node.parameters,
		})),
		connections: {},
	});
	if (operations.status !== 200) throw new Error(`workflow not created: ${operations.status} ${operations.text.slice(0, 600)}`);
	operationsWorkflowId = operations.json.id;
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

/** Labels (and other texts) that must be on the picture: visible, and inside the node details view. */
async function expectShown(texts: Array<string | RegExp>) {
	const ndv = page.locator('[data-test-id="ndv"]');
	const box = await ndv.boundingBox();
	const viewport = page.viewportSize();
	const bottom = Math.min(box.y + box.height, viewport.height);
	const hidden: string[] = [];
	for (const text of texts) {
		const found = (typeof text === 'string' ? ndv.getByText(text, { exact: true }) : ndv.getByText(text)).first();
		const where = (await found.isVisible()) ? await found.boundingBox() : null;
		if (!where || where.y < box.y || where.y + where.height > bottom) hidden.push(String(text));
	}
	expect(hidden).toEqual([]);
}

/** Labels of other operations that must not show. */
async function expectAbsent(labels: Array<string | RegExp>) {
	const ndv = page.locator('[data-test-id="ndv"]');
	const present: string[] = [];
	for (const label of labels) {
		const found = typeof label === 'string' ? ndv.getByText(label, { exact: true }) : ndv.getByText(label);
		if ((await found.count()) > 0) present.push(String(label));
	}
	expect(present).toEqual([]);
}

/** What the panel shows as values: its text, and what its inputs hold. */
async function shownValues(): Promise<string> {
	const ndv = page.locator('[data-test-id="ndv"]');
	const inputs: string[] = await ndv.locator('input, textarea').evaluateAll((fields: any[]) => fields.map((field) => field.value));
	return `${await ndv.innerText()}\n${inputs.join('\n')}`;
}

async function expectValues(values: string[]) {
	const shown = await shownValues();
	expect(values.filter((value) => !shown.includes(value))).toEqual([]);
}

/** Types into a parameter's input as a user does, and leaves the field. */
async function typeInto(parameter: string, text: string) {
	const field = page.locator(`[data-test-id="ndv"] [data-test-id="parameter-input-${parameter}"]`).locator('input, textarea').first();
	await field.click();
	await field.pressSequentially(text, { delay: 20 });
	await field.press('Tab');
	await page.waitForTimeout(300);
}

/** Scrolls the parameters panel until the element with this text, and `below` pixels under it, are at the bottom of the view. */
async function scrollToBottomOf(text: string, below = 0) {
	await page
		.locator('[data-test-id="ndv"]')
		.getByText(text, { exact: true })
		.first()
		.evaluate((element: any, by: number) => {
			element.scrollIntoView({ block: 'end' });
			let scroller = element.parentElement;
			while (scroller && !(scroller.scrollHeight > scroller.clientHeight && /auto|scroll/.test((globalThis as any).getComputedStyle(scroller).overflowY))) scroller = scroller.parentElement;
			scroller?.scrollBy(0, by);
		}, below);
	await page.waitForTimeout(300);
}

/** The node details view alone (not the canvas behind it): a lighter picture for the README. */
async function screenshotNdv(file: string) {
	// The pointer off the fields: a hovered field shows its Fixed/Expression switch.
	const { width, height } = page.viewportSize();
	await page.mouse.move(width - 60, height / 2);
	await page.waitForTimeout(300);
	const box = await page.locator('[data-test-id="ndv"]').boundingBox();
	const viewport = page.viewportSize();
	const x = Math.max(0, box.x);
	const y = Math.max(0, box.y);
	await page.screenshot({
		path: `${IMAGES}/${file}`,
		clip: { x, y, width: Math.min(box.width, viewport.width - x), height: Math.min(box.height, viewport.height - y) },
	});
}

let operationsOpened = false;
async function openOperationsNode(name: string) {
	if (!operationsOpened) {
		operationsOpened = true;
		await page.keyboard.press('Escape');
		await page.goto(`${n8n.baseUrl}/workflow/${operationsWorkflowId}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
		await page.waitForTimeout(1500);
		expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(OPERATION_NODES.length);
	}
	await openNode(name);
	// The node's name heads the panel.
	await expectValues([name]);
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
	await page.screenshot({ path: `${IMAGES}/trigger-key-outputs.png` });
});

test('the SIP Call panel shows every field of the Play Voice Menu operation', async () => {
	await openNode('SIP Call');
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
});

test('the SIP Call Trigger panel shows its URL notice and every setting', async () => {
	await openNode('SIP Call Trigger');
	await expectLabels(['Authentication', 'Allowed IPs', 'Events', 'Output', 'Keys to Route', 'Options']);
	const ndv = page.locator('[data-test-id="ndv"]');
	expect(await ndv.getByText(/Production URL/).count()).toBeGreaterThan(0);
	await ndv.getByText('Webhook URLs', { exact: true }).click();
	await ndv.getByText('Production URL', { exact: true }).click();
	await ndv.getByText(/\/webhook\/[0-9a-f-]+\/sip-call/).waitFor({ state: 'visible' });
	await expectShown(['Production URL', /\/webhook\/[0-9a-f-]+\/sip-call/, 'Authentication', 'Allowed IPs', 'Events', 'Output', 'Keys to Route']);
	await screenshotNdv('sip-call-trigger.png');
});

test('the README\'s first picture: a safe campaign — calling hours, skip, redial, results to a sheet, one summary', async () => {
	await page.keyboard.press('Escape');
	await page.goto(`${n8n.baseUrl}/workflow/${campaignWorkflowId}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible', timeout: 60000 });
	await page.waitForTimeout(1500);
	const names = readExample('campaign-with-redial').nodes.map((node: any) => node.name);
	expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(names.length);
	for (const name of names) expect(await page.getByText(name, { exact: true }).count()).toBeGreaterThan(0);
	await page.screenshot({ path: `${IMAGES}/editor-workflow.png` });
	// What makes it safe is set on the calling node, not only said in the README.
	await openNode('Call with Redial');
	await expectValues(['Play Voice Menu and Wait for Result']);
	await expectLabels(['Calling Window', 'Skip Numbers Already Called', 'Redial Who Missed']);
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
	const box = await modal.boundingBox();
	const viewport = page.viewportSize();
	const clip = box && box.width < viewport.width ? { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, viewport.height - box.y) } : undefined;
	await page.screenshot({ path: `${IMAGES}/credential.png`, clip });
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
	await expectLabels(['Operation', 'Destination Number', 'Custom Data', 'Wait Limit (Minutes)', 'Wait Options', /No callback address or trigger is needed/]);
	const ndv = page.locator('[data-test-id="ndv"]');
	// The resume webhook is n8n's business: no webhook URL to copy is offered for it.
	expect(await ndv.getByText('Webhook URLs', { exact: true }).count()).toBe(0);
	await ndv.getByText('Wait Limit (Minutes)', { exact: true }).scrollIntoViewIfNeeded();
	await page.waitForTimeout(300);
	await expectShown(['Wait Limit (Minutes)', 'Wait Options']);
});


// One picture per node and operation (the README's operations section), each asserting what it shows.
// They come last: typing into Play Voice Menu leaves that workflow unsaved.

const CALL_FIELDS = ['Destination Number', 'Voice File', 'Extension Group'];

test('Call → Play Voice Menu: a number, a voice file and a transfer key typed in', async () => {
	await openOperationsNode('Play Voice Menu');
	// The destination and voice file are required and empty until typed.
	await typeInto('destinationNumber', EXAMPLE.destinationNumber);
	await typeInto('voiceFile', EXAMPLE.voiceFile);
	await expectValues([EXAMPLE.destinationNumber, EXAMPLE.voiceFile, EXAMPLE.extensionGroup, 'Play Voice Menu', 'Offline File on the Platform', 'Key to Extension Group']);
	// The warning about n8n's Retry On Fail comes first, then every field of the call.
	await expectShown([/Credential for SIP Call API/, 'Resource', 'Operation', /Retry On Fail/, 'Destination Number', 'Voice Type', 'Voice File', 'Transfer', 'Transfer Key', 'Extension Group', 'Chengshudu']);
	await expectAbsent(['Wait Limit (Minutes)', 'Custom Data (Customuuid)', 'Record File Name', 'Body']);
	await screenshotNdv('sip-call-play-voice-menu.png');
});

test('Call → Play Voice Menu and Wait for Result: the same call, and how long to wait', async () => {
	await openOperationsNode('Play Voice Menu and Wait');
	// From the voice file down to the wait settings, On Timeout's value included.
	await scrollToBottomOf('On Timeout', 50);
	await expectValues([EXAMPLE.extensionGroup, EXAMPLE.customData, '10', 'Mark Item as Timed Out']);
	await expectShown(['Extension Group', 'Additional Fields', 'Custom Data', 'Wait Limit (Minutes)', 'Wait Options', 'On Timeout']);
	await expectAbsent(['Custom Data (Customuuid)', 'Record File Name', 'Webhook URLs']);
	await screenshotNdv('sip-call-wait-for-result.png');
});

test('Call → Get Results: calls looked up by their Custom Data, on a Completed and a Pending output', async () => {
	await openOperationsNode('Get Results');
	await expectValues([EXAMPLE.customData, 'Get Results', '24']);
	await expectShown([/Credential for SIP Call API/, 'Resource', 'Operation', 'Custom Data (Customuuid)', 'Options', 'Look Back (Hours)']);
	await expectAbsent([...CALL_FIELDS, 'Wait Limit (Minutes)']);
	await screenshotNdv('sip-call-get-results.png');
	await page.keyboard.press('Escape');
	for (const output of ['Completed', 'Pending']) expect(await page.getByText(output, { exact: true }).count()).toBeGreaterThan(0);
});

test('Call Record → Get Many: records of a time window, filtered', async () => {
	await openOperationsNode('Get Call Records');
	await expectValues([EXAMPLE.destinationNumber, 'Get Many', 'Outbound', '100']);
	await expectShown(['Resource', 'Operation', 'Start Time', 'End Time', 'Return All', 'Limit', 'Filters', 'Direction', 'Destination Number', 'Options']);
	await expectAbsent(['Voice File', 'Record File Name', 'Custom Data (Customuuid)']);
	await screenshotNdv('call-record-get-many.png');
});

test('Recording → Get: a call\'s recording, downloaded as a file', async () => {
	await openOperationsNode('Get Recording');
	await expectValues(['$json.recordfilename', 'data']);
	await expectShown([/Credential for SIP Call API/, 'Resource', 'Operation', 'Record File Name', 'Download Audio', 'Put Output File in Field', 'Options', 'Skip Records Without Recording']);
	await expectAbsent([...CALL_FIELDS, 'Start Time']);
	await screenshotNdv('recording-get.png');
});

test('Callback → Parse: a Webhook node\'s body, routed by key, without a credential', async () => {
	await openOperationsNode('Parse Callback');
	await expectValues(['$json.body', '1, 2', 'Call Ended (CDR)', 'Route by Key Pressed']);
	await expectShown(['Resource', 'Operation', 'Body', 'Events', 'Output', 'Keys to Route', 'Options']);
	await expectAbsent([/Credential for SIP Call API/, ...CALL_FIELDS, 'Record File Name']);
	await screenshotNdv('callback-parse.png');
	await page.keyboard.press('Escape');
	for (const output of ['Key 1', 'Key 2', 'Answered, No Key', 'Not Answered', 'Other']) {
		expect(await page.getByText(output, { exact: true }).count()).toBeGreaterThan(0);
	}
});

test('SIP Call Record Trigger: polls the platform\'s records, no callback address', async () => {
	await openOperationsNode('SIP Call Record Trigger');
	await expectValues(['1, 2', 'Route by Key Pressed', '60']);
	await expectShown([/^Credential/, 'Poll Times', 'Output', 'Keys to Route', 'Filters', 'Call Method', 'Options', 'Look Back (Minutes)']);
	await expectAbsent(['Events', 'Allowed IPs', 'Webhook URLs']);
	await screenshotNdv('sip-call-record-trigger.png');
});

test('Call → Check Set-up: the checks, and a test call within the call limits', async () => {
	await openOperationsNode('Check Set-up');
	await expectValues([EXAMPLE.destinationNumber, '138*', '3']);
	await expectShown([/Credential for SIP Call API/, 'Operation', 'Place a Test Call', 'Test Call To']);
	await expectLabels(['Allowed Numbers', 'Max Calls per Day', 'Wait for Record (Minutes)']);
	await screenshotNdv('sip-call-check-set-up.png');
});

test('Call Record → Get Summary: one item counting a window\'s calls', async () => {
	await openOperationsNode('Get Summary');
	await expectShown(['Resource', 'Operation', 'Summarise', 'Start Time', 'End Time', 'Filters']);
	await expectAbsent(['Voice File', 'Record File Name', 'Return All']);
	await screenshotNdv('call-record-get-summary.png');
});

test('Play Voice Menu → Options: the controls of a safe campaign', async () => {
	await openOperationsNode('Safe Campaign Options');
	await scrollToBottomOf('Skip Numbers Already Called', 200);
	await expectValues(['13*, 15*, 18*', '09:00-12:00, 14:00-20:00', '500', '24']);
	await expectShown(['Allowed Numbers', 'Calling Window', 'Hours', 'Time Zone', 'Calls per Second', 'Clean Up Numbers', 'Max Calls per Day', 'Skip Numbers Already Called']);
	await screenshotNdv('sip-call-options.png');
});

test('Play Voice Menu and Wait for Result → Redial Who Missed', async () => {
	await openOperationsNode('Redial Who Missed');
	await scrollToBottomOf('Minutes Between Calls', 80);
	await expectValues(['30', '3', '10']);
	await expectShown(['Wait Limit (Minutes)', 'Wait Options', 'Redial When', 'Calls per Row', 'Minutes Between Calls']);
	await screenshotNdv('sip-call-redial.png');
});
