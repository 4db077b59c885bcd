/**
 * The one message between the two sides of a wait, and what each answer means.
 *
 * The dialing process (it placed the calls, holds the sweep key and reads the platform's records)
 * sends its waiting execution, at n8n's resume URL plus RESULTS_PATH:
 * - `check`: "are you still waiting?" — asked before redials go out, so a stopped execution rings nobody;
 * - `results`: every row's calls and their records — the waiting node puts the rows out and resumes.
 * The waiting node answers with `protocol` set; an answer without it came from n8n itself (a 503
 * under load, a 409 while the execution is busy) or a proxy: the node did not run, nothing changed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IDataObject, IWebhookDescription } from 'n8n-workflow';

export const PROTOCOL = 'sip-call-wait/2';

/** The resume URL's last segment: a Wait node later in the same execution does not answer to it. */
export const RESULTS_PATH = 'sip-call-results';

/** The waiting node's webhook. Nothing is registered anywhere, so there is no lifecycle. */
export const waitForResultWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: RESULTS_PATH, restartWebhook: true, isFullPath: true },
];

/** One row's calls as the dialing process saw them: a record (or null) for each call placed, in order. */
export interface RowResult {
	records: Array<IDataObject | null>;
	/** Why the row was not called again although its last call was missed. */
	note?: string;
}

export type SweepMessage =
	| { protocol: typeof PROTOCOL; kind: 'check'; sweepKey: string }
	| {
			protocol: typeof PROTOCOL;
			kind: 'results';
			sweepKey: string;
			/** By row key (the row's first `waitCallHash`). Rows not here had no record read. */
			rows: Record<string, RowResult>;
			/** Why the platform's records could not be read lately, in words. */
			lookupProblem?: string;
	  };

export type NodeAnswer =
	| { protocol: typeof PROTOCOL; outcome: 'waiting' }
	| { protocol: typeof PROTOCOL; outcome: 'resumed'; found: number; timedOut: number }
	| { protocol: typeof PROTOCOL; outcome: 'refused' | 'notWaiting'; message: string };

export const HTTP_STATUS_OF: Record<NodeAnswer['outcome'], number> = { waiting: 202, resumed: 200, refused: 403, notWaiting: 409 };

/** What an HTTP answer to a message means for the dialing process. */
export type Reply =
	| NodeAnswer
	/** n8n or a proxy answered; the node did not run: ask again later. */
	| { outcome: 'notReached'; why: string }
	/** n8n says the execution has finished, failed or was stopped: nobody waits any more. */
	| { outcome: 'gone'; why: string };

export function readReply(status: number, body: IDataObject): Reply {
	if (body.protocol === PROTOCOL && typeof body.outcome === 'string' && body.outcome in HTTP_STATUS_OF) return body as unknown as NodeAnswer;
	const message = String(body.message ?? body.error ?? '');
	// n8n's own refusals of a waiting webhook: 404 no such execution; 409 running (busy: later) or finished, failed, stopped.
	if (status === 404 || (status === 409 && !/is running/i.test(message))) return { outcome: 'gone', why: `HTTP ${status} ${message}`.trim() };
	return { outcome: 'notReached', why: `HTTP ${status} ${message}`.trim() };
}

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** A key only the dialing process holds, and the hash the waiting rows keep to check it. */
export function newSweepKey(): { key: string; keyHash: string } {
	const key = randomBytes(32).toString('base64url');
	return { key, keyHash: hashOf(key) };
}

export function isSweepKey(key: unknown, keyHash: unknown): boolean {
	if (typeof key !== 'string' || typeof keyHash !== 'string') return false;
	const [given, kept] = [Buffer.from(hashOf(key)), Buffer.from(keyHash)];
	return given.length === kept.length && timingSafeEqual(given, kept);
}

/** A resume URL (or a text holding one) as it may be logged: n8n's resume token in `signature` left out. */
export function withoutResumeToken(text: string): string {
	return text.replace(/([?&]signature=)[^&#\s"']*/gi, '$1…');
}
