/** Date and time in a named time zone, with Intl only (community nodes carry no date library). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Whether the name is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The wall-clock date and time in the zone at an instant. */
export function wallClockParts(epochMs: number, timeZone: string) {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

function offsetMinutes(epochMs: number, timeZone: string, p = wallClockParts(epochMs, timeZone)): number {
	const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
	return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

const pad = (value: number, width = 2) => String(Math.abs(value)).padStart(width, '0');

// The last second formatted: a batch of calls answered within the same second formats it once.
let lastFormatted = { second: NaN, timeZone: '', iso: '' };

/** ISO 8601 with the zone's offset, e.g. 2020-02-09T12:32:51+08:00. */
export function toZonedIso(epochMs: number, timeZone: string): string {
	const second = Math.floor(epochMs / 1000);
	if (lastFormatted.second === second && lastFormatted.timeZone === timeZone) return lastFormatted.iso;
	const p = wallClockParts(epochMs, timeZone);
	const offset = offsetMinutes(epochMs, timeZone, p);
	const sign = offset < 0 ? '-' : '+';
	const iso =
		`${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
		`${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
	lastFormatted = { second, timeZone, iso };
	return iso;
}

/** "YYYY-MM-DD HH:mm:ss" wall-clock time in the zone, as the platform writes and reads times. */
export function formatZonedDateTime(epochMs: number, timeZone: string): string {
	const p = wallClockParts(epochMs, timeZone);
	return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Reads "YYYY-MM-DD HH:mm:ss" as wall-clock time in the zone; undefined when it is not such a value. */
export function parseZonedDateTime(value: string, timeZone: string): number | undefined {
	const match = LOCAL_DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const guess = Date.UTC(year, month - 1, day, hour, minute, second);
	if (Number.isNaN(guess) || new Date(guess).getUTCDate() !== day) return undefined;
	return epochOfWallClock(guess, timeZone);
}

/**
 * The instant at which the zone's clocks show a wall-clock time, given as if it were UTC
 * (`Date.UTC(year, month - 1, day, hour, minute)`).
 */
export function epochOfWallClock(wallClockAsUtcMs: number, timeZone: string): number {
	// Two passes settle the offset next to a daylight-saving change.
	let epochMs = wallClockAsUtcMs - offsetMinutes(wallClockAsUtcMs, timeZone) * 60000;
	epochMs = wallClockAsUtcMs - offsetMinutes(epochMs, timeZone) * 60000;
	return epochMs;
}
