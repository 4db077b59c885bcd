/**
 * What keeps a list from ringing anyone twice or past the user's limits (#21, items 1 and 8), through
 * n8n-core's real WorkflowExecute against the simulator: Options → Skip Numbers Already Called (the
 * platform's records, n8n's deduplication store, the list itself), Allowed Numbers, and Max Calls per
 * Execution. The deduplication store is n8n-core's own service over the harness's in-memory store.
 */
import type { IDataObject } from 'n8n-workflow';

import { forgetDeduplicatedEntries, useInMemoryDeduplication } from '../harness/deduplicationStore';
import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { SIP_CALL_TOOL } from '../harness/packageTypes';
import { runNode } from '../harness/runNode';

let sim: Simulator;
beforeAll(async () => await useInMemoryDeduplication());
afterEach(async () => await sim?.stop());

const skipOption = (matchBy = 'number') => ({ skipAlreadyCalled: { settings: { lookBackHours: 24, matchBy } } });
const parameters = (options = {}, overrides = {}) =>
	playVoiceMenu({
		destinationNumber: '={{ $json.phone }}',
		additionalFields: { customData: '={{ $json.crmId ?? "" }}' },
		options: { callsPerSecond: 0, maxInFlight: 1, ...options },
		...overrides,
	});
const rowsOf = (...phones: string[]) => phones.map((phone) => ({ json: { phone } }));

async function run(phones: string[], options = {}, more: { continueOnFail?: boolean; items?: Array<{ json: IDataObject }>; nodeType?: string } = {}) {
	return await runNode({
		parameters: parameters(options),
		items: more.items ?? rowsOf(...phones),
		credentials: tokenCredentials(sim),
		continueOnFail: more.continueOnFail,
		nodeType: more.nodeType,
	});
}

