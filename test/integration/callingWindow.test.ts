/**
 * Options → Calling Window, through n8n-core's WorkflowExecute against the simulator. The node
 * reads the time with Date.now() where it decides; these tests set that clock (it runs on from a
 * chosen instant, and jumps when the simulator has received a given number of calls), so no test
 * depends on the time of day it runs at or on how fast the machine is.
 */
import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';

import { playVoiceMenu, playVoiceRequests, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { NODE_NAME, runNode } from '../harness/runNode';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

let sim: Simulator;
let waiting: WaitingExecution | undefined;
beforeEach(async () => {
	sim = await withSimulator({ speed: 1000 });
});
afterEach(async () => {
	jest.restoreAllMocks();
	await waiting?.stop();
	waiting = undefined;
	await sim.stop();
});

/**
 * The clock the node reads: it runs on from `startIso` and, once the simulator has received
 * `afterCalls` calls, is `jumpMs` later.
 */
function setClock(startIso: string, jump?: { afterCalls: number; jumpMs: number }) {
	const realNow = Date.now.bind(Date);
	const shiftMs = Date.parse(startIso) - realNow();
	jest.spyOn(Date, 'now').mockImplementation(() => {
		const jumped = jump && playVoiceRequests(sim).length >= jump.afterCalls ? jump.jumpMs : 0;
		return realNow() + shiftMs + jumped;
	});
}

// Monday to Friday, 09:00 to 20:00 in the platform's zone (Time Zone empty: Asia/Shanghai unless Platform Time Zone says otherwise).
const officeHours = { callingWindow: { window: { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], hours: '09:00-20:00', timeZone: '' } } };
// Wednesday 14 January 2026 in Shanghai.
const WEDNESDAY_EVENING = '2026-01-14T21:00:00+08:00';
const THURSDAY_OPENING = '2026-01-15T09:00:00+08:00';

const rowsOf = (...phones: string[]) => phones.map((phone, index) => ({ json: { phone, crmId: `crm-${index}` } as IDataObject }));
const parameters = (options: IDataObject = {}, overrides: IDataObject = {}) =>
	playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { ...officeHours, callsPerSecond: 0, maxInFlight: 1, ...options }, ...overrides });
const calledNumbers = () => playVoiceRequests(sim).map((request) => request.fields.destnumber);
const paired = (items: INodeExecutionData[]) => items.map((item) => (item.pairedItem as { item: number }).item);

