/**
 * What a node that hands CDRs to waiting executions keeps in its process between requests or
 * polls (one scope per workflow and node): the gathered batches, the settled ones, and the CDRs
 * no execution took. The workflow's static data (per node) holds the batches' copy.
 */
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
	timer?: { cancelled: boolean };
	sending?: boolean;
	sendAgain?: boolean;
}

export interface Undelivered {
	payload: IDataObject;
	executionId: string;
	reason: string;
}

export interface HandOverScope {
	batches: Map<string, Batch>;
	/** Batches done with (handed over, or given out), so a stale copy is not taken up again. */
	settled: Set<string>;
	/** CDRs no execution took, given out with the scope's next request or poll. */
	undelivered: Undelivered[];
	/** Set once the workflow is deactivated: its timers stop and nothing more is scheduled. */
	closed: boolean;
}

const REMEMBERED_SETTLED = 500;

export function newHandOverScope(): HandOverScope {
	return { batches: new Map(), settled: new Set(), undelivered: [], closed: false };
}

/** Stops the scope's timers; nothing more is scheduled. */
export function closeHandOverScope(scope: HandOverScope): void {
	scope.closed = true;
	for (const batch of scope.batches.values()) if (batch.timer) batch.timer.cancelled = true;
}

export function rememberSettled({ settled }: HandOverScope, resumeUrl: string): void {
	if (settled.has(resumeUrl)) return;
	settled.add(resumeUrl);
	// A Set keeps insertion order: the oldest goes first.
	if (settled.size > REMEMBERED_SETTLED) settled.delete(settled.values().next().value as string);
}
