/**
 * The calls-per-second cap, on a controlled clock (Jest's fake timers drive Date.now and n8n's
 * sleep): the platform counts arrivals, and a request arrives anywhere between when it is sent and
 * when its answer comes back, so the cap is checked on arrival times, with requests held up on the
 * way for longer than a second.
 */
import { CallPacer } from '../../nodes/SipCall/dialing/callPacer';
import { mostInAnyWindow } from '../bench/report';

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

/** A fixed pseudo-random sequence: the same "network" on every run. */
function sequence(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

/** Dials `calls` calls through `workers` concurrent loops; returns when each reached the platform. */
async function dialThroughPacer(options: { cap: number; workers: number; calls: number; latencyMs: () => number; arrivalShare: () => number }) {
	const pacer = new CallPacer(options.cap);
	const arrivals: number[] = [];
	const sends: number[] = [];
	let next = 0;
	const worker = async () => {
		while (next < options.calls) {
			next++;
			const release = await pacer.acquire();
			if (!release) throw new Error('the pacer gave no slot without a stop');
			sends.push(Date.now());
			const latency = options.latencyMs();
			// The platform sees the request some time between sending and answering.
			arrivals.push(Date.now() + Math.floor(latency * options.arrivalShare()));
			await new Promise((resolve) => setTimeout(resolve, latency));
			release();
		}
	};
	const done = Promise.all(Array.from({ length: options.workers }, worker));
	let finished = false;
	void done.then(() => (finished = true));
	while (!finished) await jest.advanceTimersByTimeAsync(10);
	await done;
	return Object.assign(arrivals, { sends });
}

test.each([
	{ cap: 5, workers: 5, label: 'as many in flight as the cap' },
	{ cap: 20, workers: 8, label: 'fewer in flight than the cap' },
	{ cap: 3, workers: 10, label: 'more in flight than the cap' },
])('never more than the cap arrive in any one second, with requests held up for up to 1.5 s ($label)', async ({ cap, workers }) => {
	const random = sequence(cap * 31 + workers);
	const arrivals = await dialThroughPacer({
		cap,
		workers,
		calls: 200,
		// Mostly quick answers, now and then one held up far longer than a second.
		latencyMs: () => (random() < 0.15 ? 1000 + Math.floor(random() * 500) : Math.floor(random() * 80)),
		arrivalShare: random,
	});
	expect(arrivals).toHaveLength(200);
	// At most the cap, and the cap is reached: a ceiling, not a slow trickle.
	expect(mostInAnyWindow(arrivals)).toBe(cap);
});

test('with quick answers the rate stays close to the cap', async () => {
	const arrivals = await dialThroughPacer({ cap: 10, workers: 10, calls: 100, latencyMs: () => 20, arrivalShare: () => 0.5 });
	const seconds = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
	// 100 calls at 10 per second, 0.1 s apart: 99 intervals, each slot's reuse stretched by its 20 ms answer.
	expect(seconds).toBeGreaterThanOrEqual(9.9);
	expect(seconds).toBeLessThan(9.9 * 1.05);
});

test.each([
	{ cap: 20, workers: 20 },
	{ cap: 50, workers: 8 },
	{ cap: 3, workers: 1 },
])('calls go out evenly, at least 1/C second apart: never a burst of C at once (C = $cap, $workers in flight)', async ({ cap, workers }) => {
	const { sends } = await dialThroughPacer({ cap, workers, calls: 4 * cap, latencyMs: () => 5, arrivalShare: () => 0 });
	const gaps = sends.slice(1).map((at, index) => at - sends[index]);
	expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(1000 / cap));
	// Even, not slow: no gap much past 1/C (the fake clock steps by 10 ms).
	expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(1000 / cap) + 10);
});

test('a stop while waiting for a slot ends the wait', async () => {
	const controller = new AbortController();
	const pacer = new CallPacer(1, controller.signal);
	expect(await pacer.acquire()).toBeInstanceOf(Function);
	const waiting = pacer.acquire();
	await jest.advanceTimersByTimeAsync(200);
	controller.abort();
	await jest.advanceTimersByTimeAsync(100);
	expect(await waiting).toBeUndefined();
});

test('a cap of 0 places no limit', async () => {
	const pacer = new CallPacer(0);
	const slots = await Promise.all(Array.from({ length: 50 }, async () => await pacer.acquire()));
	expect(slots.every((slot) => typeof slot === 'function')).toBe(true);
});

test('slots go out in the order they were asked for, so rows go out in row order', async () => {
	const pacer = new CallPacer(2);
	const granted: number[] = [];
	const asks = Array.from({ length: 6 }, async (_, row) => {
		const release = await pacer.acquire();
		granted.push(row);
		release?.();
	});
	let finished = false;
	void Promise.all(asks).then(() => (finished = true));
	while (!finished) await jest.advanceTimersByTimeAsync(10);
	expect(granted).toEqual([0, 1, 2, 3, 4, 5]);
});
