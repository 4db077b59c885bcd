/**
 * Every contact with n8n's waiting machinery for "Play Voice Menu and Wait for Result", both sides:
 *
 * - The dialing process puts the execution to wait until the limit (plus a grace), then sweeps:
 *   it asks its own waiting execution, at its resume URL, to look the rows up in the platform's
 *   call records, every few seconds at first, less often later, and once at the limit. Only this
 *   process holds n8n's resume token (in memory: it is nowhere else but in n8n's own database) and
 *   the sweep key, whose hash the rows keep.
 * - The waiting node answers a sweep: a request without the sweep key is refused and changes
 *   nothing. With it, the node looks the rows up (lookUpResults) and resumes the execution when
 *   every row has its record, or at the limit with what the platform holds; otherwise it keeps
 *   waiting. Results come only from the platform's records, never from a request's body.
 *
 * Two parties resume an execution: the sweep, and n8n's own timer after the grace, which passes
 * the rows on as timed out (if this process stopped: a restart). Call → Get Results finds those later.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookDescription, IWebhookFunctions, IWebhookResponseData, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE, readPlatformTimeZone, SettingProblem } from '../../shared/callbacks/callbackSettings';
import { isOpen, nextOpeningMs, readCallingWindow } from '../dialing/callingWindow';
import { splitByCallingWindow } from '../dialing/outsideCallingWindow';
import { lookUpResults, type LookedUp } from './lookUpResults';
import { completedRow, timedOutRow, type WaitSettings } from './waitRows';
import { callHashesOf, callResultsOf, placeRedials, redialOptionIn, redialSettingsFrom, rowState, type RowCalls } from './redial';
import { batchSettingsFrom } from '../dialing/paceSettings';
import { normalizeCdr } from '../../shared/callbacks/normalizeCallback';
import { lastSweepStartMs, LOOKUP_ANSWERED_WITHIN_MS, LOOKUP_BUDGET_MS, nextSweepAtMs, REDIAL_SECONDS_PER_SWEEP, RESUME_GRACE_MS, RETRY_AFTER_MS, SWEEP_REQUEST_TIMEOUT_MS } from './waitTiming';

/** The resume URL's last segment: a Wait node later in the same execution does not answer to it. */
export const RESULTS_PATH = 'sip-call-results';

/** The waiting node's webhook. Nothing is registered anywhere, so there is no lifecycle. */
export const waitForResultWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: RESULTS_PATH,
		restartWebhook: true,
		isFullPath: true,
	},
];

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');

function isSweepKey(key: unknown, keyHash: unknown): boolean {
	if (typeof key !== 'string' || typeof keyHash !== 'string') return false;
	const [given, kept] = [Buffer.from(hashOf(key)), Buffer.from(keyHash)];
	return given.length === kept.length && timingSafeEqual(given, kept);
}

/** A key only the dialing process holds, and the hash the waiting rows keep to check it. */
export function newSweepKey(): { key: string; keyHash: string } {
	const key = randomBytes(32).toString('base64url');
	return { key, keyHash: hashOf(key) };
}

/** What the waiting node answers a sweep, by HTTP status. */
const answers = {
	resumed: (found: number, timedOut: number) => ({ status: 200, body: { resumed: true, found, timedOut } }),
	keepWaiting: (found: number, total: number) => ({ status: 202, body: { resumed: false, found, total } }),
	refused: () => ({
		status: 403,
		body: {
			resumed: false,
			message:
				'Refused: only the n8n process that placed these calls may ask this execution to look up its results, and results are only ever read from the platform\'s call records.',
		},
	}),
	notWaiting: () => ({ status: 409, body: { resumed: false, message: 'This execution is not waiting for calls.' } }),
};

// ——— The dialing side ———

