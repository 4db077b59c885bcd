/**
 * What a node that hands CDRs to waiting executions keeps in its process between requests or
 * polls (one scope per workflow and node): the gathered batches, the settled ones, and the CDRs
 * no execution took. The workflow's static data (per node) holds the batches' copy.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** One waiting execution, as addressed by the CDRs' references (execution id and resume token). */
export interface Batch {
	executionId: string;
	resumeUrl: string;
	/** Gathered CDRs, by call secret and CDR identity (a call may, rarely, have two). */
	cdrs: Map<string, IDataObject>;
	/** The wait limit and the number of calls, once the execution has told them. */
	deadlineMs?: number;
	total?: number;
	firstSeenMs: number;
	/** When the execution first answered that it waits (it may have been dialing before). */
	waitingSinceMs?: number;
	timer?: { cancelled: boolean };
	/** When it is to be sent again (by its timer, or by the first poll from then on). */
	sendAtMs?: number;
	sending?: boolean;
	sendAgain?: boolean;
	/** Sends in a row that did not reach n8n at all (for the warning in the log). */
	failures?: number;
}

export interface Undelivered {
	payload: IDataObject;
	executionId: string;
	reason: string;
}

export interface HandOverScope {
	batches: Map<string, Batch>;
	/** Batches whose execution resumed, by `settledKey`, so a stale copy of the batch is not taken up again. */
	settled: Set<string>;
	/**
	 * The records each settled execution went on with (in this process's memory only): a later
	 * copy of one of them (a callback retried) is not given out a second time.
	 */
	taken: Map<string, Set<string>>;
	/** CDRs no execution took, given out with the scope's next request or poll. */
	undelivered: Undelivered[];
	/** Set once the workflow is deactivated: its timers stop and nothing more is scheduled. */
	closed: boolean;
	/**
	 * False for a poller: n8n tells a polling node nothing when its workflow is deactivated, so it
	 * keeps no timer that could outlive it, and sends only during its polls.
	 */
	timers: boolean;
	/** Where a hand-over that keeps failing is reported (n8n's log of the node that hands over). */
	warn?: (message: string) => void;
}

const REMEMBERED_SETTLED = 500;

export function newHandOverScope({ timers = true }: { timers?: boolean } = {}): HandOverScope {
	return { batches: new Map(), settled: new Set(), taken: new Map(), undelivered: [], closed: false, timers };
}

/** Stops the scope's timers; nothing more is scheduled. */
export function closeHandOverScope(scope: HandOverScope): void {
	scope.closed = true;
	for (const batch of scope.batches.values()) if (batch.timer) batch.timer.cancelled = true;
}

/** A settled batch is remembered by a short hash of its resume URL: small, and no resume token in it. */
export function settledKey(resumeUrl: string): string {
	return createHash('sha256').update(resumeUrl).digest('base64url').slice(0, 16);
}

export function isSettled({ settled }: HandOverScope, resumeUrl: string): boolean {
	return settled.has(settledKey(resumeUrl));
}

/** Whether the execution at this resume URL already went on with this record. */
export function alreadyTaken({ taken }: HandOverScope, resumeUrl: string, identity: string): boolean {
	return taken.get(settledKey(resumeUrl))?.has(identity) ?? false;
}

/** Kept for the most recent batches, up to this many records in all. */
const REMEMBERED_TAKEN = 100_000;

export function rememberTaken({ taken }: HandOverScope, key: string, identities: string[]): void {
	taken.set(key, new Set(identities));
	let total = 0;
	for (const set of taken.values()) total += set.size;
	for (const [oldest, set] of taken) {
		if (total <= REMEMBERED_TAKEN || oldest === key) break;
		taken.delete(oldest);
		total -= set.size;
	}
}

export function rememberSettled({ settled, taken }: HandOverScope, key: string): void {
	if (settled.has(key)) return;
	settled.add(key);
	// A Set keeps insertion order: the oldest goes first.
	if (settled.size > REMEMBERED_SETTLED) {
		const oldest = settled.values().next().value as string;
		settled.delete(oldest);
		taken.delete(oldest);
	}
}
