/**
 * When a failed request may be sent again. A duplicate call rings a real person's phone, so only
 * a request the platform provably did not act on is retried: one that never reached it, or one it
 * explicitly refused because of load. A request that may have been acted on (a timeout, a reset,
 * a 5xx, an answer that is not JSON) is retried only when the user has said plainly that a second
 * call is acceptable.
 */
import { PlatformError } from '../../shared/platform/platformErrors';

export interface RetrySettings {
	/** Retries allowed after the first attempt. */
	maxRetries: number;
	/** `data.errors.code` values that mean "too many calls, slow down". */
	slowDownCodes: string[];
	/** The user accepts that a retry may place the same call twice. */
	retryWhenUnsure: boolean;
}

const BASE_WAIT_MS = 500;
const MAX_WAIT_MS = 8000;

export function isSlowDownRefusal(error: PlatformError, slowDownCodes: string[]): boolean {
	if (error.kind === 'httpStatus') return error.details.httpStatus === 429;
	return error.kind === 'refused' && error.details.code !== undefined && slowDownCodes.includes(String(error.details.code));
}

/** How long to wait before the next attempt, or undefined when the failure must not be retried. */
export function retryDelay(error: unknown, attempt: number, settings: RetrySettings): number | undefined {
	if (!(error instanceof PlatformError) || attempt > settings.maxRetries) return undefined;
	const backoff = Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** (attempt - 1));
	if (error.kind === 'unreachable') return backoff;
	if (isSlowDownRefusal(error, settings.slowDownCodes)) return backoff;
	if (error.mayHaveBeenPlaced && settings.retryWhenUnsure) return backoff;
	return undefined;
}
