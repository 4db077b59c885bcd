/**
 * Makes a callback easy to use without a Code node: numbers as numbers, booleans as booleans,
 * times as ISO 8601 with offset in a chosen zone, and the fields a user wants at a glance.
 * Phone numbers and custom data stay strings (leading zeros matter); unknown fields pass through.
 */
import type { IDataObject } from 'n8n-workflow';

import { wasAnswered } from '../callRecordMatch';
import { hangupCauseName, hangupDirectionName } from '../platform/vendorCodes';
import { parseZonedDateTime, toZonedIso } from '../zonedTime';
import type { CallbackEvent } from './classifyCallback';

const STATUS_NUMBERS = ['companycode', 'method'];
const CDR_NUMBERS = ['id', 'hangupcause', 'duration', 'billsec', 'callmethod', 'companycode', 'hangupdirection', 'memberid', 'crmid'];
const CDR_TIMES = ['answertime', 'endtime', 'starttime'];

const STATUS_CALL_METHODS: Record<number, string> = {
	1: 'extension',
	2: 'manual',
	3: 'API',
	4: 'two-way call',
	5: 'predictive',
};

const CDR_CALL_METHODS: Record<number, string> = {
	0: 'any',
	1: 'extension to extension',
	2: 'manual dial',
	3: 'API',
	4: 'API two-way call',
	5: 'predictive',
	6: 'IVR / group call',
};

const DIRECTIONS: Record<string, string> = { callin: 'inbound', callout: 'outbound' };

function toNumber(value: unknown): unknown {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
	return value;
}

function toBoolean(value: unknown): unknown {
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (['true', '1', 'yes'].includes(text)) return true;
	if (['false', '0', 'no', ''].includes(text)) return false;
	return value;
}

function numbersIn(payload: IDataObject, fields: string[]): IDataObject {
	const result: IDataObject = {};
	for (const field of fields) if (payload[field] !== undefined) result[field] = toNumber(payload[field]) as IDataObject[string];
	return result;
}

export function normalizeCallback(payload: IDataObject, event: CallbackEvent, timeZone: string): IDataObject {
	if (event === 'callEnded') return normalizeCdr(payload, timeZone);
	if (event === 'unknown') return { event, ...payload };
	return normalizeExtensionStatus(payload, event, timeZone);
}

export function normalizeExtensionStatus(payload: IDataObject, event: CallbackEvent, timeZone: string): IDataObject {
	const numbers = numbersIn(payload, STATUS_NUMBERS);
	const startSeconds = toNumber(payload.starttime);
	return {
		event,
		...payload,
		...numbers,
		isbleg: toBoolean(payload.isbleg) as boolean,
		starttime: typeof startSeconds === 'number' ? toZonedIso(startSeconds * 1000, timeZone) : (payload.starttime ?? null),
		callMethod: STATUS_CALL_METHODS[numbers.method as number] ?? null,
		directionName: DIRECTIONS[String(payload.direction)] ?? null,
		// n8n's expressions refuse to read a property named "callee", so it is offered under a usable name.
		customerNumber: payload.callee ?? null,
	};
}

export function normalizeCdr(payload: IDataObject, timeZone: string): IDataObject {
	const times: IDataObject = {};
	for (const field of CDR_TIMES) {
		if (payload[field] === undefined) continue;
		const epochMs = parseZonedDateTime(String(payload[field] ?? ''), timeZone);
		times[field] = epochMs === undefined ? null : toZonedIso(epochMs, timeZone);
	}
	const numbers = numbersIn(payload, CDR_NUMBERS);
	const userkey = payload.userkey === undefined || payload.userkey === null ? '' : String(payload.userkey).trim();
	const talkSeconds = typeof numbers.billsec === 'number' ? numbers.billsec : 0;
	return {
		event: 'callEnded',
		...payload,
		...numbers,
		...times,
		// A zero date ("0000-00-00 00:00:00") is no answer time, as an empty one.
		answered: wasAnswered(payload),
		keyPressed: userkey || null,
		talkSeconds,
		callMethod: CDR_CALL_METHODS[numbers.callmethod as number] ?? null,
		directionName: DIRECTIONS[String(payload.type)] ?? null,
		hangupCauseName: hangupCauseName(payload.hangupcause),
		hangupDirectionName: hangupDirectionName(payload.hangupdirection),
	};
}
