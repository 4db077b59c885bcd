/**
 * The items "Play Voice Menu and Wait for Result" puts out: one per row, the row's request and
 * dial answer merged with the outcome of its call. While the execution waits, each row is kept
 * already shaped as "timed out", because n8n resumes an execution whose time ran out by passing
 * those kept items on unchanged.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { normalizeCdr } from '../../shared/callbacks/normalizeCallback';
import { toZonedIso } from '../../shared/zonedTime';

export type ResultStatus = 'answered' | 'notAnswered' | 'timedOut' | 'notPlaced';

export interface WaitSettings {
	limitMinutes: number;
	timeoutAsError: boolean;
	timeZone: string;
	platformTimeZone: string;
}

/** The kept form of a row: `waitCallHash` marks rows that wait for a CDR. */
export function waitingRow(
	row: INodeExecutionData,
	callHash: string | undefined,
	deadlineMs: number,
	settings: WaitSettings,
): INodeExecutionData {
	if (callHash === undefined) return { ...row, json: { ...row.json, resultStatus: 'notPlaced', timedOut: false } };
	const minutes = settings.limitMinutes;
	return {
		...row,
		json: {
			...row.json,
			resultStatus: 'timedOut',
			timedOut: true,
			answered: null,
			keyPressed: null,
			waitedUntil: toZonedIso(deadlineMs, settings.timeZone),
			...(settings.timeoutAsError && row.json.error === undefined
				? { error: `No call record arrived within the wait limit of ${minutes} minute${minutes === 1 ? '' : 's'}.` }
				: {}),
			waitCallHash: callHash,
			waitDeadlineMs: deadlineMs,
		},
	};
}

const CDR_FIELDS_KEPT_FROM_REQUEST = ['customuuid', 'destnumber', 'disnumber', 'chengshudu', 'event'];

/**
 * The fields only the waiting execution uses. A row left timed out keeps `waitCallHash` (a hash of
 * its call secret, no key to anything): Call → Get Results finds the call's record by it later.
 */
const WAIT_FIELDS = ['waitCallHash', 'waitDeadlineMs'];

/** A copy of the row's fields without the given ones. */
function fieldsWithout(json: IDataObject, dropped: string[]): IDataObject {
	const copy = { ...json };
	for (const field of dropped) delete copy[field];
	return copy;
}

/** A kept row with the CDR of its call. */
export function completedRow(kept: INodeExecutionData, cdr: IDataObject, platformTimeZone: string): INodeExecutionData {
	const normalized = normalizeCdr(cdr, platformTimeZone);
	for (const field of CDR_FIELDS_KEPT_FROM_REQUEST) delete normalized[field];
	const request = fieldsWithout(kept.json, [...WAIT_FIELDS, 'waitedUntil', 'lookupProblem']);
	// A placed call's only error was the timeout; an uncertain dial keeps its error beside the CDR.
	if (request.accepted === true) delete request.error;
	return {
		...kept,
		json: {
			...request,
			...normalized,
			cdrId: normalized.id ?? null,
			callUuid: normalized.uuid ?? null,
			resultStatus: normalized.answered ? 'answered' : 'notAnswered',
			timedOut: false,
		},
	};
}

/**
 * A kept row whose call produced no CDR before the limit, as the user sees it. `lookupProblem`: why
 * the last look-up in the platform's records could not read them all (the record may exist).
 */
export function timedOutRow(kept: INodeExecutionData, lookupProblem?: string): INodeExecutionData {
	const shown = fieldsWithout(kept.json, ['waitDeadlineMs']);
	if (lookupProblem) shown.lookupProblem = `The platform's call records could not all be read at the wait limit (${lookupProblem}): use Call → Get Results for this row.`;
	return { ...kept, json: shown };
}
