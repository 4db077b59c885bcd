/**
 * The Calling Window: the weekdays and hours, in a time zone, in which a call may be started. Pure
 * functions: the clock is always an argument, so the node reads it where the decision is made.
 */
import { SettingProblem } from '../../shared/settingProblem';
import { epochOfWallClock, isTimeZone, wallClockParts } from '../../shared/zonedTime';

/** In the order of `Date.getUTCDay()`. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const CALLING_WINDOW_DEFAULTS = {
	days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as Weekday[],
	hours: '09:00-20:00',
	/** Empty: the platform's time zone (where the callees are), never n8n's. */
	timeZone: '',
};

/** Minutes after local midnight: from included, to excluded. */
export interface HourRange {
	fromMinute: number;
	toMinute: number;
}

export interface CallingWindow {
	/** Day numbers as `Date.getUTCDay()` gives them (0 = Sunday). */
	days: Set<number>;
	ranges: HourRange[];
	timeZone: string;
}

const MINUTES_A_DAY = 24 * 60;
const MINUTE_MS = 60_000;
const HOURS_FIX = 'Write 24-hour ranges separated by commas, such as 09:00-12:00, 14:00-20:00.';
const RANGE = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

/** "09:00-12:00, 14:00-20:00" as ranges, sorted by start; a range must end after it starts, on the same day. */
export function parseHours(text: string): HourRange[] | SettingProblem {
	const parts = text.split(',').map((part) => part.trim());
	if (!text.trim() || parts.some((part) => !part)) return new SettingProblem(`Calling Window → Hours "${text}" holds no time range`, HOURS_FIX);
	const ranges: HourRange[] = [];
	for (const part of parts) {
		const match = RANGE.exec(part);
		const [fromHour, fromMin, toHour, toMin] = (match?.slice(1) ?? []).map(Number);
		const valid = match && fromHour <= 23 && fromMin <= 59 && toMin <= 59 && (toHour <= 23 || (toHour === 24 && toMin === 0));
		if (!valid) return new SettingProblem(`Calling Window → Hours has "${part}", which is not a time range`, HOURS_FIX);
		const range = { fromMinute: fromHour * 60 + fromMin, toMinute: toHour * 60 + toMin };
		if (range.toMinute < range.fromMinute) {
			return new SettingProblem(
				`Calling Window → Hours has "${part}", which runs past midnight`,
				`A range ends on the day it starts: write it as two, 00:00-${part.split('-')[1].trim()}, ${part.split('-')[0].trim()}-24:00 (each day's hours belong to that day in Days).`,
			);
		}
		if (range.toMinute === range.fromMinute) return new SettingProblem(`Calling Window → Hours has "${part}", which is empty`, HOURS_FIX);
		ranges.push(range);
	}
	return ranges.sort((a, b) => a.fromMinute - b.fromMinute);
}

/** The option as the user set it; `platformTimeZone` stands in for an empty Time Zone. */
export function readCallingWindow(
	option: { days?: unknown; hours?: unknown; timeZone?: unknown },
	platformTimeZone: string,
): CallingWindow | SettingProblem {
	const days = Array.isArray(option.days) ? option.days.map(String) : CALLING_WINDOW_DEFAULTS.days;
	const unknownDays = days.filter((day) => !(WEEKDAYS as readonly string[]).includes(day));
	if (unknownDays.length) {
		return new SettingProblem(`Calling Window → Days has "${unknownDays.join('", "')}", which is not a day of the week`, `Pick days from the list (${WEEKDAYS.join(', ')}).`);
	}
	if (!days.length) return new SettingProblem('Calling Window → Days is empty', 'Pick at least one day on which calls may be placed, or remove the Calling Window option.');
	const ranges = parseHours(String(option.hours ?? CALLING_WINDOW_DEFAULTS.hours));
	if (ranges instanceof SettingProblem) return ranges;
	const timeZone = String(option.timeZone ?? '').trim() || platformTimeZone;
	if (!isTimeZone(timeZone)) {
		return new SettingProblem(`Calling Window → Time Zone "${timeZone}" is not a time zone`, "Use an IANA name such as Asia/Shanghai, or leave it empty for the platform's time zone.");
	}
	return { days: new Set(days.map((day) => WEEKDAYS.indexOf(day as Weekday))), ranges, timeZone };
}

/** Whether a call may start at this instant. */
export function isOpen(window: CallingWindow, nowMs: number): boolean {
	const clock = wallClockParts(nowMs, window.timeZone);
	const weekday = new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay();
	const minute = clock.hour * 60 + clock.minute;
	return window.days.has(weekday) && window.ranges.some((range) => minute >= range.fromMinute && minute < range.toMinute);
}

/** The first instant from `nowMs` on at which the window is open (`nowMs` itself when it is open). */
export function nextOpeningMs(window: CallingWindow, nowMs: number): number {
	if (isOpen(window, nowMs)) return nowMs;
	const today = wallClockParts(nowMs, window.timeZone);
	// A week ahead, plus a day for a daylight-saving change on the way.
	for (let dayOffset = 0; dayOffset <= 8; dayOffset++) {
		const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + dayOffset);
		if (!window.days.has(new Date(midnightAsUtc).getUTCDay())) continue;
		for (const range of window.ranges) {
			const opening = epochOfWallClock(midnightAsUtc + range.fromMinute * MINUTE_MS, window.timeZone);
			if (opening <= nowMs) continue;
			const open = firstOpenMinute(window, opening, range);
			if (open !== undefined) return open;
		}
	}
	throw new Error('The Calling Window never opens in the coming week.');
}

/**
 * `opening` itself, unless the clocks skip the range's start (a daylight-saving change): then the
 * first minute of the range the clocks do show.
 */
function firstOpenMinute(window: CallingWindow, opening: number, range: HourRange): number | undefined {
	for (let minutes = 0; minutes < Math.min(range.toMinute - range.fromMinute, MINUTES_A_DAY); minutes++) {
		const candidate = opening + minutes * MINUTE_MS;
		if (isOpen(window, candidate)) return candidate;
	}
	return undefined;
}