/** This execution's results URL: n8n's resume URL (token included), at Resume URL Base when one is set. */
function resultsUrlOf(context: IExecuteFunctions, resumeUrlBase: string): string | undefined {
	try {
		const resumeUrl = new URL(String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? ''));
		const url = resumeUrlBase ? new URL(`${resumeUrlBase.replace(/\/+$/, '')}/${String(context.getExecutionId())}`) : resumeUrl;
		url.pathname = `${url.pathname.replace(/\/+$/, '')}/${RESULTS_PATH}`;
		url.search = resumeUrl.search;
		return url.toString();
	} catch {
		return undefined;
	}
}

/** A resume URL (or a text holding one) as it may be logged: n8n's resume token in `signature` left out. */
export function withoutResumeToken(text: string): string {
	return text.replace(/([?&]signature=)[^&#\s"']*/gi, '$1…');
}

/**
 * Keeps the rows with the execution, puts it to wait, and starts the sweeps. The rows are what
 * n8n passes on if its own timer resumes the execution.
 */
export async function waitForResults(
	context: IExecuteFunctions,
	rows: INodeExecutionData[],
	{ deadlineMs, sweepKey, settings }: { deadlineMs: number; sweepKey: string; settings: WaitSettings },
): Promise<void> {
	context.getExecuteData().data = { main: [rows] };
	await context.putExecutionToWait(new Date(deadlineMs + RESUME_GRACE_MS));
	const url = resultsUrlOf(context, settings.resumeUrlBase);
	if (!url) {
		context.logger.warn('SIP Call: n8n gave this execution no resume URL, so nothing looks its results up before the wait limit.');
		return;
	}
	void sweepUntilResumed({ logger: context.logger, url, sweepKey, deadlineMs, waitStartedMs: Date.now() });
}

/** Failed sweeps in a row before the first warning; after it, one at every doubling. */
const WARN_AFTER_FAILURES = 4;

/** What one sweep came to, for the loop. */
type SweepOutcome = 'keepWaiting' | 'tryAgain' | 'failed' | 'done';

/**
 * What a sweep's HTTP answer means. 409 "running": n8n is still saving the wait, handling another
 * request, or running the rest of the workflow after a sweep whose answer was lost; asking again
 * later tells which ("finished" ends the sweeps). A 5xx is n8n (or the look-up) failing under load:
 * asked again too. 200, and every other answer (gone, refused), end the sweeps.
 */
function outcomeOf(status: number, message: string): SweepOutcome {
	if (status === 202) return 'keepWaiting';
	if ((status === 409 && /running/i.test(message)) || status >= 500) return 'tryAgain';
	return 'done';
}

/**
 * The sweeps, in the dialing process. They hold the URL, the key, the times and n8n's logger, not
 * the execution's context: n8n's request helpers close over the execution's data (its rows), which
 * would then stay in memory for the whole wait. So the request goes with Node's own fetch; a proxy
 * or a public address this process cannot reach is what Resume URL Base is for.
 */
async function sweepUntilResumed({
	logger,
	url,
	sweepKey,
	deadlineMs,
	waitStartedMs,
}: { logger: Logger; url: string; sweepKey: string; deadlineMs: number; waitStartedMs: number }): Promise<void> {
	let failures = 0;
	let retries = 0;
	let atMs = nextSweepAtMs(waitStartedMs, deadlineMs, Date.now());
	// Redial Who Missed: how many calls each row has had (rows not here: one). Only this process knows it.
	const calls: Record<string, RowCalls> = {};
	let redial: Array<{ rowKey: string; call: number }> | undefined;
	let nextDueAtMs = Infinity;
	for (;;) {
		await sleep(Math.max(0, atMs - Date.now()));
		const startedMs = Date.now();
		if (startedMs > lastSweepStartMs(deadlineMs)) {
			logger.warn(`SIP Call: the waiting execution at ${withoutResumeToken(url)} was not reached by its wait limit; n8n resumes it by itself, its rows without results marked timed out (Call → Get Results finds them later).`);
			return;
		}
		// At the limit the key-holder says so (no clock of another process decides); on its last try, that nothing comes after it.
		const atLimit = startedMs >= deadlineMs;
		const last = startedMs + SWEEP_REQUEST_TIMEOUT_MS + RETRY_AFTER_MS > lastSweepStartMs(deadlineMs);
		let outcome: SweepOutcome;
		let status = 0;
		const asked = redial;
		try {
			const reply = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ sweepKey, atLimit, last, calls, ...(redial ? { redial } : {}) }),
				signal: AbortSignal.timeout(SWEEP_REQUEST_TIMEOUT_MS),
			});
			status = reply.status;
			const body = (await reply.json().catch(() => ({}))) as IDataObject;
			outcome = outcomeOf(status, String(body.message ?? ''));
			failures = 0;
			redial = undefined;
			if (status === 202) ({ redial, nextDueAtMs } = takeRedialAnswer(calls, body));
			// n8n answers 409 without running the node: the redials asked for were not placed, and may be asked for again.
			if (status === 409 && asked && outcome === 'tryAgain') for (const { rowKey, call } of asked) calls[rowKey] = { placed: call - 1 };
		} catch (error) {
			// A redial whose answer was lost may have gone out: it stays counted, and is never asked for again.
			redial = undefined;
			failures += 1;
			if (failures >= WARN_AFTER_FAILURES && (failures & (failures - 1)) === 0) {
				logger.warn(
					`SIP Call: ${failures} requests in a row to the waiting execution at ${withoutResumeToken(url)} failed ` +
						`(${withoutResumeToken((error as Error).message)}). Check that n8n is reachable there from this process, or set Wait Options → Resume URL Base.`,
				);
			}
			outcome = 'failed';
		}
		if (outcome === 'done') {
			// 200: resumed. 409: it went on already. Anything else is unexpected.
			if (status !== 200 && status !== 409) logger.warn(`SIP Call: the waiting execution answered a sweep with HTTP ${status}; n8n resumes it by itself at its limit.`);
			return;
		}
		const now = Date.now();
		const nextSweep = nextSweepAtMs(waitStartedMs, deadlineMs, now);
		retries = outcome === 'keepWaiting' ? 0 : retries + 1;
		// Failures and a busy execution back off (3 s, doubling) up to the sweeps' own pace; past the limit, no sweep follows another at once.
		const backOff = Math.min(RETRY_AFTER_MS * 2 ** Math.max(0, retries - 1), Math.max(RETRY_AFTER_MS, nextSweep - now));
		atMs = redial ? now : outcome === 'keepWaiting' && !atLimit ? Math.min(nextSweep, Math.max(now, nextDueAtMs)) : now + backOff;
	}
}

