/**
 * Redial Who Missed, inside "Play Voice Menu and Wait for Result": a row whose call was busy, not
 * answered or unreachable (by the vendor's hang-up causes) is called again after a pause, up to a
 * number of calls, while the execution waits; the row comes out once, with every call's outcome.
 *
 * Who decides what, so that no row is ever rung twice by accident:
 * - Each row gets the references of all its possible calls when the list is dialed (kept with the
 *   waiting execution). The platform's records of those references are the only source of outcomes.
 * - The waiting node (stateless: n8n keeps nothing between sweeps) says which rows are due.
 * - The dialing process, which holds the sweep key, keeps how many calls each row has had and asks
 *   the waiting node to place the due ones, each (row, call) once. It counts a call as placed before
 *   it asks, so an answer lost on the way can only leave a call unplaced, never placed twice.
 * If n8n restarts during the wait, the sweeps stop and nothing more is dialed (see waitingExecution.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseZonedDateTime } from '../../shared/zonedTime';
import { callHashIn, newCallReference } from '../../shared/waitReference';
import { hangupCauseName } from '../../shared/platform/vendorCodes';
import { PlatformError } from '../../shared/platform/platformErrors';
import { CREDENTIAL_TYPE } from '../../shared/platform/sendToPlatform';
import { CallPacer } from '../dialing/callPacer';
import { batchSettingsFrom } from '../dialing/paceSettings';
import { placeVoiceMenuCall } from '../dialing/placeVoiceMenuCall';
import type { VoiceMenuRequest } from '../dialing/readVoiceMenuRequest';

export type MissedOutcome = 'busy' | 'noAnswer' | 'unreachable';

/** The vendor's hang-up causes (vendor-api.md) of a call nobody answered, by why. */
export const MISSED_CAUSES: Record<MissedOutcome, number[]> = {
	busy: [10006, 10003],
	noAnswer: [10005, 10016, 10011],
	unreachable: [10009, 10004, 10015],
};

export interface RedialSettings {
	on: MissedOutcome[];
	/** Calls per row in all, the first included. */
	maxCalls: number;
	minutesBetween: number;
}

export const REDIAL_DEFAULTS = { maxCalls: 3, minutesBetween: 10 };
/** A redial is not placed if its call could not end before the wait limit: a call rings and talks for some minutes. */
export const REDIAL_LAST_BEFORE_LIMIT_MS = 3 * 60_000;

/** The option as kept in the node, without checks (a waiting node reads what was checked when the list was dialed). */
export function redialSettingsFrom(raw: unknown): RedialSettings | undefined {
	const settings = raw && typeof raw === 'object' ? (raw as IDataObject) : undefined;
	if (!settings) return undefined;
	return {
		on: (Array.isArray(settings.on) ? settings.on : []).map(String).filter((value): value is MissedOutcome => Object.hasOwn(MISSED_CAUSES, value)),
		maxCalls: Number(settings.maxCalls ?? REDIAL_DEFAULTS.maxCalls),
		minutesBetween: Number(settings.minutesBetween ?? REDIAL_DEFAULTS.minutesBetween),
	};
}

/** The option, from the node's Wait Options (read in either context: dialing, or the waiting node's webhook). */
export function redialOptionIn(waitOptions: unknown): unknown {
	const redial = waitOptions && typeof waitOptions === 'object' ? (waitOptions as IDataObject).redial : undefined;
	return redial && typeof redial === 'object' ? (redial as IDataObject).settings : undefined;
}

