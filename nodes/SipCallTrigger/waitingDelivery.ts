/**
 * Hands CDRs of calls placed by "Play Voice Menu and Wait for Result" to the executions waiting
 * for them. An execution resumes once, so the trigger gathers a batch's CDRs and sends all it has
 * when the batch may be complete (the execution tells its size on the first hand-over): the
 * waiting node resumes when every call has a result, or, when the wait limit has passed, with
 * what arrived. Gathered CDRs live in this process and in the workflow's static data (to survive
 * a restart); every CDR an execution does not take is given out as a normal item instead.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RESULTS_PATH } from '../SipCall/descriptions/WaitForResultDescription';
import { decodeWaitReference, type WaitReference } from '../SipCall/waiting/waitReference';
import type { Batch, TriggerScope, Undelivered } from './triggerScope';

const RETRY_AFTER_MS = 3000;
/** How long to keep trying an execution that is still dialing (running) or unreachable. */
const GIVE_UP_AFTER_MS = 6 * 3600 * 1000;
const REMEMBERED_SETTLED = 500;

export interface WaitedCdr {
	payload: IDataObject;
	reference: WaitReference;
}

interface StoredBatch {
	executionId: string;
	firstSeenMs: number;
	deadlineMs?: number;
	total?: number;
	cdrs: Record<string, IDataObject>;
}

interface Store {
	batches: Record<string, StoredBatch>;
	/** Batches done with (handed over, or given out), so a stale copy is not taken up again. */
	settled: string[];
}

export type Forward = (url: string, cdrs: IDataObject[]) => Promise<{ status: number; body: IDataObject }>;

export interface DeliveryOptions {
	waitingBaseUrl: string;
	staticData: IDataObject;
	forward: Forward;
}

export function findWaitedCdr(payload: IDataObject): WaitedCdr | undefined {
	const reference = decodeWaitReference(payload.customuuid);
	return reference ? { payload, reference } : undefined;
}

/** n8n serves waiting executions beside its webhooks: …/webhook/<id>/sip-call → …/webhook-waiting. */
export function waitingBaseUrlFor(triggerUrl: string, webhookId?: string): string {
	const url = new URL(triggerUrl);
	const segments = url.pathname.split('/');
	const idAt = webhookId ? segments.indexOf(webhookId) : -1;
	const endpointAt = idAt > 0 ? idAt - 1 : segments.length - 2;
	url.pathname = `${segments.slice(0, endpointAt).join('/')}/webhook-waiting`;
	url.search = '';
	return url.toString().replace(/\/$/, '');
}

export function resumeUrlFor(baseUrl: string, reference: WaitReference): string {
	const url = new URL(`${baseUrl.replace(/\/$/, '')}/${reference.executionId}/${RESULTS_PATH}`);
	if (reference.resumeToken) url.searchParams.set('signature', reference.resumeToken);
	return url.toString();
}

function cdrKey(cdr: WaitedCdr): string {
	return `${cdr.reference.callSecret}:${String(cdr.payload.id ?? cdr.payload.uuid ?? '')}`;
}

function giveOut(scope: TriggerScope, batch: Batch, payloads: IDataObject[], reason: string) {
	for (const payload of payloads) scope.undelivered.push({ payload, executionId: batch.executionId, reason });
}

function rememberSettled({ settled }: TriggerScope, resumeUrl: string) {
	if (settled.has(resumeUrl)) return;
	settled.add(resumeUrl);
	// A Set keeps insertion order: the oldest goes first.
	if (settled.size > REMEMBERED_SETTLED) settled.delete(settled.values().next().value as string);
}

/** Done with a batch: handed over, or given out. */
function settle(scope: TriggerScope, batch: Batch) {
	if (batch.timer) batch.timer.cancelled = true;
	scope.batches.delete(batch.resumeUrl);
	rememberSettled(scope, batch.resumeUrl);
}

function storeOf(staticData: IDataObject): Store {
	const store = (staticData.waitingBatches ?? {}) as Partial<Store>;
	return { batches: store.batches ?? {}, settled: store.settled ?? [] };
}