/**
 * Reads a 202 answer: the calls placed by a redial sweep (a refused one is given back and stops that
 * row's redials), and the rows now due. Those are counted as called before they are asked for, so
 * each (row, call) is asked for once. Returns the redials to ask for next, if any, and when the next row falls due.
 */
function takeRedialAnswer(calls: Record<string, RowCalls>, body: IDataObject): { redial?: Array<{ rowKey: string; call: number }>; nextDueAtMs: number } {
	const redialed = body.redialed && typeof body.redialed === 'object' ? (body.redialed as Record<string, { placed?: boolean; refused?: string }>) : {};
	for (const [rowKey, outcome] of Object.entries(redialed)) {
		if (outcome?.placed === false && calls[rowKey]) calls[rowKey] = { placed: calls[rowKey].placed - 1, stopped: String(outcome.refused ?? 'The platform refused the call.') };
	}
	const nextDueAtMs = typeof body.nextDueAtMs === 'number' ? body.nextDueAtMs : Infinity;
	const due = Array.isArray(body.due) ? body.due.map(String) : [];
	if (!due.length) return { nextDueAtMs };
	const redial = due.map((rowKey) => {
		const call = (calls[rowKey]?.placed ?? 1) + 1;
		calls[rowKey] = { placed: call };
		return { rowKey, call };
	});
	return { redial, nextDueAtMs };
}

// ——— The waiting side ———

