/**
 * When a platform call record is the record of one row's call. A customuuid alone is not enough: a
 * user's Custom Data (a CRM or row ID) can be shared by rows (one customer, two numbers) or reused
 * (the same ID called again later). A record belongs to a row only if its customuuid is the row's
 * reference, it went to the row's number, and it started at or after the row was dialed.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseZonedDateTime } from './zonedTime';

/**
 * The platform's switch and its API server may disagree a little about the time: a record may
 * start up to this long before the dial time the API answered with (`reqtime`).
 */
export const DIAL_CLOCK_MARGIN_MS = 60_000;

export interface DialedCall {
	/** The number the call went to, as sent; undefined when unknown (a row that does not carry it), then not checked. */
	destnumber?: string;
	/** When the row was dialed (epoch ms); undefined when unknown (a row from an older version), then not checked. */
	dialedAtMs?: number;
}

const digitsOf = (value: unknown) => String(value ?? '').trim();

/** Whether `record` (customuuid already matched) went to the row's number and started after it was dialed (each checked when known). */
export function isRecordOfCall(record: IDataObject, call: DialedCall, platformTimeZone: string): boolean {
	if (call.destnumber !== undefined && digitsOf(record.destnumber) !== digitsOf(call.destnumber)) return false;
	if (call.dialedAtMs === undefined) return true;
	const startedMs = parseZonedDateTime(String(record.starttime ?? ''), platformTimeZone);
	return startedMs !== undefined && startedMs >= call.dialedAtMs - DIAL_CLOCK_MARGIN_MS;
}

/** Of the records of one reference that pass `isRecordOfCall`, the first to start: later ones are later rows' calls. */
export function firstRecordOfCall(records: Iterable<IDataObject>, call: DialedCall, platformTimeZone: string): IDataObject | undefined {
	let first: { record: IDataObject; startedMs: number } | undefined;
	for (const record of records) {
		if (!isRecordOfCall(record, call, platformTimeZone)) continue;
		const startedMs = parseZonedDateTime(String(record.starttime ?? ''), platformTimeZone) ?? Infinity;
		if (!first || startedMs < first.startedMs || (startedMs === first.startedMs && Number(record.id) < Number(first.record.id))) first = { record, startedMs };
	}
	return first?.record;
}

/** A row's dial time from Play Voice Menu's output: the platform's `reqtime` (epoch seconds), if the row has it. */
export function dialedAtMsOf(json: IDataObject): number | undefined {
	const reqtime = Number(json.reqtime);
	return json.reqtime !== null && json.reqtime !== undefined && Number.isFinite(reqtime) && reqtime > 0 ? reqtime * 1000 : undefined;
}

/** Whether the callee answered: a real answer time (not empty, null or a zero date "0000-00-00 …"), or talk seconds. */
export function wasAnswered(record: IDataObject): boolean {
	const answertime = String(record.answertime ?? '').trim();
	return (answertime !== '' && !/^0{4}-0{2}-0{2}/.test(answertime)) || Number(record.billsec) > 0;
}
