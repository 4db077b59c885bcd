/** The Calling Window's time math, with the clock given: no test here reads the real time. */
import { isOpen, nextOpeningMs, parseHours, readCallingWindow, type CallingWindow } from '../../nodes/SipCall/dialing/callingWindow';
import { SettingProblem } from '../../nodes/shared/settingProblem';
import { toZonedIso } from '../../nodes/shared/zonedTime';

function windowOf(option: Parameters<typeof readCallingWindow>[0], platformTimeZone = 'Asia/Shanghai'): CallingWindow {
	const window = readCallingWindow(option, platformTimeZone);
	if (window instanceof SettingProblem) throw new Error(window.toString());
	return window;
}

const problemOf = (option: Parameters<typeof readCallingWindow>[0]) => {
	const read = readCallingWindow(option, 'Asia/Shanghai');
	return read instanceof SettingProblem ? read.toString() : undefined;
};

const weekdays = { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] };
// Wednesday 2026-01-14 in Shanghai (+08:00, no daylight saving).
const shanghai = (time: string, day = '2026-01-14') => Date.parse(`${day}T${time}+08:00`);
const opening = (window: CallingWindow, nowMs: number) => toZonedIso(nextOpeningMs(window, nowMs), window.timeZone);

describe('Hours', () => {
	test('reads one or more ranges, sorted, spaces allowed, 24:00 as an end', () => {
		expect(parseHours('14:00-20:00, 9:00 - 12:30')).toEqual([
			{ fromMinute: 540, toMinute: 750 },
			{ fromMinute: 840, toMinute: 1200 },
		]);
		expect(parseHours('20:00-24:00')).toEqual([{ fromMinute: 1200, toMinute: 1440 }]);
	});

	test('refuses what is not a range, naming the field, the value and the fix', () => {
		for (const hours of ['', '9-17', '09:00', '09:00-25:00', '09:60-10:00', '24:00-24:00', '09:00-12:00,', '09:00-12:00; 14:00-20:00', '10:00-10:00']) {
			expect(problemOf({ ...weekdays, hours })).toMatch(/^Calling Window → Hours .*(no time range|not a time range|empty).* Write 24-hour ranges separated by commas/);
		}
	});

	test('refuses a range across midnight, and says how to write it', () => {
		expect(problemOf({ ...weekdays, hours: '20:00-09:00' })).toBe(
			'Calling Window → Hours has "20:00-09:00", which runs past midnight. A range ends on the day it starts: write it as two, 00:00-09:00, 20:00-24:00 (each day\'s hours belong to that day in Days).',
		);
	});
});

describe('Days and Time Zone', () => {
	test('refuses no day, an unknown day and an unknown zone', () => {
		expect(problemOf({ days: [], hours: '09:00-20:00' })).toMatch(/^Calling Window → Days is empty\. Pick at least one day/);
		expect(problemOf({ days: ['funday'], hours: '09:00-20:00' })).toMatch(/^Calling Window → Days has "funday", which is not a day of the week/);
		expect(problemOf({ ...weekdays, hours: '09:00-20:00', timeZone: 'Mars/Olympus' })).toMatch(/^Calling Window → Time Zone "Mars\/Olympus" is not a time zone\. Use an IANA name/);
	});

	test('an empty Time Zone is the platform\'s one given', () => {
		expect(windowOf({ ...weekdays, hours: '09:00-20:00', timeZone: ' ' }, 'Europe/Berlin').timeZone).toBe('Europe/Berlin');
		expect(windowOf({ ...weekdays, hours: '09:00-20:00', timeZone: 'America/New_York' }, 'Europe/Berlin').timeZone).toBe('America/New_York');
	});
});

