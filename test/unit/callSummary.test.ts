/** Get Summary's arithmetic on normalized records: medians, rounding, keys and codes in words. */
import { countCalls } from '../../nodes/SipCall/records/callSummary';

const answered = (talkSeconds: number, keyPressed: string | null = null, extnumber = '') => ({ answered: true, talkSeconds, keyPressed, extnumber, hangupcause: 10001, hangupdirection: 10041 });
const notAnswered = (hangupcause: number | string | undefined) => ({ answered: false, talkSeconds: 0, keyPressed: null, hangupcause, hangupdirection: 10040 });

test('the median of an even number of talk times is the mean of the middle two; rates and averages are rounded', () => {
	const counts = countCalls([answered(10, '1', '8001'), answered(3), answered(7, '12'), answered(4, '1', '0'), notAnswered(10006), notAnswered(10016)]);
	expect(counts).toEqual({
		calls: 6,
		answered: 4,
		notAnswered: 2,
		answerRate: 0.667,
		byKeyPressed: { '1': 2, '12': 1, none: 1 },
		byHangupCause: { 'normal clearing': 4, busy: 1, 'no answer': 1 },
		byHangupDirection: { 'callee hung up': 4, 'caller hung up': 2 },
		transferredToAgent: 1,
		talkTimeSeconds: { total: 24, average: 6, median: 5.5 },
	});
});

test('an odd number of talk times has its middle one; codes not in the vendor\'s table keep their number, a missing one is "not given"', () => {
	const counts = countCalls([answered(9), answered(1), answered(20), notAnswered('10099'), notAnswered(undefined), notAnswered('')]);
	expect(counts.talkTimeSeconds).toEqual({ total: 30, average: 10, median: 9 });
	expect(counts.byHangupCause).toEqual({ 'normal clearing': 3, '10099': 1, 'not given': 2 });
	expect(counts.answerRate).toBe(0.5);
});

test('no calls: zero counts, no rate, no average or median', () => {
	expect(countCalls([])).toMatchObject({ calls: 0, answered: 0, notAnswered: 0, answerRate: null, byKeyPressed: {}, talkTimeSeconds: { total: 0, average: null, median: null } });
});
