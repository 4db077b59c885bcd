/**
 * Sends a gathered batch to its waiting execution and acts on the answer: done, wait for the rest
 * (a timer sends again at the wait limit), try again later, or give the CDRs out as items.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readHandOverAnswer } from './handOver';
import { rememberSettled, rememberTaken, settledKey, type Batch, type HandOverScope } from './handOverScope';
import { withoutResumeToken } from './resumeUrl';
import { giveUpAtMs } from './waitTiming';

const RETRY_AFTER_MS = 3000;
/**
 * While a batch is incomplete it is sent again this often: each hand-over makes the waiting node
 * look the missing rows up in the platform's records, so results the callbacks lost arrive soon
 * after their calls end, not at the limit. Often at first (a campaign's calls end within
 * minutes), then less, so a long wait costs few lookups.
 */
const SWEEP_EVERY_MS = { first: 5000, longest: 30_000 };

/** When an incomplete batch goes again: at the next sweep, or at its limit if that comes first. */
export function nextSendMs(batch: Batch, now = Date.now()): number {
	// A batch known only from static data (after a restart) has no CDR to prove a call: it goes at the limit.
	if (!batch.cdrs.size && batch.deadlineMs !== undefined) return batch.deadlineMs;
	const waitedMs = now - (batch.waitingSinceMs ?? now);
	const every = Math.min(SWEEP_EVERY_MS.longest, Math.max(SWEEP_EVERY_MS.first, waitedMs / 6));
	return batch.deadlineMs === undefined ? now + every : Math.min(batch.deadlineMs, now + every);
}
export type Forward = (url: string, cdrs: IDataObject[]) => Promise<{ status: number; body: IDataObject }>;

export function giveOut(scope: HandOverScope, batch: Batch, payloads: IDataObject[], reason: string): void {
	for (const payload of payloads) scope.undelivered.push({ payload, executionId: batch.executionId, reason });
}

/**
 * Done with a batch: handed over, or given out. The records a resumed execution went on with are
 * remembered, so a later copy of one (a callback retried, or the record the execution found on
 * the platform itself) is not given out a second time.
 */
export function settle(scope: HandOverScope, batch: Batch, taken?: string[]): void {
	if (batch.timer) batch.timer.cancelled = true;
	scope.batches.delete(batch.resumeUrl);
	const key = settledKey(batch.resumeUrl);
	rememberSettled(scope, key);
	if (taken) rememberTaken(scope, key, taken);
}

export async function sendBatch(scope: HandOverScope, batch: Batch, forward: Forward): Promise<void> {
	// Deactivated: nothing more leaves this scope (static data keeps the batch for the next activation).
	if (scope.closed) return;
	if (batch.sending) {
		batch.sendAgain = true;
		return;
	}
	batch.sending = true;
	const entries = [...batch.cdrs.entries()];
	try {
		let reply: { status: number; body: IDataObject };
		try {
			reply = await forward(batch.resumeUrl, entries.map(([, cdr]) => cdr));
		} catch (error) {
			warnWhenFailing(scope, batch, error);
			return scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		}
		batch.failures = 0;
		const answer = readHandOverAnswer(reply.status, reply.body, entries.length);
		const refusedReason = `Execution ${batch.executionId} did not recognise this call (wrong resume token or call secret, or a second record of one call).`;
		if (answer.kind === 'resumed' || answer.kind === 'keepWaiting') {
			giveOut(scope, batch, answer.notTaken.map((index) => entries[index][1]), refusedReason);
			for (const index of answer.notTaken) batch.cdrs.delete(entries[index][0]);
		}
		if (answer.kind === 'resumed') {
			settle(scope, batch, answer.taken);
		} else if (answer.kind === 'keepWaiting') {
			batch.deadlineMs = answer.deadlineMs;
			batch.total = answer.total;
			batch.waitingSinceMs ??= Date.now();
			scheduleSend(scope, batch, nextSendMs(batch), forward);
		} else if (answer.kind === 'busy' || answer.kind === 'tryAgain') {
			// Still dialing the rest of its rows, or resuming: it waits again, or ends, shortly.
			scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		} else {
			const reason =
				answer.kind === 'refused'
					? refusedReason
					: `Execution ${batch.executionId} is no longer waiting for this call (it went on without it, or was deleted).`;
			giveOut(scope, batch, [...batch.cdrs.values()], reason);
			settle(scope, batch);
		}
	} finally {
		batch.sending = false;
		if (batch.sendAgain && !scope.closed && scope.batches.has(batch.resumeUrl)) {
			batch.sendAgain = false;
			await sendBatch(scope, batch, forward);
		}
	}
}

/**
 * A timer in this process sends the batch again: for the next sweep of the platform's records,
 * and at the wait limit, where the execution resumes with what arrived and was found.
 */
export function scheduleSend(scope: HandOverScope, batch: Batch, atMs: number, forward: Forward): void {
	if (batch.timer) batch.timer.cancelled = true;
	batch.timer = undefined;
	// Without timers (a poller), the first poll from then on sends it.
	batch.sendAtMs = atMs;
	if (scope.closed || !scope.timers) return;
	const timer = { cancelled: false };
	batch.timer = timer;
	void (async () => {
		// Short steps, so a cancelled timer lets go of the process within a second.
		while (!timer.cancelled && Date.now() < atMs + 500) await sleep(Math.min(1000, atMs + 500 - Date.now()));
		if (timer.cancelled) return;
		batch.timer = undefined;
		// Past that, n8n has resumed the execution by itself: the next request or poll gives the batch out.
		if (Date.now() >= giveUpAtMs(batch)) return;
		await sendBatch(scope, batch, forward);
	})();
}

/** Failed sends in a row before the first warning; after it, one at every doubling (so a few lines an hour, not one a retry). */
const WARN_AFTER_FAILURES = 4;

/**
 * A hand-over that keeps failing (n8n not reachable at the resume URL: a wrong Resume URL Base, a
 * proxy, a firewall) says so in n8n's log, with the address but never the resume token.
 */
function warnWhenFailing(scope: HandOverScope, batch: Batch, error: unknown): void {
	const failures = (batch.failures = (batch.failures ?? 0) + 1);
	if (failures < WARN_AFTER_FAILURES || (failures & (failures - 1)) !== 0) return;
	const cause = withoutResumeToken(error instanceof Error ? error.message : String(error));
	scope.warn?.(
		`SIP Call: ${failures} hand-overs in a row to waiting execution ${batch.executionId} at ${withoutResumeToken(batch.resumeUrl)} failed ` +
			`(${cause}). Still trying until n8n resumes it at its wait limit. Check that n8n is reachable there from this process, ` +
			"or set the trigger's Resume URL Base (for example http://n8n-internal:5678/webhook-waiting).",
	);
}
