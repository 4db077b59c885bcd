/**
 * Every timing of a wait, in one place, each derived from the ones it depends on. The invariants
 * are tested in test/unit/waitTiming.test.ts.
 */

export const DEFAULT_WAIT_MINUTES = 10;
/** The longest Wait Limit the node accepts: 7 days. */
export const MAX_WAIT_LIMIT_MINUTES = 7 * 24 * 60;

/** A look-up of the platform's call records, counted from the start of the request it runs in. */
export const LOOKUP_BUDGET_MS = 8000;
/** The dialing process gives up on one request to its waiting execution after this: well after the look-up has ended. */
export const SWEEP_REQUEST_TIMEOUT_MS = LOOKUP_BUDGET_MS + 7000;
/** After a request that failed, or found the execution still busy dialing or resuming. */
export const RETRY_AFTER_MS = 3000;

/**
 * While rows wait, the dialing process asks its execution to look them up this often: every 5 s at
 * first (a campaign's calls end within minutes), then a sixth of the time waited so far, at most
 * every 5 minutes, so a wait of days costs a few hundred look-ups, not tens of thousands.
 */
export const SWEEP_EVERY_MS = { first: 5000, longest: 5 * 60_000 };

/**
 * n8n's own timer resumes the execution this long after the limit, passing the rows on as timed
 * out without a look-up. Until then the sweep at the limit, and one retry of it, can each run out
 * their time.
 */
export const RESUME_GRACE_MS = 2 * (SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS) + 9000;

/** When the next sweep goes: a sixth of the time waited so far (within the bounds), and at the limit at the latest. */
export function nextSweepAtMs(waitStartedMs: number, deadlineMs: number, nowMs: number): number {
	const every = Math.min(SWEEP_EVERY_MS.longest, Math.max(SWEEP_EVERY_MS.first, (nowMs - waitStartedMs) / 6));
	return nowMs < deadlineMs ? Math.min(deadlineMs, nowMs + every) : nowMs;
}

/** The last moment a sweep may start: it must end before n8n's own timer resumes the execution. */
export function lastSweepStartMs(deadlineMs: number): number {
	return deadlineMs + RESUME_GRACE_MS - SWEEP_REQUEST_TIMEOUT_MS;
}