/**
 * What other processes of this n8n (and this one, before a restart) left in static data joins
 * what this process holds: read on every request.
 */
function mergeStore(scope: TriggerScope, staticData: IDataObject) {
	const { batches, settled } = scope;
	const store = storeOf(staticData);
	for (const url of store.settled) rememberSettled(scope, url);
	for (const [url, stored] of Object.entries(store.batches)) {
		if (settled.has(url)) continue;
		let batch = batches.get(url);
		if (!batch) {
			batch = { executionId: stored.executionId, resumeUrl: url, cdrs: new Map(), firstSeenMs: stored.firstSeenMs };
			batches.set(url, batch);
		}
		for (const [key, cdr] of Object.entries(stored.cdrs ?? {})) if (!batch.cdrs.has(key)) batch.cdrs.set(key, cdr);
		batch.deadlineMs ??= stored.deadlineMs;
		batch.total ??= stored.total;
	}
}

function saveStore({ batches, settled }: TriggerScope, staticData: IDataObject) {
	const stored: Record<string, StoredBatch> = {};
	for (const [url, batch] of batches) {
		stored[url] = {
			executionId: batch.executionId,
			firstSeenMs: batch.firstSeenMs,
			...(batch.deadlineMs ? { deadlineMs: batch.deadlineMs } : {}),
			...(batch.total ? { total: batch.total } : {}),
			cdrs: Object.fromEntries(batch.cdrs),
		};
	}
	// Written only when it changed: an unchanged write would still make n8n save the static data.
	if (!storeHolds(storeOf(staticData), stored, settled)) {
		staticData.waitingBatches = { batches: stored, settled: [...settled] } satisfies Store as unknown as IDataObject;
	}
}

/** Whether the stored copy already says what this process holds (compared by counts, not by serializing). */
function storeHolds(store: Store, batchesNow: Record<string, StoredBatch>, settled: Set<string>): boolean {
	if (store.settled.length !== settled.size || store.settled.some((url) => !settled.has(url))) return false;
	const urls = Object.keys(batchesNow);
	if (urls.length !== Object.keys(store.batches).length) return false;
	return urls.every((url) => {
		const [now, before] = [batchesNow[url], store.batches[url]];
		return (
			before !== undefined &&
			Object.keys(before.cdrs ?? {}).length === Object.keys(now.cdrs).length &&
			before.deadlineMs === now.deadlineMs &&
			before.total === now.total
		);
	});
}

/**
 * Hands the waited CDRs of one request over, catches up on batches nothing is scheduled for
 * (after a restart), and returns every CDR an execution did not take, to be given out as an item.
 */
export async function deliverWaitedCdrs(
	scope: TriggerScope,
	waited: WaitedCdr[],
	options: DeliveryOptions,
): Promise<Undelivered[]> {
	const { batches } = scope;
	// Most callbacks have nothing to do with waiting executions: they cost one look, no more.
	const nothingToDo = !waited.length && !batches.size && !scope.undelivered.length;
	if (nothingToDo && !Object.keys(storeOf(options.staticData).batches).length) return [];
	mergeStore(scope, options.staticData);
	const touched = new Set<Batch>();
	for (const cdr of waited) {
		const resumeUrl = resumeUrlFor(options.waitingBaseUrl, cdr.reference);
		let batch = batches.get(resumeUrl);
		if (!batch) {
			batch = { executionId: cdr.reference.executionId, resumeUrl, cdrs: new Map(), firstSeenMs: Date.now() };
			batches.set(resumeUrl, batch);
		}
		batch.cdrs.set(cdrKey(cdr), cdr.payload);
		touched.add(batch);
	}

	for (const batch of [...batches.values()]) {
		if (batch.timer || batch.sending) continue;
		const due = batch.deadlineMs !== undefined && Date.now() >= batch.deadlineMs;
		// The execution resumes only with every call's CDR, so a batch goes again once it may be complete.
		const mayBeComplete = batch.total === undefined || batch.cdrs.size >= batch.total;
		if (due || mayBeComplete) await send(scope, batch, options.forward);
		else if (batch.deadlineMs !== undefined) scheduleSend(scope, batch, batch.deadlineMs, options.forward);
	}
	for (const batch of touched) {
		// A batch with a timer waits for its limit; one that became complete goes now.
		if (batch.timer && batches.has(batch.resumeUrl) && batch.total !== undefined && batch.cdrs.size >= batch.total) {
			batch.timer.cancelled = true;
			batch.timer = undefined;
			await send(scope, batch, options.forward);
		}
	}
	for (const batch of [...batches.values()]) {
		if (Date.now() - batch.firstSeenMs > GIVE_UP_AFTER_MS) {
			giveOut(scope, batch, [...batch.cdrs.values()], `Execution ${batch.executionId} could not be reached for ${GIVE_UP_AFTER_MS / 3600000} hours.`);
			settle(scope, batch);
		}
	}

	saveStore(scope, options.staticData);
	return scope.undelivered.splice(0);
}

