/**
 * Call Record → Get Summary's arithmetic: calls as the platform recorded them (normalized as
 * `normalizeCdr` makes them, or rows that already carry their record) counted into one plain,
 * chart-ready object. Pure: no request, no n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { hangupCauseName, hangupDirectionName } from '../../shared/platform/vendorCodes';

export const NO_KEY = 'none';
export const NOT_GIVEN = 'not given';

export interface CallCounts extends IDataObject {
	calls: number;
	answered: number;
	notAnswered: number;
	/** answered / calls, to three decimals; null when there were no calls. */
	answerRate: number | null;
	/** Answered calls by the key(s) pressed; "none": answered, no key. Sums to `answered`. */
	byKeyPressed: Record<string, number>;
	/** Every call by its hang-up cause in words; a code the vendor's table lacks keeps its number. */
	byHangupCause: Record<string, number>;
	/** Every call by which side hung up, in words (or the code). */
	byHangupDirection: Record<string, number>;
	/** Answered calls whose record names an extension (`extnumber`): put through to an agent. */
	transferredToAgent: number;
	/** Talk time (`billsec`) of the answered calls. */
	talkTimeSeconds: { total: number; average: number | null; median: number | null };
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function median(sorted: number[]): number | null {
	if (!sorted.length) return null;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : round((sorted[middle - 1] + sorted[middle]) / 2, 1);
}

function codeInWords(code: unknown, toName: (code: unknown) => string | null): string {
	if (code === undefined || code === null || String(code).trim() === '') return NOT_GIVEN;
	return toName(code) ?? String(code).trim();
}

function addTo(counts: Record<string, number>, key: string): void {
	counts[key] = (counts[key] ?? 0) + 1;
}

/** A record names an extension when `extnumber` holds one ("" and "0" name none). */
const namesExtension = (value: unknown) => value !== undefined && value !== null && !['', '0'].includes(String(value).trim());

/** Counts normalized records: `answered`, `keyPressed`, `talkSeconds`, `hangupcause`, `hangupdirection`, `extnumber`. */
export function countCalls(records: IDataObject[]): CallCounts {
	const byKeyPressed: Record<string, number> = {};
	const byHangupCause: Record<string, number> = {};
	const byHangupDirection: Record<string, number> = {};
	const talkTimes: number[] = [];
	let transferredToAgent = 0;
	for (const record of records) {
		addTo(byHangupCause, codeInWords(record.hangupcause, hangupCauseName));
		addTo(byHangupDirection, codeInWords(record.hangupdirection, hangupDirectionName));
		if (record.answered !== true) continue;
		const key = record.keyPressed === undefined || record.keyPressed === null || record.keyPressed === '' ? NO_KEY : String(record.keyPressed);
		addTo(byKeyPressed, key);
		const talkSeconds = Number(record.talkSeconds);
		talkTimes.push(Number.isFinite(talkSeconds) && talkSeconds > 0 ? talkSeconds : 0);
		if (namesExtension(record.extnumber)) transferredToAgent++;
	}
	const answered = talkTimes.length;
	const total = talkTimes.reduce((sum, seconds) => sum + seconds, 0);
	return {
		calls: records.length,
		answered,
		notAnswered: records.length - answered,
		answerRate: records.length ? round(answered / records.length, 3) : null,
		byKeyPressed,
		byHangupCause,
		byHangupDirection,
		transferredToAgent,
		talkTimeSeconds: {
			total,
			average: answered ? round(total / answered, 1) : null,
			median: median([...talkTimes].sort((a, b) => a - b)),
		},
	};
}
