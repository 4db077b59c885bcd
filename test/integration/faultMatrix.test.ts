/**
 * Faults between n8n and the platform, alone and mixed across a batch, with and without Continue
 * On Fail: one output per input, every error in words on its own row, no call placed twice, no
 * crash — and a ceiling on calls per second that holds, and a stop that stops.
 */
import { createServer } from 'node:net';

import { runNode, type NodeRun } from '../harness/runNode';
import { playVoiceMenu, tokenCredentials, TOKEN, withSimulator, type Simulator } from '../harness/fixtures';

let sim: Simulator;
afterEach(async () => {
	await sim?.stop();
});

const PLAY = 'App.Sip_Call.PlayVoice';
const phones = (count: number) => Array.from({ length: count }, (_, i) => `1380000${String(i + 1).padStart(4, '0')}`);

async function dial(numbers: string[], { continueOnFail = true, options = {} as Record<string, unknown>, stopAfterMs }: { continueOnFail?: boolean; options?: Record<string, unknown>; stopAfterMs?: number } = {}) {
	return await runNode({
		parameters: playVoiceMenu({
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			options: { callsPerSecond: 0, maxInFlight: 3, timeout: 1500, ...options },
		}),
		items: numbers.map((phone, i) => ({ json: { phone, ref: `row-${i}` } })),
		credentials: tokenCredentials(sim),
		continueOnFail,
		stopAfterMs,
	});
}

/** The row the simulator applied a fault to, found from its own record. */
const faultedRow = (kind: string) => sim.requestsFor(PLAY).find((entry: { fault?: string }) => entry.fault === kind)?.fields.customuuid;

function expectNoCallPlacedTwice(numbers: string[]) {
	numbers.forEach((phone, i) => expect(sim.callsTo(phone, `row-${i}`)).toBeLessThanOrEqual(1));
}

function expectEveryRowOnce(run: NodeRun, numbers: string[]) {
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(numbers.length);
	expect(run.items.map((item) => item.pairedItem)).toEqual(numbers.map((_, item) => ({ item })));
	run.items.forEach((item, i) => expect(item.json.customuuid).toBe(`row-${i}`));
	expect(JSON.stringify(run.items)).not.toContain(TOKEN);
}

describe.each([
	// kind, fault, may the call have been placed, is it placed, message
	['reset after the platform placed the call', { kind: 'reset', placesCall: true }, true, 1, 'the connection was reset'],
	['reset before the platform acted', { kind: 'reset', placesCall: false }, true, 0, 'the connection was reset'],
	['no answer (timeout)', { kind: 'hang', placesCall: true }, true, 1, 'it timed out'],
	['HTTP 502 after placing', { kind: 'status', status: 502, placesCall: true }, true, 1, 'HTTP 502'],
	['HTTP 503 before placing', { kind: 'status', status: 503, placesCall: false }, true, 0, 'HTTP 503'],
	['an answer that is not JSON', { kind: 'nonJson', placesCall: true }, true, 1, 'not JSON'],
	['ret 400', { kind: 'ret', ret: 400, msg: '非法请求' }, false, 0, 'ret 400'],
	['ret 600 with a fixed token', { kind: 'ret', ret: 600, msg: 'token无效' }, false, 0, 'ret 600'],
	['ret 604', { kind: 'ret', ret: 604, msg: 'IP未授权' }, false, 0, 'ret 604'],
])('%s', (_name, fault, mayHaveBeenPlaced, placed, words) => {
	const numbers = phones(5);

	test('with Continue On Fail: the faulted row is reported in words, never retried; the others are placed once', async () => {
		sim = await withSimulator();
		sim.injectFault({ service: PLAY, ...fault });
		const run = await dial(numbers);
		expectEveryRowOnce(run, numbers);
		const row = faultedRow(fault.kind);
		const failed = run.items.filter((item) => item.json.accepted === false);
		expect(failed.map((item) => item.json.customuuid)).toEqual([row]);
		expect(failed[0].json.error).toContain(words);
		expect(failed[0].json.mayHaveBeenPlaced).toBe(mayHaveBeenPlaced);
		const index = Number(String(row).slice(4));
		expect(sim.callsTo(numbers[index], row)).toBe(placed);
		expect(sim.requestsFor(PLAY).filter((entry: { fields: { customuuid: string } }) => entry.fields.customuuid === row)).toHaveLength(1);
		expect(sim.record.calls).toHaveLength(numbers.length - 1 + placed);
		expectNoCallPlacedTwice(numbers);
	});

	test('without it: the execution stops on that row, says which calls were placed, and places none twice', async () => {
		sim = await withSimulator();
		sim.injectFault({ service: PLAY, ...fault });
		const run = await dial(numbers, { continueOnFail: false });
		expect(run.items).toEqual([]);
		expect(run.error?.message).toContain(words);
		expect(run.error?.description).toMatch(/Calls placed in this run before it stopped: \d+|No call was placed/);
		expectNoCallPlacedTwice(numbers);
	});
});

test('a refused connection is retried, since nothing reached the platform, and the call is placed once', async () => {
	const port = await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port: free } = probe.address() as { port: number };
			probe.close(() => resolve(free));
		});
	});
	const started = Date.now();
	const running = runNode({
		parameters: playVoiceMenu({ options: { callsPerSecond: 0 } }),
		credentials: { sipCallApi: { apiUrl: `http://127.0.0.1:${port}`, authentication: 'token', token: TOKEN, sessionToken: '' } },
	});
	await new Promise((resolve) => setTimeout(resolve, 700));
	sim = await withSimulator({ port });
	const run = await running;
	expect(run.error).toBeUndefined();
	expect(run.items[0].json).toMatchObject({ accepted: true });
	expect(run.items[0].json.attempts).toBeGreaterThan(1);
	expect(sim.record.calls).toHaveLength(1);
	expect(Date.now() - started).toBeGreaterThanOrEqual(700);
});

