/**
 * Every timing of a wait, in one place, each derived from the ones it depends on. The invariants
 * are tested in test/unit/waitTiming.test.ts. The account reader's own pace is in accountReader.ts.
 */

export const DEFAULT_WAIT_MINUTES = 10;
/** The longest Wait Limit the node accepts: 7 days. */
export const MAX_WAIT_LIMIT_MINUTES = 7 * 24 * 60;

/** How often the dialing process looks at its rows (records read, redials due, the limit). Local work only. */
export const TICK_MS = 1000;
/** While nothing else is sent, the dialing process asks this often whether its execution still waits (a stopped one ends the campaign). */
export const LIVENESS_CHECK_EVERY_MS = 60_000;
/** At the limit, the results wait this long at most for a read of the records that began after it. */
export const FINAL_READ_WITHIN_MS = 12_000;
/**
 * The dialing process gives up on one request to its waiting execution after this: room for n8n
 * loading the execution while it takes a campaign's callbacks (measured: a few seconds at 50 calls
 * per second), and for a large list's results.
 */
export const SWEEP_REQUEST_TIMEOUT_MS = 30_000;
/** After a request that failed, or that n8n answered itself (busy, 5xx): the first pause, doubling. */
export const RETRY_AFTER_MS = 3000;

/**
 * n8n's own timer resumes the execution this long after the limit, passing the rows on as timed
 * out. Until then the final read, the results and one retry of them all fit.
 */
export const RESUME_GRACE_MS = FINAL_READ_WITHIN_MS + SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS + SWEEP_REQUEST_TIMEOUT_MS;

/** The last moment the results may be sent: the request must end before n8n's own timer resumes the execution. */
export function lastDeliveryStartMs(deadlineMs: number): number {
	return deadlineMs + RESUME_GRACE_MS - SWEEP_REQUEST_TIMEOUT_MS;
}
