/** What a callback payload is, decided by its shape: the platform sends no event type field. */
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
 * The identity of an event for duplicate suppression: a CDR by its id (or call uuid), an
 * extension status by call, B leg and status. Undefined when the payload carries no identity.
 */
export function callbackIdentity(payload: IDataObject, event: CallbackEvent): string | undefined {
	const field = (name: string) => (present(payload, name) ? String(payload[name]).trim() : '');
	if (event === 'callEnded') {
		if (field('id')) return `cdr:id:${field('id')}`;
		return field('uuid') ? `cdr:uuid:${field('uuid')}` : undefined;
	}
	if (event === 'unknown') return undefined;
	if (!field('uuid') && !field('buuid')) return undefined;
	return `status:${field('uuid')}:${field('buuid')}:${field('status').toLowerCase()}`;
}
