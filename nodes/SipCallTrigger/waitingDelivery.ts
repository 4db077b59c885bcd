/**
 * Hands CDRs of calls placed by "Play Voice Menu and Wait for Result" to the executions waiting
 * for them. An execution resumes once, so the trigger gathers a batch's CDRs and sends all it has
 * each time: the waiting node resumes when every call has a result, or, when the wait limit has
 * passed, with what arrived. Gathered CDRs live in this process and in the workflow's static data
 * (to survive a restart); everything that cannot be handed over is emitted as a normal item.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { decodeWaitReference, type WaitReference } from '../SipCall/waiting/waitReference';

const RECENTLY_RESUMED_LIMIT = 1000;
const RETRY_AFTER_MS = 3000;
/** How long to keep trying an execution that is still dialing (running) or unreachable. */
const GIVE_UP_AFTER_MS = 6 * 3600 * 1000;

export interface WaitedCdr {
	payload: IDataObject;
	reference: WaitReference;
}

interface Batch {
	resumeUrl: string;
	cdrs: Map<string, IDataObject>;
	timer?: { cancelled: boolean };
	firstSeenMs: number;
}

export interface Undelivered {
	payload: IDataObject;
	executionId: string;
	reason: string;
}

type Forward = (url: string, cdrs: IDataObject[]) => Promise<{ status: number; body: IDataObject }>;

const batches = new Map<string, Batch>();
const recentlyResumed = new Set<string>();

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
	const url = new URL(`${baseUrl.replace(/\/$/, '')}/${reference.executionId}`);
	if (reference.resumeToken) url.searchParams.set('signature', reference.resumeToken);
	return url.toString();
}

function rememberResumed(executionId: string) {
	recentlyResumed.add(executionId);
	if (recentlyResumed.size > RECENTLY_RESUMED_LIMIT) recentlyResumed.delete(recentlyResumed.values().next().value as string);
}

type StoredBatches = Record<string, { resumeUrl: string; storedAt: number; cdrs: Record<string, IDataObject> }>;
const STORED_BATCH_LIFETIME_MS = 24 * 3600 * 1000;

function storedBatches(staticData: IDataObject): StoredBatches {
	staticData.waitingBatches ??= {};
	const stored = staticData.waitingBatches as StoredBatches;
	for (const [executionId, batch] of Object.entries(stored)) {
		if (!(Date.now() - Number(batch.storedAt) < STORED_BATCH_LIFETIME_MS)) delete stored[executionId];
	}
	return stored;
}

function batchFor(executionId: string, resumeUrl: string, staticData: IDataObject): Batch {
	let batch = batches.get(executionId);
	if (!batch) {
		batch = { resumeUrl, cdrs: new Map(), firstSeenMs: Date.now() };
		// After a restart, what arrived before it is in static data.
		const stored = storedBatches(staticData)[executionId];
		for (const [key, cdr] of Object.entries(stored?.cdrs ?? {})) batch.cdrs.set(key, cdr);
		batches.set(executionId, batch);
	}
	batch.resumeUrl = resumeUrl;
	return batch;
}

function persist(executionId: string, batch: Batch | undefined, staticData: IDataObject) {
	const stored = storedBatches(staticData);
	if (batch) stored[executionId] = { resumeUrl: batch.resumeUrl, storedAt: Date.now(), cdrs: Object.fromEntries(batch.cdrs) };
	else delete stored[executionId];
}

export interface DeliveryOptions {
	waitingBaseUrl: string;
	staticData: IDataObject;
	forward: Forward;
}

/** Delivers the waited CDRs of one request; returns those to emit as normal items instead. */
export async function deliverWaitedCdrs(waited: WaitedCdr[], options: DeliveryOptions): Promise<Undelivered[]> {
	const byExecution = new Map<string, WaitedCdr[]>();
	for (const cdr of waited) {
		const list = byExecution.get(cdr.reference.executionId) ?? [];
		list.push(cdr);
		byExecution.set(cdr.reference.executionId, list);
	}
	const undelivered: Undelivered[] = [];
	for (const [executionId, cdrs] of byExecution) {
		const batch = batchFor(executionId, resumeUrlFor(options.waitingBaseUrl, cdrs[0].reference), options.staticData);
		for (const cdr of cdrs) batch.cdrs.set(cdr.reference.callSecret, cdr.payload);
		persist(executionId, batch, options.staticData);
		const outcome = await sendBatch(executionId, batch, options);
		if (outcome.reason) undelivered.push(...cdrs.map(({ payload }) => ({ payload, executionId, reason: outcome.reason as string })));
	}
	return undelivered;
}

interface SendOutcome {
	/** Why the CDRs of this request could not be handed over; undefined when they were (or will be). */
	reason?: string;
}

async function sendBatch(executionId: string, batch: Batch, options: DeliveryOptions): Promise<SendOutcome> {
	if (recentlyResumed.has(executionId)) return {};
	let answer: { status: number; body: IDataObject };
	try {
		answer = await options.forward(batch.resumeUrl, [...batch.cdrs.values()]);
	} catch (error) {
		scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
		return {};
	}
	if (answer.status === 200 && answer.body.resumed === true) {
		finish(executionId, options);
		return {};
	}
	if (answer.status === 202) {
		const deadline = Number(answer.body.deadline);
		scheduleFlush(executionId, batch, options, Number.isFinite(deadline) ? deadline : Date.now() + RETRY_AFTER_MS);
		return {};
	}
	if (answer.status === 401 || answer.status === 403) {
		// The execution does not know these calls: a forged or foreign reference. Keep nothing of it.
		finish(executionId, options, false);
		return { reason: 'The waiting execution did not recognise this call (wrong resume token or call secret).' };
	}
	if (answer.status === 409 && /running/i.test(String(answer.body.message ?? ''))) {
		// Still dialing the rest of its rows, or resuming: it waits again, or ends, shortly.
		scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
		return {};
	}
	if (answer.status === 404 || answer.status === 409) {
		finish(executionId, options, false);
		return { reason: `Execution ${executionId} is no longer waiting for this call (it finished, timed out, or was deleted).` };
	}
	scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
	return {};
}

function finish(executionId: string, options: DeliveryOptions, resumed = true) {
	const batch = batches.get(executionId);
	if (batch?.timer) batch.timer.cancelled = true;
	batches.delete(executionId);
	persist(executionId, undefined, options.staticData);
	if (resumed) rememberResumed(executionId);
}

/**
 * At the wait limit the execution resumes with what arrived; until then it keeps waiting. A
 * timer in this process hands the gathered CDRs over then, so they are not reported as timed out.
 */
function scheduleFlush(executionId: string, batch: Batch, options: DeliveryOptions, atMs: number) {
	if (batch.timer) batch.timer.cancelled = true;
	const timer = { cancelled: false };
	batch.timer = timer;
	void (async () => {
		// Short steps, so a cancelled timer lets go of the process within a second.
		while (!timer.cancelled && Date.now() < atMs + 500) await sleep(Math.min(1000, atMs + 500 - Date.now()));
		if (timer.cancelled) return;
		batch.timer = undefined;
		// Kept (and persisted) after giving up: the batch's next CDR tries again.
		if (Date.now() - batch.firstSeenMs > GIVE_UP_AFTER_MS) return;
		await sendBatch(executionId, batch, options);
	})();
}

/** For tests: forgets what this process gathered, as a restart does. */
export function forgetGatheredBatches() {
	for (const batch of batches.values()) if (batch.timer) batch.timer.cancelled = true;
	batches.clear();
	recentlyResumed.clear();
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
