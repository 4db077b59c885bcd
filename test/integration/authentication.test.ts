import type { IHttpRequestHelper, IHttpRequestOptions, INode } from 'n8n-workflow';
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';

import { TestCredentialsHelper } from '../harness/credentialsHelper';
import { runNode } from '../harness/runNode';
import {
	appIdCredentials,
	playVoiceMenu,
	playVoiceRequests,
	tokenCredentials,
	TOKEN,
	withSimulator,
	type Simulator,
} from '../harness/fixtures';

const LOGIN = 'App.Sip_Auth.Login';

let sim: Simulator;
beforeEach(async () => {
	sim = await withSimulator();
});
afterEach(async () => {
	await sim.stop();
});

describe('App ID + Access Key', () => {
	test('logs in once for a whole batch and sends the issued token with each call', async () => {
		const helper = new TestCredentialsHelper(appIdCredentials(sim));
		const { items } = await runNode({
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}' }),
			items: ['13800000001', '13800000002', '13800000003'].map((phone) => ({ json: { phone } })),
			credentialsHelper: helper,
		});
		expect(items).toHaveLength(3);
		expect(sim.requestsFor(LOGIN)).toHaveLength(1);
		const [issued] = sim.issuedTokens().filter((token: string) => token !== TOKEN);
		expect(playVoiceRequests(sim).map((r) => r.fields.token)).toEqual([issued, issued, issued]);
		// The token is kept for the process, so the next execution does not log in.
		await runNode({ parameters: playVoiceMenu(), credentialsHelper: helper });
		expect(sim.requestsFor(LOGIN)).toHaveLength(1);
		expect(playVoiceRequests(sim).at(-1)?.fields.token).toBe(issued);
	});

	test('uses the token n8n saved in the credential (its credential test logs in) without logging in', async () => {
		const credentials = appIdCredentials(sim);
		const helper = new TestCredentialsHelper(credentials);
		const saved = await helper.preAuthentication(
			{ helpers: { httpRequest: async (options: IHttpRequestOptions) => await Container.get(OutboundHttp).requests().request(options) } },
			{ ...credentials.sipCallApi },
			'sipCallApi',
			{ type: 'n8n-nodes-base.noOp', parameters: { temp: '' } } as unknown as INode,
			false,
		);
		expect(helper.updates).toEqual([{ sessionToken: saved?.sessionToken }]);
		await runNode({ parameters: playVoiceMenu(), credentialsHelper: helper });
		expect(sim.requestsFor(LOGIN)).toHaveLength(1);
		expect(playVoiceRequests(sim)[0].fields.token).toBe(saved?.sessionToken);
	});

	test('on ret 600 logs in once more and resends, and the refused call is not placed twice', async () => {
		const helper = new TestCredentialsHelper(appIdCredentials(sim));
		await runNode({ parameters: playVoiceMenu({ destinationNumber: '13800000001' }), credentialsHelper: helper });
		const [first] = sim.issuedTokens().filter((token: string) => token !== TOKEN);
		sim.expireToken(first);

		const { items, error } = await runNode({
			// No pace: both requests go out at once (Calls per Second would send them 1/C s apart).
			parameters: playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { callsPerSecond: 0 } }),
			items: ['13800000002', '13800000003'].map((phone) => ({ json: { phone } })),
			credentialsHelper: helper,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.accepted)).toEqual([true, true]);
		// Two requests in flight both meet the expired token; one login renews it for both.
		expect(sim.requestsFor(LOGIN)).toHaveLength(2);
		const answers = playVoiceRequests(sim).map((r) => r.answer.ret);
		expect(answers.sort()).toEqual([200, 200, 200, 600, 600]);
		expect(sim.callsTo('13800000002')).toBe(1);
		expect(sim.callsTo('13800000003')).toBe(1);
	});

	test('a wrong access key fails with the platform message and never reveals the key', async () => {
		const { error } = await runNode({
			parameters: playVoiceMenu(),
			credentials: appIdCredentials(sim, 'wrong-access-key-987'),
		});
		expect(error?.message).toBe('The platform refused the login (error code 1001): appid或accesskey错误');
		expect(JSON.stringify(error)).not.toContain('wrong-access-key-987');
		expect(playVoiceRequests(sim)).toHaveLength(0);
	});
});

describe('credential test (preAuthentication, as n8n runs it when a user clicks "Test")', () => {
	const testingNode = { type: 'n8n-nodes-base.noOp', parameters: { temp: '' } } as unknown as INode;
	const helpers: IHttpRequestHelper = {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) =>
				await Container.get(OutboundHttp).requests().request(options),
		},
	};
	const check = async (credentials: ReturnType<typeof tokenCredentials>) => {
		const helper = new TestCredentialsHelper(credentials);
		return await helper.preAuthentication(helpers, { ...credentials.sipCallApi }, 'sipCallApi', testingNode, false);
	};

	test('a good token passes', async () => {
		await expect(check(tokenCredentials(sim))).resolves.toBeDefined();
	});

	test('a bad token fails with the platform message', async () => {
		await expect(check(tokenCredentials(sim, 'NOT-A-TOKEN'))).rejects.toThrow('ret 600: token无效或已过期，请重新获取');
	});

	test('good App ID + Access Key pass, bad ones fail with the platform message', async () => {
		await expect(check(appIdCredentials(sim))).resolves.toMatchObject({ sessionToken: expect.any(String) });
		await expect(check(appIdCredentials(sim, 'nope'))).rejects.toThrow('appid或accesskey错误');
	});

	test('an IP that is not allowed fails with ret 604 explained', async () => {
		sim.setAllowedIps(['198.51.100.1']);
		await expect(check(tokenCredentials(sim))).rejects.toThrow('ret 604');
	});

	test('never places a call and never ends a token', async () => {
		await check(tokenCredentials(sim));
		await check(appIdCredentials(sim));
		const services = new Set(sim.record.requests.map((r: { service: string }) => r.service));
		expect([...services].sort()).toEqual(['App.Sip_Auth.Login', 'App.Sip_Cdr.GetRecodeFile']);
		expect(sim.record.calls).toHaveLength(0);
	});
});
