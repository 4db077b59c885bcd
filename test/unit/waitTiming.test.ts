/** The invariants between a wait's timings (nodes/SipCall/waitForResult/waitTiming.ts). */
import {
	lastSweepStartMs,
	LOOKUP_ANSWERED_WITHIN_MS,
	LOOKUP_BUDGET_MS,
	MAX_WAIT_LIMIT_MINUTES,
	nextSweepAtMs,
	RESUME_GRACE_MS,
	RETRY_AFTER_MS,
	SWEEP_EVERY_MS,
	SWEEP_REQUEST_TIMEOUT_MS,
} from '../../nodes/SipCall/waitForResult/waitTiming';

test('a sweep\'s look-up is answered well before the dialing process gives up on the request', () => {
	expect(LOOKUP_BUDGET_MS).toBeLessThan(LOOKUP_ANSWERED_WITHIN_MS);
	expect(LOOKUP_ANSWERED_WITHIN_MS + 5000).toBeLessThanOrEqual(SWEEP_REQUEST_TIMEOUT_MS);
});

test('the sweep at the limit and one retry of it both end before n8n\'s own timer resumes the execution', () => {
	const deadline = 1_000_000;
	const atLimit = nextSweepAtMs(deadline - 60_000, deadline, deadline);
	expect(atLimit).toBe(deadline);
	const retryStarts = atLimit + SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS;
	expect(retryStarts).toBeLessThanOrEqual(lastSweepStartMs(deadline));
	expect(lastSweepStartMs(deadline) + SWEEP_REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(deadline + RESUME_GRACE_MS);
});

test('sweeps: every 5 s at first, a sixth of the time waited later, at most every 30 s in the first hour, then every 5 minutes, and always one at the limit', () => {
	const start = 0;
	const deadline = MAX_WAIT_LIMIT_MINUTES * 60_000;
	expect(nextSweepAtMs(start, deadline, 0)).toBe(SWEEP_EVERY_MS.first);
	expect(nextSweepAtMs(start, deadline, 60_000) - 60_000).toBe(10_000);
	expect(nextSweepAtMs(start, deadline, 30 * 60_000) - 30 * 60_000).toBe(30_000);
	expect(nextSweepAtMs(start, deadline, 2 * 3_600_000) - 2 * 3_600_000).toBe(SWEEP_EVERY_MS.later);
	expect(nextSweepAtMs(start, 7_000, 4_000)).toBe(7_000);
	// A week-long wait costs a few thousand sweeps at most, not one every 5 s.
	let sweeps = 0;
	for (let now = start; now < deadline; now = nextSweepAtMs(start, deadline, now)) sweeps += 1;
	expect(sweeps).toBeLessThan(2200);
});