test('slow answers within the timeout are simply waited for', async () => {
	sim = await withSimulator();
	for (let i = 0; i < 3; i++) sim.injectFault({ service: PLAY, kind: 'latency', delayMs: 400 });
	const numbers = phones(4);
	const run = await dial(numbers);
	expectEveryRowOnce(run, numbers);
	expect(run.items.every((item) => item.json.accepted === true && item.json.attempts === 1)).toBe(true);
});

test('"too fast" and "too many at once" refusals are waited out and retried; every row is called once', async () => {
	sim = await withSimulator({ maxCallsPerSecond: 3, maxConcurrentCalls: 4, speed: 20 });
	const numbers = phones(8);
	const run = await dial(numbers, { options: { callsPerSecond: 0, maxInFlight: 4, maxRetries: 8, slowDownCodes: '9011, 9012' } });
	expectEveryRowOnce(run, numbers);
	expect(run.items.every((item) => item.json.accepted === true)).toBe(true);
	const refusedCodes = sim.requestsFor(PLAY).map((entry: { answer?: { data?: { errors?: { code?: number } } } }) => entry.answer?.data?.errors?.code);
	expect(refusedCodes.filter((code: number | undefined) => code === 9011 || code === 9012).length).toBeGreaterThan(0);
	numbers.forEach((phone, i) => expect(sim.callsTo(phone, `row-${i}`)).toBe(1));
}, 60000);

test('a refusal that is not about load (unknown voice file) is not retried', async () => {
	sim = await withSimulator();
	const run = await runNode({
		parameters: playVoiceMenu({ voiceFile: 'missing.wav', options: { maxRetries: 5 } }),
		credentials: tokenCredentials(sim),
		continueOnFail: true,
	});
	expect(run.items[0].json).toMatchObject({ accepted: false, code: 1029, mayHaveBeenPlaced: false });
	expect(sim.requestsFor(PLAY)).toHaveLength(1);
});

test('"Retry Even If the Call May Have Been Placed" does retry a timeout — and so may call twice, as it says', async () => {
	sim = await withSimulator();
	sim.injectFault({ service: PLAY, kind: 'hang', placesCall: true });
	const run = await dial(['13800000001'], { options: { retryWhenUnsure: true, timeout: 1000 } });
	expect(run.items[0].json).toMatchObject({ accepted: true, attempts: 2 });
	expect(sim.callsTo('13800000001', 'row-0')).toBe(2);
});

test('a mix of faults across a batch: one output per row, errors on their rows, no call placed twice', async () => {
	sim = await withSimulator({ maxCallsPerSecond: 4, speed: 50 });
	const faults = [
		{ kind: 'reset', placesCall: true },
		{ kind: 'status', status: 502, placesCall: false },
		{ kind: 'latency', delayMs: 300 },
		{ kind: 'nonJson', placesCall: true },
		{ kind: 'ret', ret: 400, msg: '非法请求' },
		{ kind: 'latency', delayMs: 200 },
		{ kind: 'hang', placesCall: false },
	];
	for (const fault of faults) sim.injectFault({ service: PLAY, ...fault });
	const numbers = [...phones(10), 'not-a-number', '0001234567'];
	const run = await dial(numbers, { options: { callsPerSecond: 0, maxInFlight: 4, maxRetries: 6, timeout: 1000, slowDownCodes: '9011, 9012' } });
	expectEveryRowOnce(run, numbers);
	const failed = run.items.filter((item) => item.json.accepted === false);
	// Five faults that fail a row, the bad number, and the blocked number.
	expect(failed).toHaveLength(7);
	for (const item of failed) expect(String(item.json.error)).toMatch(/^[A-Z]/);
	expectNoCallPlacedTwice(numbers);
}, 60000);

describe('pace', () => {
	// The ceiling itself is tested on a controlled clock (test/unit/callPacer.test.ts) and measured
	// at the receiver by `npm run bench`: a count of arrivals per second on a busy machine is not asserted.
	test('a capped list is dialed whole, each row once, and the cap slows it down', async () => {
		sim = await withSimulator();
		const numbers = phones(12);
		const started = Date.now();
		const run = await dial(numbers, { options: { callsPerSecond: 5, maxInFlight: 5 } });
		expectEveryRowOnce(run, numbers);
		// 12 calls at 5 per second need at least two full windows.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	}, 30000);

	test('a stopped execution stops dialing at once', async () => {
		sim = await withSimulator();
		const numbers = phones(30);
		// 10 calls fit in the first second; the stop comes while the dialer waits for the next one.
		const run = await dial(numbers, { options: { callsPerSecond: 10, maxInFlight: 2 }, stopAfterMs: 600 });
		const placedAtStop = sim.record.calls.length;
		expect(placedAtStop).toBeGreaterThan(0);
		expect(placedAtStop).toBeLessThan(numbers.length);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(sim.record.calls.length).toBe(placedAtStop);
		expect(run.run?.status ?? 'canceled').toBe('canceled');
	}, 30000);
});
