/**
 * What one SIP Call Trigger keeps in this process between requests: one scope per workflow, node
 * and test listen, so nothing one workflow receives can come out of, or be stored by, another.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/** The duplicate window's in-memory half. */
export interface TriggerScope {
	/** Fingerprints of the last events, for Drop Duplicate Events; insertion order gives the oldest. */
	seenEvents: Set<string>;
}

const scopes = new Map<string, TriggerScope>();

/**
 * Per workflow, node and the address the trigger is reached at: a test listen in the editor
 * (/webhook-test/…) has a scope of its own beside the published workflow's (/webhook/…), so
 * ending it closes nothing of the published one's. (n8n runs every `delete` hook in "internal"
 * mode, so the mode cannot tell them apart; the webhook URL, which n8n builds from its test flag, can.)
 */
function keyOf(context: IWebhookFunctions | IHookFunctions): string {
	const node = context.getNode();
	return [context.getWorkflow().id ?? '', node.id ?? node.name, context.getNodeWebhookUrl('default') ?? ''].join('\u0000');
}

export function triggerScopeOf(context: IWebhookFunctions | IHookFunctions): TriggerScope {
	const key = keyOf(context);
	let scope = scopes.get(key);
	if (!scope) {
		scope = { seenEvents: new Set() };
		scopes.set(key, scope);
	}
	return scope;
}

/** On deactivation (or deletion): the scope's memory goes; static data stays with the workflow. */
export function closeTriggerScope(context: IHookFunctions): void {
	scopes.delete(keyOf(context));
}
