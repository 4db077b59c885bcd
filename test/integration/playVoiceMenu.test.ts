import { runNode } from '../harness/runNode';
import { playVoiceMenu, playVoiceRequests, tokenCredentials, TOKEN, withSimulator, type Simulator } from '../harness/fixtures';

let sim: Simulator;
beforeEach(async () => {
	sim = await withSimulator();
});
afterEach(async () => {
	await sim.stop();
});

describe('Play Voice Menu on the wire', () => {
	test('sends every field as multipart/form-data, named as the document names them', async () => {
		const { items, error } = await runNode({
			parameters: playVoiceMenu({
				destinationNumber: '13333333333',
				voiceType: 2,
				voiceFile: 'wwww.baidu.com/test.mp3',
				transferKey: '#',
				extensionGroup: '销售组-1',
				chengshudu: '1',
				additionalFields: { callerNumber: '2120280001', customData: '客户 #42 & "VIP"=是?' },
			}),
			credentials: tokenCredentials(sim),
		});
		expect(error).toBeUndefined();
		const [request] = playVoiceRequests(sim);
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.fields).toEqual({
			service: 'App.Sip_Call.PlayVoice',
			token: TOKEN,
			destnumber: '13333333333',
			voicetype: '2',
			voicefile: 'wwww.baidu.com/test.mp3',
			chengshudu: '1',
			userid: '#@销售组-1',
			disnumber: '2120280001',
			customuuid: '客户 #42 & "VIP"=是?',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			accepted: true,
			desc: '播放命令发送成功',
			destnumber: '13333333333',
			voicetype: 2,
			userid: '#@销售组-1',
			transferKey: '#',
			extensionGroup: '销售组-1',
			disnumber: '2120280001',
			customuuid: '客户 #42 & "VIP"=是?',
		});
	});

	test('leaves out an empty caller number, so the platform picks one, and fills an empty customuuid', async () => {
		const { items } = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}' }),
			items: [{ json: { phone: '13800000001' } }, { json: { phone: '13800000002' } }],
			credentials: tokenCredentials(sim),
		});
		const sent = playVoiceRequests(sim).map((request) => request.fields);
		expect(Object.keys(sent[0]).sort()).toEqual(
			['chengshudu', 'customuuid', 'destnumber', 'service', 'token', 'userid', 'voicefile', 'voicetype'].sort(),
		);
		// One unique reference per call, at most 64 characters, returned with the row.
		expect(sent[0].customuuid).toMatch(/^n8n-[0-9a-f-]{36}$/);
		expect(sent[0].customuuid).not.toBe(sent[1].customuuid);
		expect(items.map((item) => [item.json.customuuid, item.json.customuuidGenerated])).toEqual(
			sent.map((fields) => [fields.customuuid, true]),
		);
	});

	test('sends a raw User ID exactly as written', async () => {
		await runNode({
			parameters: playVoiceMenu({ transferMode: 'rawUserId', userId: '1,2@extGroup-1|extGroup-2' }),
			credentials: tokenCredentials(sim),
		});
		expect(playVoiceRequests(sim)[0].fields.userid).toBe('1,2@extGroup-1|extGroup-2');
	});

	test('a value with line breaks and multipart-like dashes arrives exactly as written', async () => {
		const customData = 'line 1\r\n------WebKitFormBoundary\r\nContent-Disposition: form-data; name="token"\r\n\r\nx\nline 4 --';
		await runNode({
			parameters: playVoiceMenu({ additionalFields: { customData } }),
			credentials: tokenCredentials(sim),
		});
		const [request] = playVoiceRequests(sim);
		expect(request.fields.customuuid).toBe(customData);
		expect(request.fields.token).toBe(TOKEN);
	});

	test('places one call per input item, reading each field from its own item', async () => {
		const rows = [
			{ phone: '13800000001', key: '1', group: 'sales', ref: 'row-1', voice: 'welcome.wav', type: 1 },
			{ phone: '13800000002', key: '2', group: 'support', ref: 'row-2', voice: 'https://cdn.example.com/a.mp3', type: 2 },
			{ phone: '+8613800000003', key: '*', group: 'vip', ref: '第三行', voice: 'menu.wav', type: '1' },
		];
		const { items } = await runNode({
			parameters: playVoiceMenu({
				destinationNumber: '={{ $json.phone }}',
				voiceType: '={{ $json.type }}',
				voiceFile: '={{ $json.voice }}',
				transferKey: '={{ $json.key }}',
				extensionGroup: '={{ $json.group }}',
				additionalFields: { customData: '={{ $json.ref }}' },
			}),
			items: rows.map((json) => ({ json })),
			credentials: tokenCredentials(sim),
		});
		// Requests run two at a time, so they may reach the platform in either order.
		const sent = playVoiceRequests(sim)
			.map((r) => r.fields)
			.sort((a, b) => rows.findIndex((row) => row.phone === a.destnumber) - rows.findIndex((row) => row.phone === b.destnumber));
		expect(sent.map((f) => [f.destnumber, f.voicetype, f.voicefile, f.userid, f.customuuid])).toEqual(
			rows.map((row) => [row.phone, String(row.type), row.voice, `${row.key}@${row.group}`, row.ref]),
		);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.customuuid)).toEqual(rows.map((row) => row.ref));
		for (const row of rows) expect(sim.callsTo(row.phone, row.ref)).toBe(1);
	});

	test('gives request and response times as numbers and as ISO strings in the workflow time zone', async () => {
		const before = Math.floor(Date.now() / 1000);
		const { items } = await runNode({
			parameters: playVoiceMenu(),
			credentials: tokenCredentials(sim),
			timezone: 'America/New_York',
		});
		const json = items[0].json;
		expect(json.reqtime).toBeGreaterThanOrEqual(before);
		expect(Date.parse(json.requestedAt as string) / 1000).toBe(json.reqtime);
		expect(json.requestedAt).toMatch(/-0[45]:00$/);
		expect(json.respondedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00$/);
	});

	test('never puts the token in its output', async () => {
		const { items } = await runNode({ parameters: playVoiceMenu(), credentials: tokenCredentials(sim) });
		expect(JSON.stringify(items)).not.toContain(TOKEN);
	});
});

test('Clean Up Numbers sends the digits the platform dials, shows them on the item, and refuses in words what it cannot clean', async () => {
	const sim = await withSimulator();
	try {
		const rows = ['138 0013 8000', '＋８６ １３９－００１３－９０００', '+86 10 1234 5678', '12-34'];
		const run = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { cleanUpNumbers: true } }),
			items: rows.map((phone) => ({ json: { phone } })),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.destnumber)).toEqual([
			'13800138000',
			'13900139000',
			'01012345678',
		]);
		expect(run.items.map((item) => [item.pairedItem, item.json.accepted, item.json.destnumber])).toEqual([
			[{ item: 0 }, true, '13800138000'],
			[{ item: 1 }, true, '13900139000'],
			[{ item: 2 }, true, '01012345678'],
			[{ item: 3 }, false, '12-34'],
		]);
		expect(run.items[3].json.error).toBe('Destination Number "12-34" is not a phone number');
		expect(run.items[3].json.errorDescription).toMatch(/^Clean Up Numbers could not make it a mainland/);

		// Off (the default), the same sheet's first row is refused, with the option named as the fix.
		const strict = await runNode({ parameters: playVoiceMenu({ destinationNumber: '138 0013 8000' }), credentials: tokenCredentials(sim) });
		expect(strict.error?.description).toMatch(/turn on Options → Clean Up Numbers/);
	} finally {
		await sim.stop();
	}
});
