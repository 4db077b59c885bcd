import type { Batch } from '../../nodes/shared/waitForResult/handOverScope';
import { nextSendMs } from '../../nodes/shared/waitForResult/sendBatch';

const NOW = 1_800_000_000_000;
const batch = (fields: Partial<Batch>): Batch => ({
	executionId: '1',
	resumeUrl: 'http://n8n/webhook-waiting/1/sip-call-results',
	cdrs: new Map([['a:1', {}]]),
	firstSeenMs: NOW - 600_000,
	...fields,
});

describe('when an incomplete batch is handed over again (each hand-over looks the missing rows up)', () => {
	test('every 5 s once the execution waits, however long it dialed before', () => {
		expect(nextSendMs(batch({ waitingSinceMs: NOW, deadlineMs: NOW + 600_000 }), NOW)).toBe(NOW + 5000);
	});

	test('less often as the wait goes on, at most every 30 s', () => {
		expect(nextSendMs(batch({ waitingSinceMs: NOW - 60_000, deadlineMs: NOW + 600_000 }), NOW)).toBe(NOW + 10_000);
		expect(nextSendMs(batch({ waitingSinceMs: NOW - 3_600_000, deadlineMs: NOW + 600_000 }), NOW)).toBe(NOW + 30_000);
	});

	test('never after the wait limit', () => {
		expect(nextSendMs(batch({ waitingSinceMs: NOW - 3_600_000, deadlineMs: NOW + 2000 }), NOW)).toBe(NOW + 2000);
	});

	test('a batch known only from static data (no CDR to prove a call) goes at the limit', () => {
		expect(nextSendMs(batch({ cdrs: new Map(), waitingSinceMs: NOW, deadlineMs: NOW + 400_000 }), NOW)).toBe(NOW + 400_000);
	});
});
