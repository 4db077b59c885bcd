/**
 * Sends a gathered batch to its waiting execution and acts on the answer: done, wait for the rest
 * (a timer sends again at the wait limit), try again later, or give the CDRs out as items.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readHandOverAnswer } from './handOver';
import { rememberSettled, type Batch, type HandOverScope } from './handOverScope';

const RETRY_AFTER_MS = 3000;
/** How long to keep trying an execution that is still dialing (running) or unreachable. */
export const GIVE_UP_AFTER_MS = 6 * 3600 * 1000;

export type Forward = (url: string, cdrs: IDataObject[]) => Promise<{ status: number; body: IDataObject }>;

export function giveOut(scope: HandOverScope, batch: Batch, payloads: IDataObject[], reason: string): void {
	for (const payload of payloads) scope.undelivered.push({ payload, executionId: batch.executionId, reason });
}

/** Done with a batch: handed over, or given out. */
export function settle(scope: HandOverScope, batch: Batch): void {
	if (batch.timer) batch.timer.cancelled = true;
	scope.batches.delete(batch.resumeUrl);
	rememberSettled(scope, batch.resumeUrl);
}

export async function sendBatch(scope: HandOverScope, batch: Batch, forward: Forward): Promise<void> {
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
		} catch {
			return scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		}
		const answer = readHandOverAnswer(reply.status, reply.body, entries.length);
		const refusedReason = `Execution ${batch.executionId} did not recognise this call (wrong resume token or call secret, or a second record of one call).`;
		if (answer.kind === 'resumed' || answer.kind === 'keepWaiting') {
			giveOut(scope, batch, answer.notTaken.map((index) => entries[index][1]), refusedReason);
			for (const index of answer.notTaken) batch.cdrs.delete(entries[index][0]);
		}
		if (answer.kind === 'resumed') {
			settle(scope, batch);
		} else if (answer.kind === 'keepWaiting') {
			batch.deadlineMs = answer.deadlineMs;
			batch.total = answer.total;
			scheduleSend(scope, batch, batch.deadlineMs ?? Date.now() + RETRY_AFTER_MS, forward);
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
		if (batch.sendAgain && scope.batches.has(batch.resumeUrl)) {
			batch.sendAgain = false;
			await sendBatch(scope, batch, forward);
		}
	}
}

/**
 * At the wait limit the execution resumes with what arrived; until then it keeps waiting. A
 * timer in this process hands the gathered CDRs over then, so they are not reported as timed out.
 */
export function scheduleSend(scope: HandOverScope, batch: Batch, atMs: number, forward: Forward): void {
	if (batch.timer) batch.timer.cancelled = true;
	if (scope.closed) return;
	const timer = { cancelled: false };
	batch.timer = timer;
	void (async () => {
		// Short steps, so a cancelled timer lets go of the process within a second.
		while (!timer.cancelled && Date.now() < atMs + 500) await sleep(Math.min(1000, atMs + 500 - Date.now()));
		if (timer.cancelled) return;
		batch.timer = undefined;
		// Past that, the next request gives the batch out.
		if (Date.now() - batch.firstSeenMs > GIVE_UP_AFTER_MS) return;
		await sendBatch(scope, batch, forward);
	})();
}
