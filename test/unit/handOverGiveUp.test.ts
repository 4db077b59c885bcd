/**
 * How long a trigger keeps a waiting execution's batch, on a controlled clock (Jest's fake timers
 * drive Date.now and n8n's sleep): as long as the execution may wait (its own limit, up to the
 * node's 7 days, plus the grace after which n8n resumes it by itself), never a fixed span.
 */
import type { IDataObject } from 'n8n-workflow';

import { deliverWaitedCdrs, type WaitedCdr } from '../../nodes/shared/waitForResult/deliverWaitedCdrs';
import { handOverAnswers } from '../../nodes/shared/waitForResult/handOver';
import { closeHandOverScope, newHandOverScope, type HandOverScope } from '../../nodes/shared/waitForResult/handOverScope';
import type { Forward } from '../../nodes/shared/waitForResult/sendBatch';
import { MAX_WAIT_LIMIT_MS, RESUME_GRACE_MS } from '../../nodes/shared/waitForResult/waitTiming';

const START = 1_800_000_000_000;
const HOUR = 3_600_000;
const TOKEN = 'a'.repeat(64);
const BASE = 'http://n8n.test/webhook-waiting';

beforeEach(() => jest.useFakeTimers({ now: START }));
afterEach(() => jest.useRealTimers());

const cdr = (id: string): WaitedCdr => ({
	payload: { id, uuid: `uuid-${id}`, customuuid: 'reference' } as IDataObject,
	reference: { executionId: '77', resumeToken: TOKEN, callSecret: `secret-${id}` } as WaitedCdr['reference'],
});

/** A waiting execution of two calls with this limit: it waits until both are handed over, or the limit. */
function waitingExecution(deadlineMs: number) {
	const sends: Array<{ atMs: number; cdrs: number }> = [];
	const forward: Forward = async (_url, cdrs) => {
		sends.push({ atMs: Date.now(), cdrs: cdrs.length });
		return Date.now() >= deadlineMs
			? handOverAnswers.resumed(cdrs.length, 2 - cdrs.length, [], cdrs.map((item) => String(item.id)))
			: handOverAnswers.keepWaiting(cdrs.length, 2, deadlineMs, []);
	};
	return { sends, forward };
}

async function deliver(scope: HandOverScope, waited: WaitedCdr[], forward: Forward, warn?: (message: string) => void) {
	const options = { waitingBaseUrl: BASE, staticData: {}, forward, warn } as Parameters<typeof deliverWaitedCdrs>[2];
	const delivering = deliverWaitedCdrs(scope, waited, options);
	await jest.advanceTimersByTimeAsync(2000);
	return await delivering;
}

/** Moves the clock to `atMs` at once, then lets the timers that came due run. */
async function jumpTo(atMs: number) {
	jest.setSystemTime(atMs);
	await jest.advanceTimersByTimeAsync(2000);
}

test('a batch whose execution waits 8 hours is kept past 6 hours and sent at its limit, not given out', async () => {
	const deadlineMs = START + 8 * HOUR;
	const { sends, forward } = waitingExecution(deadlineMs);
	const scope = newHandOverScope();
	expect(await deliver(scope, [cdr('1')], forward)).toEqual([]);
	expect(sends).toHaveLength(1);

	// Past 6 hours the execution still waits: its CDR stays in the batch.
	await jumpTo(START + 6 * HOUR + 60_000);
	expect(await deliver(scope, [], forward)).toEqual([]);
	expect(scope.batches.size).toBe(1);
	const sweepsBeforeLimit = sends.length;
	expect(sweepsBeforeLimit).toBeGreaterThan(1);

	// At the limit it is sent once more, and the execution goes on with it.
	await jumpTo(deadlineMs + 1000);
	expect(sends.length).toBeGreaterThan(sweepsBeforeLimit);
	expect(sends.at(-1)!.atMs).toBeGreaterThanOrEqual(deadlineMs);
	expect(scope.batches.size).toBe(0);
	expect(await deliver(scope, [], forward)).toEqual([]);
	closeHandOverScope(scope);
});

test('an execution that cannot be reached is given up only once n8n has resumed it by itself (its limit plus the grace)', async () => {
	const deadlineMs = START + 7 * 24 * HOUR - HOUR;
	let reachable = true;
	const { forward: answering } = waitingExecution(deadlineMs);
	const forward: Forward = async (url, cdrs) => {
		if (!reachable) throw new Error('connect ECONNREFUSED');
		return await answering(url, cdrs);
	};
	const scope = newHandOverScope();
	await deliver(scope, [cdr('1')], forward);
	reachable = false;

	await jumpTo(deadlineMs + RESUME_GRACE_MS - 5000);
	expect(await deliver(scope, [], forward)).toEqual([]);
	expect(scope.batches.size).toBe(1);

	await jumpTo(deadlineMs + RESUME_GRACE_MS + 1000);
	const givenOut = await deliver(scope, [], forward);
	expect(givenOut.map((item) => [item.executionId, item.payload.id])).toEqual([['77', '1']]);
	expect(givenOut[0].reason).toMatch(/could not be reached before its wait limit ran out/);
	closeHandOverScope(scope);
});

test('before the execution has told its limit (never reached), the longest Wait Limit counts from the first CDR', async () => {
	const scope = newHandOverScope();
	const forward: Forward = async () => {
		throw new Error('connect ECONNREFUSED');
	};
	await deliver(scope, [cdr('1')], forward);
	await jumpTo(START + MAX_WAIT_LIMIT_MS - HOUR);
	expect(await deliver(scope, [], forward)).toEqual([]);
	await jumpTo(START + MAX_WAIT_LIMIT_MS + RESUME_GRACE_MS + 1000);
	expect((await deliver(scope, [], forward)).map((item) => item.payload.id)).toEqual(['1']);
	closeHandOverScope(scope);
});

test('a hand-over that keeps failing is logged as a warning, a few times, never with the resume token', async () => {
	const scope = newHandOverScope();
	const warnings: string[] = [];
	const forward: Forward = async (url) => {
		throw new Error(`connect ECONNREFUSED for ${url}`);
	};
	await deliver(scope, [cdr('1')], forward, (message) => warnings.push(message));
	// Sent again every 3 s while it fails: about 200 tries in 10 minutes.
	for (let step = 0; step < 600; step++) await jest.advanceTimersByTimeAsync(1000);
	expect(warnings.length).toBeGreaterThanOrEqual(3);
	expect(warnings.length).toBeLessThanOrEqual(8);
	expect(warnings[0]).toMatch(/hand-overs in a row to waiting execution 77 at http:\/\/n8n\.test\/webhook-waiting\/77\/sip-call-results\?signature=… failed/);
	expect(warnings[0]).toMatch(/Resume URL Base/);
	expect(warnings.join('\n')).not.toContain(TOKEN);
	closeHandOverScope(scope);
});