async function recordsOf(count: number) {
	for (let waited = 0; sim.visibleCallRecords().length < count; waited += 50) {
		if (waited > 10_000) throw new Error(`the simulator shows ${sim.visibleCallRecords().length} records, not ${count}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('Skip Numbers Already Called', () => {
	test('a list run again rings only the rows nobody called: the others come out skipped, saying the platform recorded them', async () => {
		sim = await withSimulator({ speed: 1000 });
		await run(['13811100001', '13811100002']);
		await recordsOf(2);
		const again = await run(['13811100001', '13811100002', '13811100003'], skipOption());
		expect(['13811100001', '13811100002', '13811100003'].map((phone) => sim.callsTo(phone))).toEqual([1, 1, 1]);
		expect(again.items.map((item) => [item.pairedItem, item.json.accepted, item.json.skipped ?? false])).toEqual([
			[{ item: 0 }, false, true],
			[{ item: 1 }, false, true],
			[{ item: 2 }, true, false],
		]);
		expect(again.items[0].json.skipReason).toMatch(/^Already called within the last 24 hours \(same number\): the platform's call records hold a call at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
		expect(again.items[0].json.destnumber).toBe('13811100001');
	});

	test('started twice while the calls are still going (no record yet): the second run rings nobody, by this workflow\'s claims in n8n', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.setRecordDelayMs(600_000);
		await run(['13811200001', '13811200002'], skipOption());
		const second = await run(['13811200001', '13811200002'], skipOption());
		expect(['13811200001', '13811200002'].map((phone) => sim.callsTo(phone))).toEqual([1, 1]);
		expect(second.items.map((item) => item.json.skipReason)).toEqual([
			expect.stringMatching(/^This node placed a call to the same number within the last hour or so \(in this workflow\) that is not in the platform's call records yet/),
			expect.stringMatching(/^This node placed a call/),
		]);
	});

	test('the same number twice in one list is called once', async () => {
		sim = await withSimulator({ speed: 1000 });
		const done = await run(['13811300001', '138 1130 0001', '13811300002'], { ...skipOption(), cleanUpNumbers: true });
		expect(sim.callsTo('13811300001')).toBe(1);
		expect(done.items.map((item) => item.json.skipReason ?? null)).toEqual([null, 'Row 1 of this list has the same number: it is called once.', null]);
	});

	test('a row the platform refused is not claimed: after the fix, the next run calls it', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.injectFault({ kind: 'ret', ret: 400, msg: 'bad field', service: 'App.Sip_Call.PlayVoice' });
		const refused = await run(['13811400001'], skipOption(), { continueOnFail: true });
		expect(refused.items[0].json).toMatchObject({ accepted: false, mayHaveBeenPlaced: false });
		expect(sim.callsTo('13811400001')).toBe(0);
		const fixed = await run(['13811400001'], skipOption());
		expect(fixed.items[0].json.accepted).toBe(true);
		expect(sim.callsTo('13811400001')).toBe(1);
	});

	test('by Custom Data: the same CRM ID at another number counts as called; a row without Custom Data is called', async () => {
		sim = await withSimulator({ speed: 1000 });
		await run([], {}, { items: [{ json: { phone: '13811500001', crmId: 'crm-77' } }] });
		await recordsOf(1);
		const items = [
			{ json: { phone: '13811500002', crmId: 'crm-77' } },
			{ json: { phone: '13811500003' } },
		];
		const again = await run([], skipOption('customData'), { items });
		expect(again.items.map((item) => item.json.skipped ?? false)).toEqual([true, false]);
		expect(again.items[0].json.skipReason).toMatch(/\(same Custom Data\)/);
		expect(sim.callsTo('13811500002')).toBe(0);
		expect(sim.callsTo('13811500003')).toBe(1);
	});

	test('when the platform\'s records cannot be read, nothing is dialed and the node says why', async () => {
		sim = await withSimulator({ speed: 1000 });
		sim.injectFault({ kind: 'ret', ret: 500, msg: 'database busy', service: 'App.Sip_Cdr.GetBill' });
		const failed = await run(['13811600001'], skipOption());
		expect(failed.error?.message).toMatch(/^Skip Numbers Already Called could not read the platform's call records: .*database busy/);
		expect(failed.error?.description).toMatch(/No call was placed in this run/);
		expect(sim.callsTo('13811600001')).toBe(0);
	});

	test('with Play Voice Menu and Wait for Result, a skipped row comes out at once as not placed, saying why', async () => {
		sim = await withSimulator({ speed: 1000 });
		await run(['13811700001']);
		await recordsOf(1);
		const waited = await runNode({
			parameters: parameters(skipOption(), { operation: 'playVoiceMenuAndWait', waitLimit: 1 }),
			items: rowsOf('13811700001'),
			credentials: tokenCredentials(sim),
		});
		expect(sim.callsTo('13811700001')).toBe(1);
		expect(waited.items[0].json).toMatchObject({ resultStatus: 'notPlaced', skipped: true, destnumber: '13811700001' });
		expect(waited.run.waitTill).toBeUndefined();
	});

	test('a look-back outside 1 hour to 31 days is refused, naming the field', async () => {
		sim = await withSimulator({ speed: 1000 });
		const refused = await run(['13811800001'], { skipAlreadyCalled: { settings: { lookBackHours: 0, matchBy: 'number' } } });
		expect(refused.error?.message).toMatch(/^Skip Numbers Already Called → Look Back \(Hours\) must be from 1 to 744/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);
	});
});

describe('Allowed Numbers and Max Calls per Execution (an AI agent cannot run up a bill)', () => {
	test('a number outside Allowed Numbers fails the list before anyone is rung; with Continue On Fail it is an error item and the others are called', async () => {
		sim = await withSimulator({ speed: 1000 });
		const options = { allowedNumbers: '138*, 0571????????' };
		const phones = ['13812100001', '13912100002', '057112345678'];
		const failed = await run(phones, options);
		expect(failed.error?.message).toBe('Destination Number "13912100002" is not among the Allowed Numbers');
		expect(failed.error?.description).toMatch(/138\*, 0571\?{8} \(Options → Allowed Numbers\).*no call was placed in this run/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);

		const continued = await run(phones, options, { continueOnFail: true });
		expect(continued.items.map((item) => [item.pairedItem, item.json.accepted, item.json.error ?? null])).toEqual([
			[{ item: 0 }, true, null],
			[{ item: 1 }, false, 'Destination Number "13912100002" is not among the Allowed Numbers'],
			[{ item: 2 }, true, null],
		]);
		expect(phones.map((phone) => sim.callsTo(phone))).toEqual([1, 0, 1]);
	});

	test('an Allowed Numbers pattern that is not digits, * or ? is refused, naming the field', async () => {
		sim = await withSimulator({ speed: 1000 });
		const refused = await run(['13812200001'], { allowedNumbers: '138.*' });
		expect(refused.error?.message).toBe('Allowed Numbers: "138.*" is not a number pattern');
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);
	});

	test('rows beyond Max Calls per Execution are refused in words: the whole list without Continue On Fail, only those rows with it', async () => {
		sim = await withSimulator({ speed: 1000 });
		const phones = ['13812300001', '13812300002', '13812300003'];
		const failed = await run(phones, { maxCallsPerExecution: 2 });
		expect(failed.error?.message).toBe('Max Calls per Execution (2) reached: this row was not called');
		expect(failed.error?.description).toMatch(/No call was placed in this run/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);

		const continued = await run(phones, { maxCallsPerExecution: 2 }, { continueOnFail: true });
		expect(continued.items.map((item) => item.json.accepted)).toEqual([true, true, false]);
		expect(continued.items[2].json.error).toBe('Max Calls per Execution (2) reached: this row was not called');
		expect(phones.map((phone) => sim.callsTo(phone))).toEqual([1, 1, 0]);
	});

	test('Retry On Fail draws on the same count, and a row the platform refused gives its place back', async () => {
		sim = await withSimulator({ speed: 1000 });
		// Try 1: the first row is refused outright, so the run fails before the second is dialed; try 2 may place both.
		sim.injectFault({ kind: 'ret', ret: 400, msg: 'bad field', service: 'App.Sip_Call.PlayVoice' });
		const phones = ['13812400001', '13812400002'];
		const done = await runNode({
			parameters: parameters({ maxCallsPerExecution: 2 }),
			items: rowsOf(...phones),
			credentials: tokenCredentials(sim),
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
		});
		expect(done.error).toBeUndefined();
		expect(done.items.map((item) => item.json.accepted)).toEqual([true, true]);
		expect(phones.map((phone) => sim.callsTo(phone))).toEqual([1, 1]);
	});
});

describe('as an AI agent\'s tool, and across executions (Max Calls per Day)', () => {
	beforeEach(() => forgetDeduplicatedEntries());
	const testCall = (testCallTo: string, checkOptions: IDataObject) =>
		playVoiceMenu({ operation: 'checkSetUp', placeTestCall: true, testCallTo, checkOptions: { recordWaitMinutes: 0.1, ...checkOptions } });

	test('run as a tool, the node places no call without Allowed Numbers, naming the field; with it, the allowed numbers are called', async () => {
		sim = await withSimulator({ speed: 1000 });
		const refused = await run(['13812500001'], {}, { nodeType: SIP_CALL_TOOL });
		expect(refused.error?.message).toBe("Allowed Numbers is empty, and this node runs as an AI agent's tool: no call was placed");
		expect(refused.error?.description).toMatch(/^Set Options → Allowed Numbers to the numbers or prefixes the agent may call/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);

		const allowed = await run(['13812500001'], { allowedNumbers: '138125*' }, { nodeType: SIP_CALL_TOOL });
		expect(allowed.error).toBeUndefined();
		expect(sim.callsTo('13812500001')).toBe(1);
		// Not as a tool: empty Allowed Numbers still means any number.
		expect((await run(['13912500002'])).error).toBeUndefined();
	});

	test('Max Calls per Day holds across executions of the workflow: a later execution gets only what is left, and a call the platform refused gives its place back', async () => {
		sim = await withSimulator({ speed: 1000 });
		const options = { maxCallsPerDay: 4 };
		const first = await run(['13812600001', '13812600002', '13812600003'], options);
		expect(first.error).toBeUndefined();
		// One place is left: the first row takes it, and the platform refuses that call outright.
		sim.injectFault({ kind: 'ret', ret: 400, msg: 'bad field', service: 'App.Sip_Call.PlayVoice' });
		const second = await run(['13812600004', '13812600005', '13812600006'], options, { continueOnFail: true });
		expect(second.items.map((item) => [item.json.accepted, item.json.error])).toEqual([
			[false, expect.stringContaining('bad field')],
			[false, 'Max Calls per Day (4) reached: this row was not called'],
			[false, 'Max Calls per Day (4) reached: this row was not called'],
		]);
		// The refused call's place was given back: the next execution may use it, and no more.
		expect((await run(['13812600007'], options)).error).toBeUndefined();
		const fourth = await run(['13812600008'], options);
		expect(fourth.error?.message).toBe('Max Calls per Day (4) reached: this row was not called');
		expect(fourth.error?.description).toMatch(/counted in the platform's day, Asia\/Shanghai, across every execution of this workflow/);
		expect(sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.destnumber)).toEqual(['13812600001', '13812600002', '13812600003', '13812600004', '13812600007']);
	});

	test("Check Set-up's test call obeys Allowed Numbers and Max Calls per Day, and as a tool needs Allowed Numbers", async () => {
		sim = await withSimulator({ speed: 1000 });
		const outside = await runNode({ parameters: testCall('13912700001', { allowedNumbers: '138*' }), credentials: tokenCredentials(sim) });
		expect(outside.error?.message).toBe('Test Call To "13912700001" is not among the Allowed Numbers');
		const asTool = await runNode({ parameters: testCall('13812700001', {}), credentials: tokenCredentials(sim), nodeType: SIP_CALL_TOOL });
		expect(asTool.error?.message).toBe("Allowed Numbers is empty, and this node runs as an AI agent's tool: no call was placed");
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);

		const once = await runNode({ parameters: testCall('13812700002', { maxCallsPerDay: 1 }), credentials: tokenCredentials(sim) });
		expect(once.error).toBeUndefined();
		const again = await runNode({ parameters: testCall('13812700002', { maxCallsPerDay: 1 }), credentials: tokenCredentials(sim) });
		expect(again.error?.message).toBe('Max Calls per Day (1) reached: the test call was not placed');
		expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(1);
	}, 60_000);
});
