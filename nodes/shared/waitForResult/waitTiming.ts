/**
 * How long a wait lasts, for both sides of it: the waiting node and the triggers that hand its
 * results over. The give-up time of a hand-over follows from the batch's own limit, not a fixed span.
 */

/** The longest Wait Limit the node accepts: 7 days. */
export const MAX_WAIT_LIMIT_MINUTES = 7 * 24 * 60;
export const MAX_WAIT_LIMIT_MS = MAX_WAIT_LIMIT_MINUTES * 60_000;

/**
 * Past the limit, n8n itself resumes the execution; until then the trigger's hand-over at the
 * limit and, after it, the dialing process's own request (askAtLimit, 20 s after the limit), each
 * answered within 15 s, get to resume it with what the platform holds.
 */
export const RESUME_GRACE_MS = 45_000;

/**
 * When a trigger stops trying to reach a waiting execution and gives its CDRs out as items: once
 * n8n has resumed it by itself (its limit plus the grace). Before the execution has told its limit
 * (still dialing, or never reached), the longest limit it may have counts from the first CDR.
 */
export function giveUpAtMs(batch: { deadlineMs?: number; firstSeenMs: number }): number {
	return (batch.deadlineMs ?? batch.firstSeenMs + MAX_WAIT_LIMIT_MS) + RESUME_GRACE_MS;
}
