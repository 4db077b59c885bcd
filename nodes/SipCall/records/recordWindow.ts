/** The dial-time window a pull reads: n8n dateTime values, by default the last 24 hours. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { parseZonedDateTime } from '../../shared/zonedTime';
import { SettingProblem, settingError } from '../../shared/settingProblem';

export const DEFAULT_WINDOW_HOURS = 24;
export const HOUR_MS = 3_600_000;

/**
 * Epoch ms of an n8n dateTime value: an ISO string (one without an offset is wall-clock time in
 * the workflow's zone, as the date picker means it), a Luxon DateTime or a Date. Empty: undefined.
 */
export function readDateTime(value: unknown, workflowTimeZone: string): number | undefined | null {
	if (value === undefined || value === null || value === '') return undefined;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
	if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') return (value as { toMillis(): number }).toMillis();
	const text = String(value).trim();
	const local = parseZonedDateTime(text.replace(/\.\d+$/, ''), workflowTimeZone);
	if (local !== undefined) return local;
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? null : parsed;
}

export function readRecordWindow(context: IExecuteFunctions, itemIndex: number, nowMs = Date.now()): { fromMs: number; toMs: number } {
	const zone = context.getTimezone();
	const read = (name: string) => {
		const value = readDateTime(context.getNodeParameter(name, itemIndex, ''), zone);
		if (value === null) {
			throw settingError(context.getNode(), new SettingProblem(`${name === 'startTime' ? 'Start' : 'End'} Time is not a date and time`, 'Pick a date and time, write one such as 2026-11-20T10:00:00, or leave it empty.'), itemIndex);
		}
		return value;
	};
	const toMs = read('endTime') ?? nowMs;
	const fromMs = read('startTime') ?? toMs - DEFAULT_WINDOW_HOURS * HOUR_MS;
	if (fromMs > toMs) {
		throw settingError(context.getNode(), new SettingProblem('Start Time is after End Time', 'Swap them, or leave Start Time empty for the 24 hours before End Time.'), itemIndex);
	}
	return { fromMs, toMs };
}