function readKeptRows(context: IWebhookFunctions): INodeExecutionData[] {
	const text = context.evaluateExpression('{{ JSON.stringify($input.all()) }}', 0);
	try {
		const rows = JSON.parse(String(text)) as unknown;
		return Array.isArray(rows) ? (rows as INodeExecutionData[]) : [];
	} catch {
		return [];
	}
}

function answer(context: IWebhookFunctions, { status, body }: { status: number; body: IDataObject }, workflowData?: INodeExecutionData[][]): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

/** The waiting node's webhook: a sweep from the dialing process. */
export async function answerSweep(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await lookUpAndAnswer(context);
	} catch (error) {
		// A node that throws here would make n8n resume the execution with an error: it keeps waiting
		// instead (n8n's own timer still resumes it at the limit), and this sweep is answered 500.
		context.logger.warn(`SIP Call: a sweep of the waiting execution failed: ${(error as Error).message}`);
		return answer(context, { status: 500, body: { resumed: false, message: 'The look-up failed; the execution keeps waiting.' } });
	}
}

/** The look-up, within its budget whatever the platform does (a login, a slow page). */
async function lookUpWithin(context: IWebhookFunctions, rows: INodeExecutionData[], platformTimeZone: string, stopAtMs: number, wanted: ReadonlySet<string>): Promise<LookedUp> {
	const outOfTime = sleep(stopAtMs - LOOKUP_BUDGET_MS + LOOKUP_ANSWERED_WITHIN_MS - Date.now()).then(
		(): LookedUp => ({ found: new Map(), shortBy: 'the platform did not answer the look-up in time' }),
	);
	return await Promise.race([lookUpResults(context, rows, platformTimeZone, stopAtMs, wanted), outOfTime]);
}

/** The dialing process's count of each row's calls, as a sweep brings it (rows not in it: one call). */
function callsIn(sweep: IDataObject): (rowKey: string) => RowCalls {
	const calls = sweep.calls && typeof sweep.calls === 'object' ? (sweep.calls as Record<string, RowCalls>) : {};
	return (rowKey) => {
		const given = Object.hasOwn(calls, rowKey) ? calls[rowKey] : undefined;
		const placed = Number(given?.placed);
		return { placed: Number.isInteger(placed) && placed >= 1 ? placed : 1, ...(given?.stopped ? { stopped: String(given.stopped) } : {}) };
	};
}