/** The option, checked, for the list about to be dialed; undefined when it is not set. */
export function readRedialSettings(context: IExecuteFunctions, limitMinutes: number): RedialSettings | undefined {
	const settings = redialSettingsFrom(redialOptionIn(context.getNodeParameter('waitOptions', 0, {})));
	if (!settings) return undefined;
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(context.getNode(), message, { description });
	};
	const { on, maxCalls, minutesBetween } = settings;
	if (!on.length) fail('Redial Who Missed → Redial When is empty', 'Pick at least one of Busy, No Answer, Unreachable, or remove the Redial Who Missed option.');
	if (!Number.isInteger(maxCalls) || maxCalls < 2 || maxCalls > 10) {
		fail(`Redial Who Missed → Calls per Row must be a whole number from 2 to 10, not "${maxCalls}"`, 'It counts the first call: 3 means the first call and up to two redials.');
	}
	if (!Number.isFinite(minutesBetween) || minutesBetween < 0.1) {
		fail(`Redial Who Missed → Minutes Between Calls must be at least 0.1, not "${minutesBetween}"`, 'Give the pause after a missed call ends before the row is called again, for example 10.');
	}
	const needed = (maxCalls - 1) * minutesBetween + REDIAL_LAST_BEFORE_LIMIT_MS / 60_000;
	if (limitMinutes < needed) {
		fail(
			`Wait Limit (${limitMinutes} minutes) is too short for ${maxCalls} calls per row ${minutesBetween} minutes apart`,
			`Set Wait Limit to at least ${needed} minutes ((calls per row − 1) × minutes between calls, plus ${REDIAL_LAST_BEFORE_LIMIT_MS / 60_000} for the last call), or call fewer times, closer together.`,
		);
	}
	return settings;
}

/** The references of a row's later calls, made when the list is dialed and kept with the waiting row. */
export function redialReferencesFor(settings: RedialSettings): string[] {
	return Array.from({ length: settings.maxCalls - 1 }, () => newCallReference().customuuid);
}

/** The call hashes of a row's calls placed so far, in order (the first call's is `waitCallHash`). */
export function callHashesOf(row: INodeExecutionData, callsPlaced: number): string[] {
	const later = (Array.isArray(row.json.waitRedialReferences) ? row.json.waitRedialReferences : []).map((reference) => callHashIn(reference));
	return [String(row.json.waitCallHash), ...later].slice(0, callsPlaced).filter((hash): hash is string => typeof hash === 'string');
}

/** Why a record counts as missed, by the outcomes Redial When picked; undefined for an answered call or another cause. */
export function missedOutcomeOf(record: IDataObject, on: MissedOutcome[]): MissedOutcome | undefined {
	if (record.answertime || Number(record.billsec) > 0) return undefined;
	const cause = Number(record.hangupcause);
	return on.find((outcome) => MISSED_CAUSES[outcome].includes(cause));
}

/** What the dialing process tells each sweep about a row: calls placed (or that may have been), and why redialing stopped. */
export interface RowCalls {
	placed: number;
	stopped?: string;
}

export type RowState =
	| { state: 'waiting' }
	| { state: 'due'; atMs: number }
	| { state: 'done'; record: IDataObject; note?: string };

/** Where one row stands, from its calls' records. */
export function rowState(
	row: INodeExecutionData,
	calls: RowCalls,
	records: Map<string, IDataObject>,
	{ settings, platformTimeZone, deadlineMs }: { settings?: RedialSettings; platformTimeZone: string; deadlineMs: number },
): RowState {
	const hashes = callHashesOf(row, calls.placed);
	const record = records.get(hashes[hashes.length - 1]);
	if (!record) return { state: 'waiting' };
	const missed = settings && missedOutcomeOf(record, settings.on);
	if (!settings || !missed || calls.placed >= settings.maxCalls) return { state: 'done', record };
	if (calls.stopped) return { state: 'done', record, note: calls.stopped };
	const endedMs = parseZonedDateTime(String(record.endtime ?? record.starttime ?? ''), platformTimeZone) ?? Date.now();
	const atMs = endedMs + settings.minutesBetween * 60_000;
	if (atMs > deadlineMs - REDIAL_LAST_BEFORE_LIMIT_MS) return { state: 'done', record, note: 'The next call would not end before the Wait Limit, so it was not placed.' };
	return { state: 'due', atMs };
}

