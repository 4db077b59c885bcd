/**
 * Hands CDRs of calls placed by "Play Voice Menu and Wait for Result" to the executions waiting
 * for them. An execution resumes once, so the trigger gathers a batch's CDRs and sends all it has
 * when the batch may be complete (the execution tells its size on the first hand-over): the
 * waiting node resumes when every call has a result, or, when the wait limit has passed, with
 * what arrived. Gathered CDRs live in this process and in the workflow's static data
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
	/** The gathered CDRs, by call secret. */
	cdrs: Map<string, IDataObject>;
	/** The wait limit and the number of calls, once the execution has told them. */
	deadlineMs?: number;
	total?: number;
	firstSeenMs: number;
	timer?: { cancelled: boolean };
	/** Why the execution can no longer take these CDRs: they come out with the trigger's next request. */
	undeliverable?: string;
}

export interface Undelivered {
	payload: IDataObject;
	executionId: string;
	reason: string;
}

type Forward = (url: string, cdrs: IDataObject[]) => Promise<{ status: number; body: IDataObject }>;

export interface DeliveryOptions {
	waitingBaseUrl: string;
	staticData: IDataObject;
	forward: Forward;
}

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

interface StoredBatch {
	resumeUrl: string;
	storedAt: number;
	deadlineMs?: number;
	total?: number;
	undeliverable?: string;
	cdrs: Record<string, IDataObject>;
}
const STORED_BATCH_LIFETIME_MS = 24 * 3600 * 1000;

function storedBatches(staticData: IDataObject): Record<string, StoredBatch> {
	staticData.waitingBatches ??= {};
	const stored = staticData.waitingBatches as Record<string, StoredBatch>;
	for (const [executionId, batch] of Object.entries(stored)) {
		if (!(Date.now() - Number(batch.storedAt) < STORED_BATCH_LIFETIME_MS)) delete stored[executionId];
	}
	return stored;
}

/**
 * Static data is where other processes of this n8n (and this one, before a restart) left what
 * they gathered: merged in on every request.
 */
function mergeStored(staticData: IDataObject) {
	for (const [executionId, stored] of Object.entries(storedBatches(staticData))) {
		if (recentlyResumed.has(executionId)) {
			delete storedBatches(staticData)[executionId];
			continue;
		}
		let batch = batches.get(executionId);
		if (!batch) {
			batch = { resumeUrl: stored.resumeUrl, cdrs: new Map(), firstSeenMs: Number(stored.storedAt) };
			batches.set(executionId, batch);
		}
		for (const [key, cdr] of Object.entries(stored.cdrs ?? {})) if (!batch.cdrs.has(key)) batch.cdrs.set(key, cdr);
		batch.deadlineMs ??= stored.deadlineMs;
		batch.total ??= stored.total;
		batch.undeliverable ??= stored.undeliverable;
	}
}

function persist(executionId: string, staticData: IDataObject) {
	const stored = storedBatches(staticData);
	const batch = batches.get(executionId);
	if (!batch) {
		delete stored[executionId];
		return;
	}
	stored[executionId] = {
		resumeUrl: batch.resumeUrl,
		storedAt: batch.firstSeenMs,
		...(batch.deadlineMs ? { deadlineMs: batch.deadlineMs } : {}),
		...(batch.total ? { total: batch.total } : {}),
		...(batch.undeliverable ? { undeliverable: batch.undeliverable } : {}),
		cdrs: Object.fromEntries(batch.cdrs),
	};
}

/**
 * Hands the waited CDRs of one request over, catches up on batches whose wait limit passed while
 * nothing was scheduled (after a restart), and returns every CDR an execution could not take, to
 * be emitted as a normal item.
 */
export async function deliverWaitedCdrs(waited: WaitedCdr[], options: DeliveryOptions): Promise<Undelivered[]> {
	mergeStored(options.staticData);
	const touched = new Set<string>();
	for (const { payload, reference } of waited) {
		const { executionId } = reference;
		if (recentlyResumed.has(executionId)) recentlyResumed.delete(executionId);
		let batch = batches.get(executionId);
		if (!batch) {
			batch = { resumeUrl: '', cdrs: new Map(), firstSeenMs: Date.now() };
			batches.set(executionId, batch);
		}
		batch.resumeUrl = resumeUrlFor(options.waitingBaseUrl, reference);
		batch.cdrs.set(reference.callSecret, payload);
		touched.add(executionId);
	}
	for (const [executionId, batch] of batches) {
		if (batch.undeliverable) continue;
		const due = batch.deadlineMs !== undefined && Date.now() >= batch.deadlineMs && !batch.timer;
		// The execution resumes only with every call's CDR, so a batch is sent again once it may be complete.
		const mayBeComplete = batch.total === undefined || batch.cdrs.size >= batch.total;
		if ((touched.has(executionId) && mayBeComplete) || due) await sendBatch(executionId, batch, options);
		else if (touched.has(executionId) && !batch.timer && batch.deadlineMs !== undefined) {
			scheduleFlush(executionId, batch, options, batch.deadlineMs);
		}
	}

	const undelivered: Undelivered[] = [];
	for (const [executionId, batch] of [...batches]) {
		if (batch.undeliverable) {
			for (const payload of batch.cdrs.values()) undelivered.push({ payload, executionId, reason: batch.undeliverable });
			forget(executionId);
		}
		persist(executionId, options.staticData);
	}
	return undelivered;
}

async function sendBatch(executionId: string, batch: Batch, options: DeliveryOptions): Promise<void> {
	let answer: { status: number; body: IDataObject };
	try {
		answer = await options.forward(batch.resumeUrl, [...batch.cdrs.values()]);
	} catch {
		return scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
	}
	const message = String(answer.body.message ?? '');
	if (answer.status === 200 && answer.body.resumed === true) {
		forget(executionId);
		rememberResumed(executionId);
	} else if (answer.status === 202) {
		const deadline = Number(answer.body.deadline);
		const total = Number(answer.body.total);
		batch.deadlineMs = Number.isFinite(deadline) ? deadline : undefined;
		batch.total = Number.isInteger(total) && total > 0 ? total : undefined;
		scheduleFlush(executionId, batch, options, batch.deadlineMs ?? Date.now() + RETRY_AFTER_MS);
	} else if (answer.status === 409 && /running/i.test(message)) {
		// Still dialing the rest of its rows, or resuming: it waits again, or ends, shortly.
		scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
	} else if (answer.status === 401 || answer.status === 403) {
		batch.undeliverable = 'The waiting execution did not recognise this call (wrong resume token or call secret).';
	} else if (answer.status === 404 || answer.status === 409) {
		batch.undeliverable = `Execution ${executionId} is no longer waiting for this call (it finished, timed out, or was deleted).`;
	} else {
		scheduleFlush(executionId, batch, options, Date.now() + RETRY_AFTER_MS);
	}
	persist(executionId, options.staticData);
}

function forget(executionId: string) {
	const batch = batches.get(executionId);
	if (batch?.timer) batch.timer.cancelled = true;
	batches.delete(executionId);
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
		if (Date.now() - batch.firstSeenMs > GIVE_UP_AFTER_MS) {
			batch.undeliverable = `Execution ${executionId} could not be reached for ${GIVE_UP_AFTER_MS / 3600000} hours.`;
			return persist(executionId, options.staticData);
		}
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