async function lookUpAndAnswer(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const startedAtMs = Date.now();
	const kept = readKeptRows(context);
	const waiting = kept.filter((row) => typeof row.json?.waitCallHash === 'string');
	if (!waiting.length) return answer(context, answers.notWaiting());
	const body = context.getBodyData() as IDataObject | null | undefined;
	const sweep = body && typeof body === 'object' ? body : {};
	if (!isSweepKey(sweep.sweepKey, waiting[0].json.waitSweepKeyHash)) return answer(context, answers.refused());

	const redial = redialSettingsFrom(redialOptionIn(context.getNodeParameter('waitOptions', {})));
	const asked = Array.isArray(sweep.redial) ? (sweep.redial as Array<{ rowKey: string; call: number }>) : undefined;
	if (redial && asked) {
		const redialed = await placeRedials(context, kept, asked.map(({ rowKey, call }) => ({ rowKey: String(rowKey), call: Number(call) })), redial);
		return answer(context, { status: 202, body: { resumed: false, redialed } });
	}

	const zone = readPlatformTimeZone(context.getNodeParameter('waitOptions.platformTimeZone', DEFAULT_PLATFORM_TIME_ZONE));
	// Checked when the calls were placed; a zone changed since then cannot stop the results.
	const platformTimeZone = typeof zone === 'string' ? zone : DEFAULT_PLATFORM_TIME_ZONE;
	const callsOf = callsIn(sweep);
	const keyOf = (row: INodeExecutionData) => String(row.json.waitCallHash);
	const wanted = new Set(waiting.flatMap((row) => callHashesOf(row, callsOf(keyOf(row)).placed)));
	const { found, shortBy } = await lookUpWithin(context, waiting, platformTimeZone, startedAtMs + LOOKUP_BUDGET_MS, wanted);
	const deadlineMs = Number(waiting[0].json.waitDeadlineMs);
	const states = new Map(waiting.map((row) => [keyOf(row), rowState(row, callsOf(keyOf(row)), found, { settings: redial, platformTimeZone, deadlineMs })]));
	const done = [...states.values()].filter((state) => state.state === 'done').length;
	const pastLimit = sweep.atLimit === true || Date.now() >= deadlineMs;
	// At the limit a look-up cut short is tried again while the grace lasts: rows found earlier are not lost to one bad minute.
	const resume = done === waiting.length || (pastLimit && (!shortBy || sweep.last === true));
	if (!resume) {
		const nowMs = Date.now();
		const dueAt = [...states.entries()].flatMap(([rowKey, state]) => (state.state === 'due' ? [{ rowKey, atMs: state.atMs }] : []));
		// Redials keep to the Calling Window: while it is shut none is due, and the next falls due when it opens.
		const opensAtMs = callingWindowOpensAt(context, nowMs);
		const due = pastLimit || opensAtMs ? [] : dueAt.filter(({ atMs }) => atMs <= nowMs).map(({ rowKey }) => rowKey).slice(0, redialsPerSweep(context));
		const later = dueAt.map(({ atMs }) => Math.max(atMs, opensAtMs ?? 0)).filter((atMs) => atMs > nowMs);
		return answer(context, { status: 202, body: { ...answers.keepWaiting(done, waiting.length).body, due, ...(later.length ? { nextDueAtMs: Math.min(...later) } : {}) } });
	}

	const output = kept.map((row) => {
		if (typeof row.json?.waitCallHash !== 'string') return row;
		const calls = callsOf(keyOf(row));
		const state = states.get(keyOf(row));
		const lastRecord = [...callHashesOf(row, calls.placed)].reverse().map((hash) => found.get(hash)).find(Boolean);
		const shown = state?.state === 'done' ? completedRow(row, state.record, platformTimeZone) : state?.state === 'due' && lastRecord ? completedRow(row, lastRecord, platformTimeZone) : timedOutRow(row, shortBy);
		if (!redial) return shown;
		// A row still waiting for a later call's record: Call → Get Results looks that call up, not the first.
		if (shown.json.waitCallHash) shown.json.waitCallHash = callHashesOf(row, calls.placed).at(-1) ?? shown.json.waitCallHash;
		const note = state?.state === 'done' ? state.note : state?.state === 'due' ? 'The Wait Limit came before the next call.' : undefined;
		const callResults = callResultsOf(row, calls, found, (record) => normalizeCdr(record, platformTimeZone));
		return { ...shown, json: { ...shown.json, callsPlaced: calls.placed, callResults, ...(note ? { redialNote: note } : {}) } };
	});
	return answer(context, answers.resumed(done, waiting.length - done), splitByCallingWindow(output));
}

/** When the Calling Window opens next if it is shut now (it was checked when the list was dialed); undefined when open or not set. */
function callingWindowOpensAt(context: IWebhookFunctions, nowMs: number): number | undefined {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const option = (options.callingWindow as IDataObject | undefined)?.window as IDataObject | undefined;
	if (!option) return undefined;
	const window = readCallingWindow(option, context.getTimezone());
	if (window instanceof SettingProblem || isOpen(window, nowMs)) return undefined;
	return nextOpeningMs(window, nowMs);
}

/** Redials placed in one sweep: what the node's pace places well within the sweep's time. */
function redialsPerSweep(context: IWebhookFunctions): number {
	const { callsPerSecond } = batchSettingsFrom(context.getNodeParameter('options', {}) as IDataObject);
	return callsPerSecond > 0 ? Math.max(1, Math.floor(callsPerSecond * REDIAL_SECONDS_PER_SWEEP)) : 100;
}
