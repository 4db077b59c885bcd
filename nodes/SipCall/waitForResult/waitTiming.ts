/**
 * Every timing of a wait, in one place, each derived from the ones it depends on. The invariants
 * are tested in test/unit/waitTiming.test.ts.
 */

export const DEFAULT_WAIT_MINUTES = 10;
/** The longest Wait Limit the node accepts: 7 days. */
export const MAX_WAIT_LIMIT_MINUTES = 7 * 24 * 60;

/** A look-up of the platform's call records, counted from the start of the request it runs in. */
export const LOOKUP_BUDGET_MS = 8000;
/** A sweep is answered by then, whatever the platform does (a login, a page that hangs): the look-up is cut off there. */
export const LOOKUP_ANSWERED_WITHIN_MS = LOOKUP_BUDGET_MS + 2000;
/**
 * The dialing process gives up on one request to its waiting execution after this: well after the
 * look-up has been answered, with room for n8n loading the execution while it takes a campaign's
 * callbacks (measured: a few seconds at 50 calls per second).
 */
export const SWEEP_REQUEST_TIMEOUT_MS = LOOKUP_ANSWERED_WITHIN_MS + 20_000;
/** Redials placed in one sweep take at most about this long at the node's pace, well within the sweep's time. */
export const REDIAL_SECONDS_PER_SWEEP = 15;
/** After a request that failed, or found the execution still busy dialing or resuming. */
export const RETRY_AFTER_MS = 3000;

/**
 * While rows wait, the dialing process asks its execution to look them up every sixth of the time
 * waited so far: every 5 s at first (a campaign's calls end within minutes), at most every 30 s in
 * the first hour (a call talked through with an agent still gets its result within half a
 * minute), then every 5 minutes, so a wait of days costs a few thousand look-ups, not a hundred thousand.
 */
export const SWEEP_EVERY_MS = { first: 5000, firstHour: 30_000, later: 5 * 60_000 };

/**
 * n8n's own timer resumes the execution this long after the limit, passing the rows on as timed
 * out without a look-up. Until then the sweep at the limit, and one retry of it, can each run out
 * their time.
 */
export const RESUME_GRACE_MS = 2 * (SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS) + 9000;

/** When the next sweep goes: a sixth of the time waited so far (within the bounds), and at the limit at the latest. */
export function nextSweepAtMs(waitStartedMs: number, deadlineMs: number, nowMs: number): number {
	const waitedMs = nowMs - waitStartedMs;
	const longest = waitedMs < 3_600_000 ? SWEEP_EVERY_MS.firstHour : SWEEP_EVERY_MS.later;
	const every = Math.min(longest, Math.max(SWEEP_EVERY_MS.first, waitedMs / 6));
	return nowMs < deadlineMs ? Math.min(deadlineMs, nowMs + every) : nowMs;
}

/** The last moment a sweep may start: it must end before n8n's own timer resumes the execution. */
export function lastSweepStartMs(deadlineMs: number): number {
	return deadlineMs + RESUME_GRACE_MS - SWEEP_REQUEST_TIMEOUT_MS;
}
