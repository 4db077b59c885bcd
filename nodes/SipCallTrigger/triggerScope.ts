/**
 * What one SIP Call Trigger keeps in this process between requests: one scope per workflow and
 * node, so nothing one workflow receives can come out of, or be stored by, another. The workflow's
 * static data (per node) is the scope's copy that survives a restart.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

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

export interface TriggerScope {
	batches: Map<string, Batch>;
	/** Batches done with (handed over, or given out), so a stale copy is not taken up again. */
	settled: Set<string>;
	/** CDRs no execution took, given out with this scope's next request. */
	undelivered: Undelivered[];
	/** Fingerprints of the last events, for Drop Duplicate Events; insertion order gives the oldest. */
	seenEvents: Set<string>;
	/** Set once the workflow is deactivated: its timers stop and nothing more is scheduled. */
	closed: boolean;
}

const scopes = new Map<string, TriggerScope>();
const REMEMBERED_SETTLED = 500;

function keyOf(context: IWebhookFunctions | IHookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}

export function triggerScopeOf(context: IWebhookFunctions | IHookFunctions): TriggerScope {
	const key = keyOf(context);
	let scope = scopes.get(key);
	if (!scope) {
		scope = { batches: new Map(), settled: new Set(), undelivered: [], seenEvents: new Set(), closed: false };
		scopes.set(key, scope);
	}
	return scope;
}

/** On deactivation (or deletion): the scope's timers stop and its memory goes; static data stays with the workflow. */
export function closeTriggerScope(context: IHookFunctions): void {
	const key = keyOf(context);
	const scope = scopes.get(key);
	if (!scope) return;
	scope.closed = true;
	for (const batch of scope.batches.values()) if (batch.timer) batch.timer.cancelled = true;
	scopes.delete(key);
}

export function rememberSettled({ settled }: TriggerScope, resumeUrl: string): void {
	if (settled.has(resumeUrl)) return;
	settled.add(resumeUrl);
	// A Set keeps insertion order: the oldest goes first.
	if (settled.size > REMEMBERED_SETTLED) settled.delete(settled.values().next().value as string);
}
