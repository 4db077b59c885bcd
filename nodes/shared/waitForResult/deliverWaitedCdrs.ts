/**
 * Hands CDRs of calls placed by "Play Voice Menu and Wait for Result" to the executions waiting
 * for them. An execution resumes once, so the node handing over (either trigger) gathers a batch's CDRs and sends all it has
 * when the batch may be complete (the execution tells its size on the first hand-over): the
 * waiting node resumes when every call has a result, or, when the wait limit has passed, with
 * what arrived. Every CDR an execution does not take is given out as a normal item instead.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { normalizeCdr } from '../callbacks/normalizeCallback';
import { resumeUrlFor } from './resumeUrl';
import { cutReferenceLength, decodeWaitReference, MAX_CUSTOMUUID_LENGTH, SHORTEST_TOKEN_REFERENCE, type WaitReference } from './waitReference';
import { hasStoredBatches, mergeStore, saveStore } from './batchStore';
import { giveOut, nextSendMs, scheduleSend, sendBatch, settle, type Forward } from './sendBatch';
import { alreadyTaken, type Batch, type HandOverScope, type Undelivered } from './handOverScope';
import { cdrIdentity } from './handOver';
import { giveUpAtMs } from './waitTiming';

/** How long a callback request waits for the hand-overs it started before the platform is answered. */
const ANSWER_WITHIN_MS = 1500;

export interface WaitedCdr {
	payload: IDataObject;
	reference: WaitReference;
}

export interface DeliveryOptions {
	waitingBaseUrl: string;
	staticData: IDataObject;
	forward: Forward;
	/** n8n's log for a hand-over that keeps failing. */
	warn?: (message: string) => void;
}

export function findWaitedCdr(payload: IDataObject): WaitedCdr | undefined {
	const reference = decodeWaitReference(payload.customuuid);
	return reference ? { payload, reference } : undefined;
}

function cdrKey(cdr: WaitedCdr): string {
	return `${cdr.reference.callSecret}:${cdrIdentity(cdr.payload)}`;
}

function gather(scope: HandOverScope, waited: WaitedCdr[], waitingBaseUrl: string): Set<Batch> {
	const touched = new Set<Batch>();
	for (const cdr of waited) {
		const resumeUrl = resumeUrlFor(waitingBaseUrl, cdr.reference);
		// Its execution went on with this very record (sent before, or found on the platform): a copy.
		if (alreadyTaken(scope, resumeUrl, cdrIdentity(cdr.payload))) continue;
		let batch = scope.batches.get(resumeUrl);
		if (!batch) {
			batch = { executionId: cdr.reference.executionId, resumeUrl, cdrs: new Map(), firstSeenMs: Date.now() };
			scope.batches.set(resumeUrl, batch);
		}
		batch.cdrs.set(cdrKey(cdr), cdr.payload);
		touched.add(batch);
	}
	return touched;
}

/**
 * Hands the waited CDRs of one request over, catches up on batches nothing is scheduled for
 * (after a restart), and returns every CDR an execution did not take, to be given out as an item.
 */
export async function deliverWaitedCdrs(
	scope: HandOverScope,
	waited: WaitedCdr[],
	{ waitingBaseUrl, staticData, forward, warn }: DeliveryOptions,
): Promise<Undelivered[]> {
	const { batches } = scope;
	scope.warn = warn;
	// Most callbacks have nothing to do with waiting executions: they cost one look, no more.
	const nothingToDo = !waited.length && !batches.size && !scope.undelivered.length;
	if (nothingToDo && !hasStoredBatches(staticData)) return [];
	mergeStore(scope, staticData);
	const touched = gather(scope, waited, waitingBaseUrl);

	const sends: Array<Promise<void>> = [];
	for (const batch of [...batches.values()]) {
		if (batch.timer || batch.sending) continue;
		// Known from static data only, before its limit was learned: nothing to prove a call with,
		// and no time to send at. Its next CDR brings it back; the dialing process asks at the limit.
		if (!batch.cdrs.size && batch.deadlineMs === undefined) {
			batches.delete(batch.resumeUrl);
			continue;
		}
		const due =
			(batch.deadlineMs !== undefined && Date.now() >= batch.deadlineMs) || (batch.sendAtMs !== undefined && Date.now() >= batch.sendAtMs);
		// The execution resumes only with every call's CDR, so a batch goes again once it may be complete.
		const mayBeComplete = batch.cdrs.size > 0 && (batch.total === undefined || batch.cdrs.size >= batch.total);
		if (due || mayBeComplete) sends.push(sendBatch(scope, batch, forward));
		else scheduleSend(scope, batch, nextSendMs(batch), forward);
	}
	for (const batch of touched) {
		// A batch with a timer waits for its next sweep or its limit; one that became complete goes now.
		if (batch.timer && batches.has(batch.resumeUrl) && batch.total !== undefined && batch.cdrs.size >= batch.total) {
			batch.timer.cancelled = true;
			batch.timer = undefined;
			sends.push(sendBatch(scope, batch, forward));
		}
	}
	// The platform is answered soon whatever the waiting execution takes (it may be looking up its
	// records): a hand-over still under way goes on, and what it gives out comes with the next request.
	if (sends.length) await Promise.race([Promise.all(sends), sleep(ANSWER_WITHIN_MS)]);
	for (const batch of [...batches.values()]) {
		if (Date.now() >= giveUpAtMs(batch)) {
			const reason = `Execution ${batch.executionId} could not be reached before its wait limit ran out (n8n then resumes it by itself).`;
			giveOut(scope, batch, [...batch.cdrs.values()], reason);
			settle(scope, batch);
		}
	}

	saveStore(scope, staticData);
	return scope.undelivered.splice(0);
}

/** CDRs no execution took, as items: the normalized CDR with who waited and why it was not handed over. */
export function undeliveredItems(undelivered: Undelivered[], timeZone: string): IDataObject[] {
	return undelivered.map(({ payload, executionId, reason }) => ({
		...normalizeCdr(payload, timeZone),
		// customuuid carried the execution's resume token: it stays out of the item.
		customuuid: null,
		waitingExecutionId: executionId,
		notHandedOver: reason,
	}));
}

/**
 * A CDR whose customuuid looks like a wait reference the platform cut short, as an item saying
 * so: it cannot be handed over (the execution id and resume token were at its end), and the
 * waiting execution finds the same record in the platform's call records. Undefined otherwise.
 */
export function cutReferenceItem(payload: IDataObject, timeZone: string): IDataObject | undefined {
	const length = cutReferenceLength(payload.customuuid);
	if (!length) return undefined;
	return {
		...normalizeCdr(payload, timeZone),
		// What is left of the reference may hold the resume token: it stays out of the item.
		customuuid: null,
		waitReferenceCut:
			`customuuid (${length} characters) looks like a wait reference the platform cut or changed (a whole one has ${SHORTEST_TOKEN_REFERENCE} to ` +
			`${MAX_CUSTOMUUID_LENGTH}), so this CDR cannot reach the execution waiting for it. That execution finds the record in the ` +
			"platform's call records instead (at its wait limit at the latest), so its row carries this result too: key writes on the " +
			'CDR id. Ask the platform to keep customuuid whole.',
	};
}
