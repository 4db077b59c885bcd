/** The invariants between a wait's timings (nodes/SipCall/waitForResult/waitTiming.ts, accountReader.ts). */
import { POLL_EVERY_MS } from '../../nodes/SipCall/waitForResult/accountReader';
import {
	FINAL_READ_WITHIN_MS,
	lastDeliveryStartMs,
	RESUME_GRACE_MS,
	RETRY_AFTER_MS,
	SWEEP_REQUEST_TIMEOUT_MS,
} from '../../nodes/SipCall/waitForResult/waitTiming';

test('at the limit: a final read of the records, the results and one retry of them all end before n8n\'s own timer resumes the execution', () => {
	const deadline = 1_000_000;
	const firstTryStarts = deadline + FINAL_READ_WITHIN_MS;
	const retryStarts = firstTryStarts + SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS;
	expect(retryStarts).toBeLessThanOrEqual(lastDeliveryStartMs(deadline));
	expect(lastDeliveryStartMs(deadline) + SWEEP_REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(deadline + RESUME_GRACE_MS);
	expect(RESUME_GRACE_MS).toBe(75_000);
});

test('the reader polls at most 15 times a minute, and a final read at the limit fits at least two polls', () => {
	expect(1 + 60_000 / POLL_EVERY_MS).toBeLessThanOrEqual(15);
	expect(FINAL_READ_WITHIN_MS).toBeGreaterThanOrEqual(2 * POLL_EVERY_MS);
});