describe('Play Voice Menu with a Calling Window', () => {
	test('a window shut now: nothing is dialed, every row leaves on Outside Calling Window as it came, with the next opening', async () => {
		setClock(WEDNESDAY_EVENING);
		const items = rowsOf('13900000101', '13900000102', '13900000103');
		const { outputs, error } = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim) });
		expect(error).toBeUndefined();
		expect(calledNumbers()).toEqual([]);
		expect(outputs[0]).toEqual([]);
		expect(paired(outputs[1])).toEqual([0, 1, 2]);
		expect(outputs[1].map((item) => item.json)).toEqual(
			items.map((item) => ({ ...item.json, outsideCallingWindow: true, callingWindowOpensAt: THURSDAY_OPENING, callingWindowTimeZone: 'Asia/Shanghai' })),
		);
	});

	test("an empty Time Zone is the callee's (the platform's), not n8n's: a workflow in America/New_York at 21:00 Beijing time (08:00 in New York) rings nobody", async () => {
		setClock(WEDNESDAY_EVENING);
		const items = rowsOf('13900000111', '13900000112');
		const { outputs, error } = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim), timezone: 'America/New_York' });
		expect(error).toBeUndefined();
		expect(calledNumbers()).toEqual([]);
		expect(outputs[1].map((item) => [item.json.callingWindowOpensAt, item.json.callingWindowTimeZone])).toEqual([
			[THURSDAY_OPENING, 'Asia/Shanghai'],
			[THURSDAY_OPENING, 'Asia/Shanghai'],
		]);
	});

	test("with call and wait, an empty Time Zone is Wait Options → Platform Time Zone", async () => {
		// 21:00 in Shanghai is 22:00 in Tokyo: shut either way; the opening is Tokyo's 09:00 (08:00 in Shanghai).
		setClock(WEDNESDAY_EVENING);
		const { outputs, error } = await runNode({
			parameters: parameters({}, { operation: 'playVoiceMenuAndWait', waitLimit: 10, waitOptions: { platformTimeZone: 'Asia/Tokyo' } }),
			items: rowsOf('13900000121'),
			credentials: tokenCredentials(sim),
			timezone: 'America/New_York',
		});
		expect(error).toBeUndefined();
		expect(calledNumbers()).toEqual([]);
		expect(outputs[0].map((item) => [item.json.callingWindowOpensAt, item.json.callingWindowTimeZone])).toEqual([['2026-01-15T09:00:00+09:00', 'Asia/Tokyo']]);
	});

	test('a window that shuts during the list: the rows before are dialed, the rest wait for the next opening', async () => {
		// 19:59 on Wednesday; once two calls are in, it is past 20:00.
		setClock('2026-01-14T19:59:00+08:00', { afterCalls: 2, jumpMs: 2 * 60_000 });
		const items = rowsOf('13900000201', '13900000202', '13900000203', '13900000204', '13900000205');
		const { outputs, error } = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim) });
		expect(error).toBeUndefined();
		expect(calledNumbers()).toEqual(['13900000201', '13900000202']);
		expect(paired(outputs[0])).toEqual([0, 1]);
		expect(outputs[0].map((item) => [item.json.destnumber, item.json.accepted, item.json.outsideCallingWindow])).toEqual([
			['13900000201', true, undefined],
			['13900000202', true, undefined],
		]);
		expect(paired(outputs[1])).toEqual([2, 3, 4]);
		expect(outputs[1].map((item) => [item.json.phone, item.json.callingWindowOpensAt])).toEqual([
			['13900000203', THURSDAY_OPENING],
			['13900000204', THURSDAY_OPENING],
			['13900000205', THURSDAY_OPENING],
		]);
	});

	test('an open window changes nothing: one output, every row dialed', async () => {
		setClock('2026-01-14T10:00:00+08:00');
		const { outputs } = await runNode({ parameters: parameters(), items: rowsOf('13900000301', '13900000302'), credentials: tokenCredentials(sim) });
		expect(calledNumbers()).toEqual(['13900000301', '13900000302']);
		expect(outputs).toHaveLength(1);
		expect(paired(outputs[0])).toEqual([0, 1]);
	});

	test('the window\'s own time zone and days decide; the opening is given in that zone, named', async () => {
		// Wednesday 21:00 in Shanghai is Wednesday 08:00 in New York: shut until 09:00 there.
		setClock(WEDNESDAY_EVENING);
		const window = { callingWindow: { window: { days: ['wednesday'], hours: '09:00-17:00', timeZone: 'America/New_York' } } };
		const { outputs } = await runNode({ parameters: parameters(window), items: rowsOf('13900000401'), credentials: tokenCredentials(sim) });
		expect(calledNumbers()).toEqual([]);
		expect(outputs[1][0].json).toMatchObject({ callingWindowOpensAt: '2026-01-14T09:00:00-05:00', callingWindowTimeZone: 'America/New_York' });
		expect(Date.parse(String(outputs[1][0].json.callingWindowOpensAt))).toBe(Date.parse('2026-01-14T22:00:00+08:00'));
	});

	test('Continue On Fail is unaffected: a refused row is an error item on the first output, the rows shut out on the second', async () => {
		setClock(WEDNESDAY_EVENING);
		const items = rowsOf('138-0000-0001', '13900000502');
		const { outputs, error } = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim), continueOnFail: true });
		expect(error).toBeUndefined();
		expect(calledNumbers()).toEqual([]);
		expect(paired(outputs[0])).toEqual([0]);
		expect(outputs[0][0].json.error).toMatch(/Destination Number "138-0000-0001"/);
		expect(paired(outputs[1])).toEqual([1]);
	});

	test('a Calling Window that cannot be read is refused before any call, naming the field and the fix', async () => {
		setClock('2026-01-14T10:00:00+08:00');
		const window = { callingWindow: { window: { days: ['monday'], hours: '20:00-09:00', timeZone: '' } } };
		const { error } = await runNode({ parameters: parameters(window), items: rowsOf('13900000601'), credentials: tokenCredentials(sim) });
		expect(error?.message).toBe('Calling Window → Hours has "20:00-09:00", which runs past midnight');
		expect(error?.description).toMatch(/write it as two, 00:00-09:00, 20:00-24:00/);
		expect(calledNumbers()).toEqual([]);
	});
});

