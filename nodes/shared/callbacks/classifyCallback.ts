/** What a callback payload is, decided by its shape: the platform sends no event type field. */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

export const CALLBACK_EVENTS = ['extensionRinging', 'extensionAnswered', 'extensionHungUp', 'callEnded'] as const;
export type CallbackEvent = (typeof CALLBACK_EVENTS)[number] | 'unknown';

const EVENT_BY_STATUS: Record<string, CallbackEvent> = {
	ring: 'extensionRinging',
	answer: 'extensionAnswered',
	hangup: 'extensionHungUp',
};

const CDR_MARKERS = ['hangupcause', 'billsec', 'answertime', 'endtime', 'userkey'];

const present = (payload: IDataObject, field: string) => payload[field] !== undefined && payload[field] !== null;

export function classifyCallback(payload: IDataObject): CallbackEvent {
	const status = typeof payload.status === 'string' ? payload.status.trim().toLowerCase() : '';
	if (EVENT_BY_STATUS[status] && (present(payload, 'uuid') || present(payload, 'buuid'))) {
		return EVENT_BY_STATUS[status];
	}
	const markers = CDR_MARKERS.filter((field) => present(payload, field)).length;
	if (markers >= 2 && (present(payload, 'uuid') || present(payload, 'id'))) return 'callEnded';
	return 'unknown';
}

/**
 * The payload in a stable form: keys sorted at every level, so an identical copy whose fields
 * come in another order serializes the same; a number and the same number sent as text (JSON and
 * form bodies) count as the same value. Undefined fields are left out; null stays null.
 */
function stableForm(value: unknown): unknown {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.map(stableForm);
	if (typeof value === 'object') {
		const object = value as Record<string, unknown>;
		return Object.keys(object)
			.filter((key) => object[key] !== undefined)
			.sort()
			.map((key) => [key, stableForm(object[key])]);
	}
	return String(value);
}

/** A short digest of the whole payload in its stable form. */
export function payloadFingerprint(payload: IDataObject): string {
	return createHash('sha256').update(JSON.stringify(stableForm(payload))).digest('base64url').slice(0, 22);
}

/**
 * The identity of an event for duplicate suppression: what the event is (a CDR by its id or call
 * uuid, an extension status by call, B leg and status) and a fingerprint of the whole payload.
 * A duplicate is an identical copy: a look-alike with the same id but any field different (a
 * forged callback, say) is another event, so it cannot make the real one be dropped.
 * Undefined when the payload carries no identity.
 */
export function callbackIdentity(payload: IDataObject, event: CallbackEvent): string | undefined {
	const kind = callbackKind(payload, event);
	return kind === undefined ? undefined : `${kind}:${payloadFingerprint(payload)}`;
}

function callbackKind(payload: IDataObject, event: CallbackEvent): string | undefined {
	const field = (name: string) => (present(payload, name) ? String(payload[name]).trim() : '');
	if (event === 'callEnded') {
		if (field('id')) return `cdr:id:${field('id')}`;
		return field('uuid') ? `cdr:uuid:${field('uuid')}` : undefined;
	}
	if (event === 'unknown') return undefined;
	if (!field('uuid') && !field('buuid')) return undefined;
	return `status:${field('uuid')}:${field('buuid')}:${field('status').toLowerCase()}`;
}
