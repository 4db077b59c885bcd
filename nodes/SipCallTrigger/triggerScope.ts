/**
 * What one SIP Call Trigger keeps in this process between requests: one scope per workflow and
 * node, so nothing one workflow receives can come out of, or be stored by, another. The workflow's
 * static data (per node) is the scope's copy that survives a restart.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { closeHandOverScope, newHandOverScope, type HandOverScope } from '../shared/waitForResult/handOverScope';

/** The hand-over batches (shared with the SIP Call Record Trigger) and the duplicate window. */
export interface TriggerScope extends HandOverScope {
	/** Fingerprints of the last events, for Drop Duplicate Events; insertion order gives the oldest. */
	seenEvents: Set<string>;
}

const scopes = new Map<string, TriggerScope>();

function keyOf(context: IWebhookFunctions | IHookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}

export function triggerScopeOf(context: IWebhookFunctions | IHookFunctions): TriggerScope {
	const key = keyOf(context);
	let scope = scopes.get(key);
	if (!scope) {
		scope = { ...newHandOverScope(), seenEvents: new Set() };
		scopes.set(key, scope);
	}
	return scope;
}

/** On deactivation (or deletion): the scope's timers stop and its memory goes; static data stays with the workflow. */
export function closeTriggerScope(context: IHookFunctions): void {
	const key = keyOf(context);
	const scope = scopes.get(key);
	if (!scope) return;
	closeHandOverScope(scope);
	scopes.delete(key);
}