describe('Play Voice Menu and Wait for Result with a Calling Window', () => {
	const waitParameters = (options: IDataObject = {}) =>
		parameters(options, { operation: 'playVoiceMenuAndWait', additionalFields: { customData: '={{ $json.crmId }}' }, waitLimit: 10 });

	test('a window shut now: nothing is dialed, nothing waits, every row leaves at once on the one output, marked, not placed', async () => {
		setClock(WEDNESDAY_EVENING);
		const items = rowsOf('13900000701', '13900000702');
		const { outputs, error, run } = await runNode({ parameters: waitParameters(), items, credentials: tokenCredentials(sim) });
		expect(error).toBeUndefined();
		expect(run.waitTill).toBeUndefined();
		expect(calledNumbers()).toEqual([]);
		expect(outputs).toHaveLength(1);
		expect(paired(outputs[0])).toEqual([0, 1]);
		expect(outputs[0].map((item) => [item.json.phone, item.json.customuuid, item.json.resultStatus, item.json.outsideCallingWindow, item.json.callingWindowOpensAt])).toEqual([
			['13900000701', 'crm-0', 'notPlaced', true, THURSDAY_OPENING],
			['13900000702', 'crm-1', 'notPlaced', true, THURSDAY_OPENING],
		]);
	});

	test('a window that shuts during the list: the dialed rows wait for their results; the rest come out with them on the one output, marked, in order — nothing a resume on n8n 1.x (first output only) could drop', async () => {
		setClock('2026-01-14T19:59:00+08:00', { afterCalls: 1, jumpMs: 2 * 60_000 });
		waiting = await startWaitingExecution({ parameters: waitParameters(), items: rowsOf('13900000801', '13900000802', '13900000803'), credentials: tokenCredentials(sim) });
		expect(calledNumbers()).toEqual(['13900000801']);
		expect(waiting.status()).toBe('waiting');
		const run: IRun = await waiting.finished();
		const outputs = run.data.resultData.runData[NODE_NAME].at(-1)!.data!.main as INodeExecutionData[][];
		expect(outputs).toHaveLength(1);
		const [results] = outputs;
		expect(paired(results)).toEqual([0, 1, 2]);
		expect(results[0].json).toMatchObject({ destnumber: '13900000801', customuuid: 'crm-0', resultStatus: 'answered' });
		expect(results[0].json).not.toHaveProperty('outsideCallingWindow');
		// The rows carry the input's own fields, which is what the loop through n8n's Wait node reads.
		expect(results.slice(1).map((item) => [item.json.phone, item.json.outsideCallingWindow, item.json.resultStatus, item.json.callingWindowOpensAt])).toEqual([
			['13900000802', true, 'notPlaced', THURSDAY_OPENING],
			['13900000803', true, 'notPlaced', THURSDAY_OPENING],
		]);
		expect(calledNumbers()).toEqual(['13900000801']);
	}, 60_000);
});
