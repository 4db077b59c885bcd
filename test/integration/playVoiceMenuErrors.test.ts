import { runNode } from '../harness/runNode';
import { playVoiceMenu, playVoiceRequests, tokenCredentials, TOKEN, withSimulator, type Simulator } from '../harness/fixtures';

let sim: Simulator;
beforeEach(async () => {
	sim = await withSimulator();
});
afterEach(async () => {
	await sim.stop();
});

describe('invalid input is refused before anything is sent', () => {
	test.each([
		[{ destinationNumber: '138-0000-0001' }, 'Destination Number "138-0000-0001" is not a phone number'],
		[{ destinationNumber: '={{ "" }}' }, 'Destination Number is empty'],
		[{ voiceType: 2, voiceFile: 'welcome.wav' }, 'Voice File "welcome.wav" is not a URL, but Voice Type is Online URL'],
		[{ voiceType: 1, voiceFile: 'https://cdn.example.com/a.mp3' }, 'looks like a URL, but Voice Type is Offline File'],
		[{ voiceType: 3 }, 'Voice Type "3" is not valid'],
		[{ voiceFile: '  ' }, 'Voice File is empty'],
		[{ transferKey: '11' }, 'Transfer Key "11" is not a phone key'],
		[{ extensionGroup: '={{ " " }}' }, 'Extension Group is empty'],
		[{ extensionGroup: 'a@b' }, 'Extension Group "a@b" contains "@" or a space'],
		[{ transferMode: 'rawUserId', userId: '={{ "" }}' }, 'User ID is empty'],
		[{ chengshudu: '={{ $json.missing }}' }, 'Chengshudu is empty'],
		[{ additionalFields: { callerNumber: 'ABC' } }, 'Caller Number "ABC" is not a phone number'],
	])('%j', async (overrides, message) => {
		const { error, items } = await runNode({ parameters: playVoiceMenu(overrides), credentials: tokenCredentials(sim) });
		expect(items).toEqual([]);
		expect(error?.message).toContain(message);
		expect(error?.description).toBeTruthy();
		expect(playVoiceRequests(sim)).toHaveLength(0);
	});

	test('an operation this version does not know places no call: it is refused by name', async () => {
		const { error, items } = await runNode({ parameters: playVoiceMenu({ operation: 'cancelCall' }), credentials: tokenCredentials(sim) });
		expect(items).toEqual([]);
		expect(error?.message).toContain('The operation "cancelCall" of resource "call" is not known');
		expect(playVoiceRequests(sim)).toHaveLength(0);
	});

	test('a wait whose Platform Time Zone is not a time zone places no call', async () => {
		const parameters = playVoiceMenu({ operation: 'playVoiceMenuAndWait', waitOptions: { platformTimeZone: 'Mars/Olympus' } });
		const { error } = await runNode({ parameters, credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('Platform Time Zone "Mars/Olympus" is not a time zone');
		expect(error?.description).toContain('IANA');
		expect(playVoiceRequests(sim)).toHaveLength(0);
	});

	test('a required field left empty is refused by n8n itself, before the node runs', async () => {
		const { error } = await runNode({ parameters: playVoiceMenu({ destinationNumber: '' }), credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('Parameter "Destination Number" is required');
		expect(playVoiceRequests(sim)).toHaveLength(0);
	});

	test('names the item that failed', async () => {
		const { error } = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}' }),
			items: [{ json: { phone: '13800000001' } }, { json: { phone: 'oops' } }],
			credentials: tokenCredentials(sim),
		});
		expect(error?.message).toContain('"oops"');
		expect(error?.context?.itemIndex).toBe(1);
	});
});

describe('a bad row among good ones', () => {
	const rows = ['13800000001', '13800000002', 'oops', '13800000004'].map((phone) => ({ json: { phone } }));
	const parameters = playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { callsPerSecond: 0, maxInFlight: 1 } });

	// A run that failed half-way and ran again (n8n's Retry On Fail) would ring the rows before it twice.
	test('fails the run before any call is placed, naming the row', async () => {
		const { error } = await runNode({ parameters, items: rows, credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('"oops"');
		expect(error?.context?.itemIndex).toBe(2);
		expect(error?.description).toContain('no call was placed in this run');
		expect(playVoiceRequests(sim)).toEqual([]);
	});

	test('with Continue On Fail, becomes an error item in its place and the rest are placed', async () => {
		const { items } = await runNode({ parameters, items: rows, credentials: tokenCredentials(sim), continueOnFail: true });
		expect(items.map((item) => [item.json.accepted, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
			[false, { item: 2 }],
			[true, { item: 3 }],
		]);
		expect(playVoiceRequests(sim)).toHaveLength(3);
	});
});

describe('platform errors reach the user in words', () => {
	test('a refused call (data.status 1) shows desc and the error code', async () => {
		const { error } = await runNode({
			parameters: playVoiceMenu({ voiceFile: 'missing.wav' }),
			credentials: tokenCredentials(sim),
		});
		expect(error?.message).toBe('The platform refused the call (error code 1029: file does not exist): 离线语音文件不存在：missing.wav');
		expect(sim.record.calls).toHaveLength(0);
	});

	test('ret 600 with a fixed token says to renew the token', async () => {
		const { error } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim, 'WRONG-TOKEN-123') });
		expect(error?.message).toBe('The platform answered ret 600: token无效或已过期，请重新获取');
		expect(error?.description).toContain('get a new token and update the SIP Call API credential');
		expect(JSON.stringify(error)).not.toContain('WRONG-TOKEN-123');
	});

	test('ret 604 says the n8n server IP must be allow-listed', async () => {
		sim.setAllowedIps(['203.0.113.7']);
		const { error } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('ret 604');
		expect(error?.description).toContain('allow-list');
	});

	test('ret 400 shows the platform message', async () => {
		sim.injectFault({ service: 'App.Sip_Call.PlayVoice', kind: 'ret', ret: 400, msg: '非法请求：缺少必要参数userid' });
		const { error } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim) });
		expect(error?.message).toBe('The platform answered ret 400: 非法请求：缺少必要参数userid');
	});

	test('an answer that is not JSON says so and warns that the call may have been placed', async () => {
		sim.injectFault({ service: 'App.Sip_Call.PlayVoice', kind: 'nonJson', placesCall: true });
		const { error } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('not JSON: <html><body>Welcome</body></html>');
		expect(error?.description).toContain('check the CDR');
	});

	test('an HTTP 502 is reported with its status', async () => {
		sim.injectFault({ service: 'App.Sip_Call.PlayVoice', kind: 'status', status: 502 });
		const { error } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim) });
		expect(error?.message).toContain('HTTP 502');
	});

	test('a platform that cannot be reached says no call was placed', async () => {
		const url = sim.url;
		await sim.stop();
		const { error } = await runNode({
			parameters: playVoiceMenu(),
			credentials: { sipCallApi: { apiUrl: url, authentication: 'token', token: TOKEN, sessionToken: TOKEN } },
		});
		sim = await withSimulator();
		expect(error?.message).toContain('Could not connect to the platform');
		expect(error?.message).toContain('the connection was refused');
		expect(error?.description).toContain('no call was placed');
	});

	test('a user and password written into the API URL never appear in a message', async () => {
		const { error } = await runNode({
			parameters: playVoiceMenu({ options: { maxRetries: 0 } }),
			credentials: { sipCallApi: { apiUrl: 'http://admin:url-secret-77@127.0.0.1:9', authentication: 'token', token: TOKEN, sessionToken: '' } },
		});
		expect(error?.message).toBe('Could not connect to the platform at http://127.0.0.1:9/: the connection was refused');
		expect(JSON.stringify(error)).not.toContain('url-secret-77');
	});

	test('a platform that does not answer in time is reported as possibly placed, not retried', async () => {
		sim.injectFault({ service: 'App.Sip_Call.PlayVoice', kind: 'hang', placesCall: true });
		const { error } = await runNode({
			parameters: playVoiceMenu({ options: { timeout: 1000 } }),
			credentials: tokenCredentials(sim),
		});
		expect(error?.message).toBe('The platform did not answer: it timed out');
		expect(error?.description).toContain('may have been placed');
		expect(playVoiceRequests(sim)).toHaveLength(1);
	});
});

describe('Continue On Fail', () => {
	test('every input comes out, failures as items with their error, paired to their row', async () => {
		const phones = ['13800000001', 'bad-number', '13800000003', '0001234567'];
		const { items, error } = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', additionalFields: { customData: '={{ $json.phone }}' } }),
			items: phones.map((phone) => ({ json: { phone } })),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual(phones.map((_, item) => ({ item })));
		expect(items.map((item) => item.json.accepted)).toEqual([true, false, true, false]);
		expect(items[1].json).toMatchObject({
			error: 'Destination Number "bad-number" is not a phone number',
			destnumber: 'bad-number',
			customuuid: 'bad-number',
		});
		expect(items[3].json).toMatchObject({
			error: 'The platform refused the call (error code 1006): 目标号码在黑名单中',
			destnumber: '0001234567',
			customuuid: '0001234567',
			mayHaveBeenPlaced: false,
			code: 1006,
		});
		expect(sim.record.calls.map((call: { destnumber: string }) => call.destnumber)).toEqual(['13800000001', '13800000003']);
		expect(JSON.stringify(items)).not.toContain(TOKEN);
	});
});
