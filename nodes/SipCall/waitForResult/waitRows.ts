/**
 * The rows "Play Voice Menu and Wait for Result" keeps and puts out: one per input row, its request
 * and dial answer merged with the outcome of its call. While the execution waits, each row is kept
 * already shaped as "timed out", because n8n resumes an execution whose time ran out by passing
 * those kept rows on unchanged. Also the node's wait settings.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { SettingProblem, settingError, settingOrThrow } from '../../shared/settingProblem';
import { normalizeCdr } from '../../shared/callbacks/normalizeCallback';
import { toZonedIso } from '../../shared/zonedTime';
import { forErrorOutput, usesErrorOutput } from '../errorOutput';
import { DEFAULT_WAIT_MINUTES, MAX_WAIT_LIMIT_MINUTES } from './waitTiming';

export type ResultStatus = 'answered' | 'notAnswered' | 'timedOut' | 'notPlaced';

export interface WaitSettings {
	limitMinutes: number;
	timeoutAsError: boolean;
	/** On Error → Continue (using error output): failed rows leave in the form n8n moves there (errorOutput.ts). */
	errorOutput: boolean;
	timeZone: string;
	platformTimeZone: string;
	/** Where the dialing process reaches n8n's waiting executions; empty: n8n's own resume URL. */
	resumeUrlBase: string;
}

export function readWaitSettings(context: IExecuteFunctions): WaitSettings {
	const limitMinutes = Number(context.getNodeParameter('waitLimit', 0, DEFAULT_WAIT_MINUTES));
	if (!Number.isFinite(limitMinutes) || limitMinutes <= 0 || limitMinutes > MAX_WAIT_LIMIT_MINUTES) {
		throw settingError(
			context.getNode(),
			new SettingProblem(
				`Wait Limit must be a number of minutes above 0 and at most ${MAX_WAIT_LIMIT_MINUTES} (7 days), not "${limitMinutes}"`,
				`Give how long to wait for the results, for example ${DEFAULT_WAIT_MINUTES}.`,
			),
		);
	}
	const options = context.getNodeParameter('waitOptions', 0, {}) as IDataObject;
	const platformTimeZone = settingOrThrow(context.getNode(), readPlatformTimeZone(options.platformTimeZone));
	const resumeUrlBase = String(options.resumeUrlBase ?? '').trim();
	const baseProblem = resumeUrlBaseProblem(resumeUrlBase);
	if (baseProblem) throw settingError(context.getNode(), baseProblem);
	return {
		limitMinutes,
		timeoutAsError: options.onTimeout === 'errorItem',
		errorOutput: usesErrorOutput(context),
		timeZone: context.getTimezone(),
		platformTimeZone,
		resumeUrlBase,
	};
}

/** Empty (n8n's own address is used), or an absolute http(s) URL; otherwise what is wrong and the fix. */
export function resumeUrlBaseProblem(value: string): SettingProblem | undefined {
	if (!value) return undefined;
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname && !url.search && !url.hash) return undefined;
	return new SettingProblem(
		`Resume URL Base "${value}" must be an absolute http(s) URL such as http://localhost:5678/webhook-waiting ` +
			"(scheme and host included, no query), or empty to use n8n's own address",
		'Set Wait Options → Resume URL Base to such a URL, or clear it.',
	);
}

/** What every waiting row keeps about the wait itself (hashes and times, no key to anything). */
export interface WaitFacts {
	deadlineMs: number;
	/** When dialing began: every call of the list was placed after it. */
	dialedFromMs: number;
	/** The hash of the key only the dialing process holds (see waitProtocol.ts). */
	sweepKeyHash: string;
}

/**
 * The kept form of a row: `waitCallHash` marks rows that wait for a call record. A row not waited
 * for leaves as it is kept (on the error output, if it failed and the node has one); a waiting row
 * stays flat, and `waitErrorOutput` tells timedOutRow to send it there if it times out with an error.
 */
export function waitingRow(
	row: INodeExecutionData,
	callHash: string | undefined,
	facts: WaitFacts,
	settings: WaitSettings,
	/** Redial Who Missed: the references of the row's later calls. */
	redialReferences?: string[],
): INodeExecutionData {
	if (callHash === undefined) {
		const notPlaced = { ...row, json: { ...row.json, resultStatus: 'notPlaced', timedOut: false } };
		return settings.errorOutput ? forErrorOutput(notPlaced) : notPlaced;
	}
	const minutes = settings.limitMinutes;
	return {
		...row,
		json: {
			...row.json,
			resultStatus: 'timedOut',
			timedOut: true,
			answered: null,
			keyPressed: null,
			waitedUntil: toZonedIso(facts.deadlineMs, settings.timeZone),
			...(settings.timeoutAsError && row.json.error === undefined
				? { error: `No call record arrived within the wait limit of ${minutes} minute${minutes === 1 ? '' : 's'}.` }
				: {}),
			waitCallHash: callHash,
			waitDeadlineMs: facts.deadlineMs,
			waitDialedFromMs: facts.dialedFromMs,
			waitSweepKeyHash: facts.sweepKeyHash,
			...(redialReferences ? { waitRedialReferences: redialReferences } : {}),
			...(settings.errorOutput ? { waitErrorOutput: true } : {}),
		},
	};
}

const CDR_FIELDS_KEPT_FROM_REQUEST = ['customuuid', 'destnumber', 'disnumber', 'chengshudu', 'event'];

/**
 * The fields only the waiting execution uses. A row left timed out keeps `waitCallHash` (a hash of
 * its call secret, no key to anything): Call → Get Results finds the call's record by it later.
 */
const WAIT_FIELDS = ['waitDeadlineMs', 'waitDialedFromMs', 'waitSweepKeyHash', 'waitRedialReferences', 'waitErrorOutput'];

function fieldsWithout(json: IDataObject, dropped: string[]): IDataObject {
	const copy = { ...json };
	for (const field of dropped) delete copy[field];
	return copy;
}

/** A kept row with the record of its call. */
export function completedRow(kept: INodeExecutionData, cdr: IDataObject, platformTimeZone: string): INodeExecutionData {
	const normalized = normalizeCdr(cdr, platformTimeZone);
	for (const field of CDR_FIELDS_KEPT_FROM_REQUEST) delete normalized[field];
	const request = fieldsWithout(kept.json, [...WAIT_FIELDS, 'waitCallHash', 'waitedUntil', 'lookupProblem']);
	// A placed call's only error was the timeout; an uncertain dial keeps its error beside the record.
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
 * A kept row whose call has no record at the limit, as the user sees it. `lookupProblem`: why the
 * last look-up in the platform's records could not read them all (the record may exist). The
 * waiting node sends it to the error output when it has one (waitingNode.ts).
 */
export function timedOutRow(kept: INodeExecutionData, lookupProblem?: string): INodeExecutionData {
	const shown = fieldsWithout(kept.json, WAIT_FIELDS);
	if (lookupProblem) shown.lookupProblem = `The platform's call records could not all be read at the wait limit (${lookupProblem}): use Call → Get Results for this row.`;
	return { ...kept, json: shown };
}
