import { parseZonedDateTime, toZonedIso } from '../../nodes/shared/zonedTime';

describe('zoned time', () => {
	test('formats an instant with the zone offset', () => {
		const instant = Date.UTC(2020, 1, 9, 4, 32, 51);
		expect(toZonedIso(instant, 'Asia/Shanghai')).toBe('2020-02-09T12:32:51+08:00');
		expect(toZonedIso(instant, 'UTC')).toBe('2020-02-09T04:32:51+00:00');
		expect(toZonedIso(instant, 'America/St_Johns')).toBe('2020-02-09T01:02:51-03:30');
	});

	test('the same second again, in another zone, or a second later, formats each as asked', () => {
		const instant = Date.UTC(2020, 1, 9, 4, 32, 51);
		expect(toZonedIso(instant + 999, 'Asia/Shanghai')).toBe('2020-02-09T12:32:51+08:00');
		expect(toZonedIso(instant, 'UTC')).toBe('2020-02-09T04:32:51+00:00');
		expect(toZonedIso(instant, 'UTC')).toBe('2020-02-09T04:32:51+00:00');
		expect(toZonedIso(instant + 1000, 'UTC')).toBe('2020-02-09T04:32:52+00:00');
		expect(toZonedIso(instant, 'Asia/Shanghai')).toBe('2020-02-09T12:32:51+08:00');
	});

	test('reads a platform local time in a zone, daylight saving included', () => {
		expect(parseZonedDateTime('2020-02-09 12:32:51', 'Asia/Shanghai')).toBe(Date.UTC(2020, 1, 9, 4, 32, 51));
		expect(parseZonedDateTime('2021-07-01 08:00:00', 'Europe/Berlin')).toBe(Date.UTC(2021, 6, 1, 6, 0, 0));
		expect(parseZonedDateTime('2021-01-01 08:00:00', 'Europe/Berlin')).toBe(Date.UTC(2021, 0, 1, 7, 0, 0));
	});

	test('refuses what is not a date and time', () => {
		expect(parseZonedDateTime('', 'Asia/Shanghai')).toBeUndefined();
		expect(parseZonedDateTime('0000-00-00 00:00:00', 'Asia/Shanghai')).toBeUndefined();
		expect(parseZonedDateTime('2020-02-31 00:00:00', 'Asia/Shanghai')).toBeUndefined();
		expect(() => toZonedIso(0, 'Mars/Olympus')).toThrow(RangeError);
	});
});
