/**
 * Remembers the identities of the last N events, twice over. An identity (callbackIdentity)
 * carries a fingerprint of the whole payload, so only an identical copy counts as a duplicate: a
 * look-alike with the same CDR id and any field different cannot make the real CDR be dropped.
 * - in this process's memory, checked and recorded in one step, so copies that arrive at the same
 *   moment at this n8n process are caught;
 * - in the workflow's static data, which n8n saves after each webhook request, so a copy that
 *   arrives after a restart, or at another webhook process, is caught too. Static data is not a
 *   lock: two requests that overlap each load it before either saves, and the later save wins.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import type { TriggerScope } from './triggerScope';

interface WindowState {
	seen?: string[];
}

const fingerprint = (identity: string) => createHash('sha256').update(identity).digest('base64url').slice(0, 22);

function rememberInMemory(window: Set<string>, key: string, windowSize: number): boolean {
	if (window.has(key)) return true;
	window.add(key);
	while (window.size > windowSize) window.delete(window.values().next().value as string);
	return false;
}

function rememberInStaticData(staticData: IDataObject, key: string, windowSize: number): boolean {
	const state = staticData as WindowState;
	const seen = Array.isArray(state.seen) ? [...state.seen] : [];
	if (seen.includes(key)) return true;
	seen.push(key);
	// Assigned anew, so n8n sees the change and saves it.
	state.seen = seen.slice(-windowSize);
	return false;
}

/** Records the identity in this process's window only (for what must not cost a static-data write). */
export function isDuplicateInMemory(scope: TriggerScope, identity: string, windowSize: number): boolean {
	return rememberInMemory(scope.seenEvents, fingerprint(identity), windowSize);
}

/** Records the identity in both windows and tells whether either had it already. */
export function isDuplicateEvent(
	scope: TriggerScope,
	staticData: IDataObject,
	identity: string,
	windowSize: number,
): boolean {
	const key = fingerprint(identity);
	const inMemory = rememberInMemory(scope.seenEvents, key, windowSize);
	const persisted = rememberInStaticData(staticData, key, windowSize);
	return inMemory || persisted;
}
