/**
 * When a platform record is a row's call, and when a record says the call was answered: the one
 * definition (a zero answer time is no answer) as every reader of raw records uses it.
 */
import { isRecordOfCall, wasAnswered } from '../../nodes/shared/callRecordMatch';
import { normalizeCdr } from '../../nodes/shared/callbacks/normalizeCallback';
import { missedOutcomeOf } from '../../nodes/SipCall/waitForResult/redial';

const ZONE = 'Asia/Shanghai';

describe('wasAnswered and normalizeCdr agree: an empty, null or zero answer time is no answer, unless talk seconds were billed', () => {
	test.each([
		['2026-11-20 10:00:05', 12, true],
		['', 0, false],
		[null, 0, false],
		['0000-00-00 00:00:00', 0, false],
		[' 0000-00-00 00:00:00 ', '0', false],
		['0000-00-00 00:00:00', 7, true],
	])('answertime %p, billsec %p → answered %p', (answertime, billsec, answered) => {
		const record = { id: 1, answertime, billsec, hangupcause: answered ? 10001 : 10016 };
		expect(wasAnswered(record)).toBe(answered);
		const normalized = normalizeCdr(record, ZONE);
		expect(normalized.answered).toBe(answered);
		if (String(answertime ?? '').trim().startsWith('0000')) expect(normalized.answertime).toBeNull();
	});
});

describe('isRecordOfCall', () => {
	const record = { customuuid: 'crm-1', destnumber: '13900000001', starttime: '2026-11-20 10:00:00' };
	const dialedAtMs = Date.parse('2026-11-20T10:00:00+08:00');

	test('the number must be the row\'s; a row that carries none is not checked by number', () => {
		expect(isRecordOfCall(record, { destnumber: '13900000001' }, ZONE)).toBe(true);
		expect(isRecordOfCall(record, { destnumber: '13900000002' }, ZONE)).toBe(false);
		expect(isRecordOfCall(record, {}, ZONE)).toBe(true);
	});

	test('the record must start at or after the dial time, less the clock margin; a row without a dial time is not checked by time', () => {
		expect(isRecordOfCall(record, { destnumber: '13900000001', dialedAtMs }, ZONE)).toBe(true);
		expect(isRecordOfCall(record, { destnumber: '13900000001', dialedAtMs: dialedAtMs + 60_000 }, ZONE)).toBe(true);
		expect(isRecordOfCall(record, { destnumber: '13900000001', dialedAtMs: dialedAtMs + 61_000 }, ZONE)).toBe(false);
		expect(isRecordOfCall({ ...record, starttime: '2026-11-20 09:00:00' }, { destnumber: '13900000001' }, ZONE)).toBe(true);
	});
});

describe('Redial Who Missed reads answered-ness the same way', () => {
	test('a busy call whose record has a zero answer time is missed, so it is redialed (before #30 it counted as answered)', () => {
		const record = { id: 1, answertime: '0000-00-00 00:00:00', billsec: 0, hangupcause: 10006 };
		expect(missedOutcomeOf(record, ['busy'])).toBe('busy');
		expect(missedOutcomeOf({ ...record, answertime: '2026-11-20 10:00:05', billsec: 3 }, ['busy'])).toBeUndefined();
	});
});