describe('open or shut, and the next opening', () => {
	const window = windowOf({ ...weekdays, hours: '09:00-12:00, 14:00-20:00', timeZone: 'Asia/Shanghai' });

	test('open from the first minute of a range to the last one before its end', () => {
		expect(isOpen(window, shanghai('08:59:59'))).toBe(false);
		expect(isOpen(window, shanghai('09:00:00'))).toBe(true);
		expect(isOpen(window, shanghai('11:59:59'))).toBe(true);
		expect(isOpen(window, shanghai('12:00:00'))).toBe(false);
		expect(isOpen(window, shanghai('19:59:59'))).toBe(true);
		expect(isOpen(window, shanghai('20:00:00'))).toBe(false);
	});

	test('open now: the next opening is now', () => {
		expect(nextOpeningMs(window, shanghai('10:15:30'))).toBe(shanghai('10:15:30'));
	});

	test('shut: the next range of the day, or of the next day the window has', () => {
		expect(opening(window, shanghai('07:00:00'))).toBe('2026-01-14T09:00:00+08:00');
		expect(opening(window, shanghai('12:00:00'))).toBe('2026-01-14T14:00:00+08:00');
		expect(opening(window, shanghai('20:00:00'))).toBe('2026-01-15T09:00:00+08:00');
		// Friday evening: Monday morning.
		expect(opening(window, shanghai('21:30:00', '2026-01-16'))).toBe('2026-01-19T09:00:00+08:00');
		// Saturday in the window's hours, but not its day.
		expect(isOpen(window, shanghai('10:00:00', '2026-01-17'))).toBe(false);
		expect(opening(window, shanghai('10:00:00', '2026-01-17'))).toBe('2026-01-19T09:00:00+08:00');
	});

	test('one day a week: the same day next week once today\'s hours are over', () => {
		const wednesdays = windowOf({ days: ['wednesday'], hours: '09:00-10:00', timeZone: 'Asia/Shanghai' });
		expect(opening(wednesdays, shanghai('10:00:00'))).toBe('2026-01-21T09:00:00+08:00');
	});

	test('the day is the window\'s zone\'s day, not the workflow\'s', () => {
		// Monday 2026-01-19 07:00 in Shanghai is still Sunday in New York.
		const newYork = windowOf({ days: ['monday'], hours: '00:00-24:00', timeZone: 'America/New_York' });
		expect(isOpen(newYork, shanghai('07:00:00', '2026-01-19'))).toBe(false);
		expect(toZonedIso(nextOpeningMs(newYork, shanghai('07:00:00', '2026-01-19')), 'Asia/Shanghai')).toBe('2026-01-19T13:00:00+08:00');
	});
});

describe('across a daylight-saving change (America/New_York, 8 March 2026: 02:00 EST becomes 03:00 EDT)', () => {
	const newYork = (option: Partial<Parameters<typeof readCallingWindow>[0]>) =>
		windowOf({ days: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'], hours: '09:00-17:00', timeZone: 'America/New_York', ...option });

	test('opens at 09:00 local on either side of the change, an hour apart in UTC', () => {
		const window = newYork({});
		expect(new Date(nextOpeningMs(window, Date.parse('2026-03-07T12:00:00Z'))).toISOString()).toBe('2026-03-07T14:00:00.000Z');
		// Saturday 17:00 EST: the next opening is Sunday 09:00 EDT, 15 hours later, not 16.
		expect(new Date(nextOpeningMs(window, Date.parse('2026-03-07T22:00:00Z'))).toISOString()).toBe('2026-03-08T13:00:00.000Z');
		expect(isOpen(window, Date.parse('2026-03-08T13:00:00Z'))).toBe(true);
		expect(isOpen(window, Date.parse('2026-03-08T12:59:59Z'))).toBe(false);
		// And back in November: 09:00 EST again.
		expect(new Date(nextOpeningMs(window, Date.parse('2026-11-01T02:00:00Z'))).toISOString()).toBe('2026-11-01T14:00:00.000Z');
	});

	test('a range that starts in the skipped hour opens when the clocks show it', () => {
		const window = newYork({ hours: '02:30-05:00' });
		// Sunday 01:00 EST: 02:30 never shows; the range is open from 03:00 EDT (07:00 UTC).
		expect(new Date(nextOpeningMs(window, Date.parse('2026-03-08T06:00:00Z'))).toISOString()).toBe('2026-03-08T07:00:00.000Z');
		// A range wholly inside the skipped hour does not open that day.
		const skipped = newYork({ hours: '02:00-02:59' });
		expect(new Date(nextOpeningMs(skipped, Date.parse('2026-03-08T06:00:00Z'))).toISOString()).toBe('2026-03-09T06:00:00.000Z');
	});
});