async function send(scope: TriggerScope, batch: Batch, forward: Forward): Promise<void> {
	if (batch.sending) {
		batch.sendAgain = true;
		return;
	}
	batch.sending = true;
	const entries = [...batch.cdrs.entries()];
	try {
		let answer: { status: number; body: IDataObject };
		try {
			answer = await forward(batch.resumeUrl, entries.map(([, cdr]) => cdr));
		} catch {
			return scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		}
		const message = String(answer.body.message ?? '');
		const notTaken = (Array.isArray(answer.body.notTaken) ? answer.body.notTaken : [])
			.map(Number)
			.filter((index) => Number.isInteger(index) && entries[index]);
		const refusedReason = `Execution ${batch.executionId} did not recognise this call (wrong resume token or call secret, or a second record of one call).`;
		const takeOutRefused = () => {
			giveOut(scope, batch, notTaken.map((index) => entries[index][1]), refusedReason);
			for (const index of notTaken) batch.cdrs.delete(entries[index][0]);
		};

		if (answer.status === 200 && answer.body.resumed === true) {
			takeOutRefused();
			settle(scope, batch);
		} else if (answer.status === 202) {
			takeOutRefused();
			const deadline = Number(answer.body.deadline);
			const total = Number(answer.body.total);
			batch.deadlineMs = Number.isFinite(deadline) ? deadline : undefined;
			batch.total = Number.isInteger(total) && total > 0 ? total : undefined;
			scheduleSend(scope, batch, batch.deadlineMs ?? Date.now() + RETRY_AFTER_MS, forward);
		} else if (answer.status === 409 && /running/i.test(message)) {
			// Still dialing the rest of its rows, or resuming: it waits again, or ends, shortly.
			scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		} else if (answer.status === 401 || answer.status === 403) {
			giveOut(scope, batch, [...batch.cdrs.values()], refusedReason);
			settle(scope, batch);
		} else if (answer.status >= 200 && answer.status < 500) {
			// Finished, gone, or answered by something else than a waiting SIP Call node.
			giveOut(scope, batch, [...batch.cdrs.values()], `Execution ${batch.executionId} is no longer waiting for this call (it went on without it, or was deleted).`);
			settle(scope, batch);
		} else {
			scheduleSend(scope, batch, Date.now() + RETRY_AFTER_MS, forward);
		}
	} finally {
		batch.sending = false;
		if (batch.sendAgain && scope.batches.has(batch.resumeUrl)) {
			batch.sendAgain = false;
			await send(scope, batch, forward);
		}
	}
}

/**
 * At the wait limit the execution resumes with what arrived; until then it keeps waiting. A
 * timer in this process hands the gathered CDRs over then, so they are not reported as timed out.
 */
function scheduleSend(scope: TriggerScope, batch: Batch, atMs: number, forward: Forward) {
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
		await send(scope, batch, forward);
	})();
}

export async function forwardWithHelpers(context: IWebhookFunctions, url: string, cdrs: IDataObject[]) {
	const response = (await context.helpers.httpRequest({
		method: 'POST',
		url,
		body: { cdrs },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 15_000,
	})) as { statusCode: number; body: unknown };
	const body = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	return { status: response.statusCode, body };
}