/** Each call's outcome, for the row that comes out: one entry per call placed. */
export function callResultsOf(row: INodeExecutionData, calls: RowCalls, records: Map<string, IDataObject>, timeZoneOf: (record: IDataObject) => IDataObject): IDataObject[] {
	return callHashesOf(row, calls.placed).map((hash, index) => {
		const record = records.get(hash);
		if (!record) return { call: index + 1, resultStatus: 'noRecord' };
		const shown = timeZoneOf(record);
		return {
			call: index + 1,
			resultStatus: shown.answered ? 'answered' : 'notAnswered',
			hangupCause: record.hangupcause ?? null,
			hangupCauseName: hangupCauseName(record.hangupcause),
			starttime: shown.starttime ?? null,
			endtime: shown.endtime ?? null,
			keyPressed: shown.keyPressed ?? null,
		};
	});
}

/** The request a row's first call went out with, rebuilt from the kept row, with another call's reference. */
function requestOf(row: INodeExecutionData, customuuid: string): VoiceMenuRequest {
	const json = row.json;
	const request: VoiceMenuRequest = {
		destnumber: String(json.destnumber),
		voicetype: String(json.voicetype) === '2' ? '2' : '1',
		voicefile: String(json.voicefile),
		chengshudu: String(json.chengshudu),
		userid: String(json.userid),
		customuuid,
	};
	if (typeof json.disnumber === 'string' && json.disnumber) request.disnumber = json.disnumber;
	return request;
}

/** What placing one redial came to: placed (or may have been: it counts), or refused by the platform (it did not go out). */
export type RedialOutcome = { placed: true } | { placed: false; refused: string };

/**
 * Places the calls the dialing process asked for, at the node's pace: each row's next call, with
 * its kept reference. A row that is not waiting, or has no call left, is not dialed.
 */
export async function placeRedials(
	context: IWebhookFunctions,
	kept: INodeExecutionData[],
	asked: Array<{ rowKey: string; call: number }>,
	settings: RedialSettings,
): Promise<Record<string, RedialOutcome>> {
	const byKey = new Map(kept.filter((row) => typeof row.json.waitCallHash === 'string').map((row) => [String(row.json.waitCallHash), row]));
	const pace = batchSettingsFrom(context.getNodeParameter('options', {}) as IDataObject);
	const pacer = new CallPacer(pace.callsPerSecond);
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const outcomes: Record<string, RedialOutcome> = {};
	const placeNext = async (rowKey: string, call: number) => {
		const row = byKey.get(rowKey);
		const references = Array.isArray(row?.json.waitRedialReferences) ? (row.json.waitRedialReferences as string[]) : [];
		const reference = references[call - 2];
		if (!row || call < 2 || call > settings.maxCalls || !reference) {
			outcomes[rowKey] = { placed: false, refused: 'This row has no call left to place.' };
			return;
		}
		const release = await pacer.acquire();
		try {
			await placeVoiceMenuCall(context, credentials, requestOf(row, reference), { timeoutMs: pace.timeoutMs });
			outcomes[rowKey] = { placed: true };
		} catch (error) {
			const mayHaveBeenPlaced = !(error instanceof PlatformError) || error.mayHaveBeenPlaced;
			outcomes[rowKey] = mayHaveBeenPlaced ? { placed: true } : { placed: false, refused: `Call ${call} was refused by the platform: ${(error as Error).message}` };
		} finally {
			release?.();
		}
	};
	// As many requests in flight as Max Requests in Flight allows, as when the list was dialed.
	let next = 0;
	const worker = async () => {
		while (next < asked.length) {
			const { rowKey, call } = asked[next++];
			await placeNext(rowKey, call);
		}
	};
	await Promise.all(Array.from({ length: Math.min(pace.maxInFlight, asked.length) }, async () => await worker()));
	return outcomes;
}
