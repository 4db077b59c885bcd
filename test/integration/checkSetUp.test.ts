/**
 * Call → Check Set-up against the simulator over real HTTP: each line passes, fails with what to
 * do, or says it was not checked; nothing is dialed unless Place a Test Call is on; the test call's
 * record is found and its customuuid compared, whole or cut by the platform.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { appIdCredentials, playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator, TOKEN, ACCESS_KEY } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const PLAY_VOICE = 'App.Sip_Call.PlayVoice';
const GET_BILL = 'App.Sip_Cdr.GetBill';
let sim: Simulator;
afterEach(async () => await sim?.stop());

interface Line {
	check: string;
	passed: boolean | null;
	detail: string;
	whatToDo: string | null;
}

const checkSetUp = (overrides: INodeParameters = {}): INodeParameters => ({ resource: 'call', operation: 'checkSetUp', ...overrides });

const withTestCall = (overrides: INodeParameters = {}): INodeParameters =>
	checkSetUp({
		// Play Voice Menu's voice and transfer fields, as the test call reads them.
		...playVoiceMenu(),
		operation: 'checkSetUp',
		placeTestCall: true,
		testCallTo: '13900000008',
		checkOptions: { recordWaitMinutes: 1 },
		...overrides,
	});

async function check(parameters: INodeParameters, credentials: Record<string, ICredentialDataDecryptedObject>) {
	const run = await runNode({ parameters, credentials, items: [{ json: {} }, { json: {} }] });
	expect(run.error).toBeUndefined();
	for (const item of run.items) expect(item.pairedItem).toEqual({ item: 0 });
	const lines = run.items.map((item) => item.json as unknown as Line);
	const text = JSON.stringify(lines);
	expect(text).not.toContain(TOKEN);
	expect(text).not.toContain(ACCESS_KEY);
	return { lines, line: (check: string) => lines.find((line) => line.check === check) as Line };
}

const outcomes = (lines: Line[]) => lines.map((line) => [line.check, line.passed]);

test('a working token, no test call: the sign-in lines pass, the call lines are not run, and nothing is dialed', async () => {
	sim = await withSimulator();
	const { lines } = await check(checkSetUp(), tokenCredentials(sim));
	expect(outcomes(lines)).toEqual([
		['Reach the API URL', true],
		['IP allow-list (ret 604)', true],
		['Token (ret 600)', true],
		['Test call placed', null],
		['Test call recorded', null],
		['customuuid came back whole', null],
		['CDR reached a SIP Call Trigger', null],
	]);
	expect(lines[3].whatToDo).toContain('turn on Place a Test Call');
	expect(lines.filter((line) => line.passed).every((line) => line.whatToDo === null)).toBe(true);
	expect(requestsOf(sim, PLAY_VOICE)).toHaveLength(0);
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);
});

test('a bad token (ret 600) fails its line with the fix, and the test call is not placed', async () => {
	sim = await withSimulator();
	const { lines, line } = await check(withTestCall(), tokenCredentials(sim, 'WRONG'));
	expect(outcomes(lines).slice(0, 3)).toEqual([
		['Reach the API URL', true],
		['IP allow-list (ret 604)', true],
		['Token (ret 600)', false],
	]);
	expect(line('Token (ret 600)').detail).toContain('ret 600');
	expect(line('Token (ret 600)').whatToDo).toContain('App ID + Access Key');
	expect(line('Test call placed')).toMatchObject({ passed: null, whatToDo: expect.stringContaining('Fix the failed lines above') });
	expect(requestsOf(sim, PLAY_VOICE)).toHaveLength(0);
});

test('an IP not on the allow-list (ret 604): the line names the address the platform saw', async () => {
	sim = await withSimulator();
	sim.setAllowedIps(['203.0.113.9']);
	const { lines, line } = await check(checkSetUp(), tokenCredentials(sim));
	expect(outcomes(lines).slice(0, 3)).toEqual([
		['Reach the API URL', true],
		['IP allow-list (ret 604)', false],
		['Token (ret 600)', null],
	]);
	expect(line('IP allow-list (ret 604)').detail).toContain('it saw the request come from 127.0.0.1');
	expect(line('IP allow-list (ret 604)').whatToDo).toMatch(/^Ask your platform vendor to add 127\.0\.0\.1 to the platform's IP allow-list/);
});

test('an API URL nobody answers at: the first line fails, the others are not checked', async () => {
	sim = await withSimulator();
	const credentials = { sipCallApi: { apiUrl: 'http://127.0.0.1:9', authentication: 'token', token: TOKEN, sessionToken: '' } };
	const { lines, line } = await check(checkSetUp(), credentials);
	expect(outcomes(lines).slice(0, 3)).toEqual([
		['Reach the API URL', false],
		['IP allow-list (ret 604)', null],
		['Token (ret 600)', null],
	]);
	expect(line('Reach the API URL').detail).toContain('the connection was refused');
	expect(line('Reach the API URL').whatToDo).toContain('Check the API URL');
});

test('App ID + Access Key: a good login passes, a wrong access key fails with the fix', async () => {
	sim = await withSimulator();
	const good = await check(checkSetUp(), appIdCredentials(sim));
	expect(good.line('Log in with App ID + Access Key').passed).toBe(true);
	expect(requestsOf(sim, 'App.Sip_Auth.Login')).toHaveLength(1);
	const bad = await check(checkSetUp(), appIdCredentials(sim, 'wrong-key'));
	expect(bad.line('Log in with App ID + Access Key')).toMatchObject({
		passed: false,
		detail: expect.stringContaining('appid或accesskey错误'),
		whatToDo: expect.stringContaining('Check the App ID and Access Key'),
	});
});

test('a test call: placed once with a 64-character customuuid, found in the records, customuuid whole; the trigger line says where to look', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	const { lines, line } = await check(withTestCall(), tokenCredentials(sim));
	expect(outcomes(lines).slice(3)).toEqual([
		['Test call placed', true],
		['Test call recorded', true],
		['customuuid came back whole', true],
		['CDR reached a SIP Call Trigger', null],
	]);
	const placed = requestsOf(sim, PLAY_VOICE);
	expect(placed).toHaveLength(1);
	const { customuuid, destnumber, voicefile, userid } = placed[0].fields;
	expect([customuuid.length, destnumber, voicefile, userid]).toEqual([64, '13900000008', 'welcome.wav', '1@extGroup-1']);
	expect(line('Test call recorded').detail).toContain('answered');
	expect(line('customuuid came back whole').detail).toContain('64 of 64 characters');
	expect(line('CDR reached a SIP Call Trigger').whatToDo).toContain(`customuuid ${customuuid}`);
});

test('a platform that keeps 32 characters of customuuid: the line fails and says the limit', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true, customuuidMaxLength: 32 });
	const { line } = await check(withTestCall(), tokenCredentials(sim));
	expect(line('Test call recorded').passed).toBe(true);
	expect(line('customuuid came back whole')).toMatchObject({
		passed: false,
		detail: expect.stringContaining('holds only the first 32'),
		whatToDo: expect.stringContaining('Custom Data to 32 characters or fewer'),
	});
	expect(line('customuuid came back whole').whatToDo).toContain('references (22 characters) fit');
});

test('a platform that keeps 16 characters: waiting for results cannot work, and the line says so', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true, customuuidMaxLength: 16 });
	const { line } = await check(withTestCall(), tokenCredentials(sim));
	expect(line('customuuid came back whole').whatToDo).toContain('need 22 characters');
});

test('a call the platform keeps no record of: the recorded line fails when the time is up', async () => {
	sim = await withSimulator({ speed: 200, dropCallbacks: true });
	sim.scriptCallee('13900000008', { answers: true, key: '', sendsNoCdr: true, keepsNoRecord: true });
	const { lines, line } = await check(withTestCall({ checkOptions: { recordWaitMinutes: 0.1 } }), tokenCredentials(sim));
	expect(outcomes(lines).slice(3)).toEqual([
		['Test call placed', true],
		['Test call recorded', false],
		['customuuid came back whole', null],
		['CDR reached a SIP Call Trigger', null],
	]);
	expect(line('Test call recorded').whatToDo).toContain('Did your phone ring?');
	expect(requestsOf(sim, GET_BILL).length).toBeGreaterThan(0);
});

test('the platform refuses the test call: the placed line fails with its reason', async () => {
	sim = await withSimulator({ speed: 200 });
	const { line } = await check(withTestCall({ voiceFile: 'missing.wav' }), tokenCredentials(sim));
	expect(line('Test call placed')).toMatchObject({ passed: false, detail: expect.stringContaining('1029') });
	expect(line('Test call recorded').passed).toBeNull();
	expect(requestsOf(sim, GET_BILL)).toHaveLength(0);
});

test('a Test Call To that is not a phone number stops the check before anything is sent', async () => {
	sim = await withSimulator();
	const run = await runNode({ parameters: withTestCall({ testCallTo: '138-0013' }), credentials: tokenCredentials(sim) });
	expect(run.error?.message).toBe('Test Call To "138-0013" is not a phone number');
	expect(sim.record.requests).toHaveLength(0);
	const limit = await runNode({ parameters: withTestCall({ checkOptions: { recordWaitMinutes: 90 } }), credentials: tokenCredentials(sim) });
	expect(limit.error?.message).toContain('Wait for Record');
	expect(sim.record.requests).toHaveLength(0);
});
