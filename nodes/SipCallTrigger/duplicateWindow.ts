/**
 * Remembers the identities of the last N events in the workflow's static data, which n8n saves
 * after each webhook request, so a redelivered event is recognised even after a restart. Static
 * data is not a lock: two copies that arrive at the same moment can both pass (see the README).
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

interface WindowState {
	seen?: string[];
}

const fingerprint = (identity: string) => createHash('sha256').update(identity).digest('base64url').slice(0, 22);

/** Records the identity and tells whether it was already in the window. */
export function isDuplicateEvent(staticData: IDataObject, identity: string, windowSize: number): boolean {
	const state = staticData as WindowState;
	const seen = Array.isArray(state.seen) ? state.seen : [];
	const key = fingerprint(identity);
	if (seen.includes(key)) return true;
	seen.push(key);
	if (seen.length > windowSize) seen.splice(0, seen.length - windowSize);
	state.seen = seen;
	return false;
}
