/**
 * Redial Who Missed, inside "Play Voice Menu and Wait for Result": a row whose call was busy, not
 * answered or unreachable (by the vendor's hang-up causes) is called again after a pause, up to a
 * number of calls, while the execution waits; the row comes out once, with every call's outcome.
 *
 * Who decides what, so that no row is ever rung twice by accident:
 * - Each row gets the references of all its possible calls when the list is dialed (kept with the
 *   waiting execution). The platform's records of those references are the only source of outcomes.
 * - The dialing process alone (campaign.ts) decides and places redials: a row's next call goes out
 *   only when its latest call's record says it was missed, the pause is over, the Calling Window is
 *   open and the execution still waits. It counts the call before sending it, so a lost answer can
 *   leave a call unplaced, never placed twice.
 * If n8n restarts during the wait, nothing more is dialed (see campaign.ts).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parseZonedDateTime } from '../../shared/zonedTime';
import { newCallReference } from '../../shared/waitReference';
import { wasAnswered } from '../../shared/callRecordMatch';
import { hangupCauseName } from '../../shared/platform/vendorCodes';
import { SettingProblem, settingError } from '../../shared/settingProblem';

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
		throw settingError(context.getNode(), new SettingProblem(message, description));
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

/** Why a record counts as missed, by the outcomes Redial When picked; undefined for an answered call (a zero answer time is none) or another cause. */
export function missedOutcomeOf(record: IDataObject, on: MissedOutcome[]): MissedOutcome | undefined {
	if (wasAnswered(record)) return undefined;
	const cause = Number(record.hangupcause);
	return on.find((outcome) => MISSED_CAUSES[outcome].includes(cause));
}

export type RowState = { state: 'waiting' } | { state: 'due'; atMs: number } | { state: 'done'; note?: string };

/**
 * Where one row stands from the record of its latest call (`latest`, undefined while the platform
 * holds none). `calls`: calls placed; `stopped`: why its redials stopped (a refusal).
 */
export function rowState(
	latest: IDataObject | undefined,
	{ calls, stopped }: { calls: number; stopped?: string },
	{ settings, platformTimeZone, deadlineMs }: { settings?: RedialSettings; platformTimeZone: string; deadlineMs: number },
): RowState {
	if (!latest) return { state: 'waiting' };
	const missed = settings && missedOutcomeOf(latest, settings.on);
	if (!settings || !missed || calls >= settings.maxCalls) return { state: 'done' };
	if (stopped) return { state: 'done', note: stopped };
	const endedMs = parseZonedDateTime(String(latest.endtime ?? latest.starttime ?? ''), platformTimeZone) ?? Date.now();
	const atMs = endedMs + settings.minutesBetween * 60_000;
	if (atMs > deadlineMs - REDIAL_LAST_BEFORE_LIMIT_MS) return { state: 'done', note: 'The next call would not end before the Wait Limit, so it was not placed.' };
	return { state: 'due', atMs };
}

/** Each call's outcome, for the row that comes out: one entry per call placed (null: no record of it). */
export function callResultsOf(records: Array<IDataObject | null>, normalize: (record: IDataObject) => IDataObject): IDataObject[] {
	return records.map((record, index) => {
		if (!record) return { call: index + 1, resultStatus: 'noRecord' };
		const shown = normalize(record);
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
