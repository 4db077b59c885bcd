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
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INodeExecutionData, IWebhookDescription, IWebhookFunctions, IWebhookResponseData, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE, readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { lookUpResults } from './lookUpResults';
import { completedRow, timedOutRow, type WaitSettings } from './waitRows';
import { lastSweepStartMs, LOOKUP_BUDGET_MS, nextSweepAtMs, RESUME_GRACE_MS, RETRY_AFTER_MS, SWEEP_REQUEST_TIMEOUT_MS } from './waitTiming';

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

/** What n8n answers, by HTTP status, and the body the waiting node sends with it. */
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
	// The sweeps hold n8n's request helper, the URL and the logger, not the execution's context (its rows).
	const { helpers, logger } = context;
	const post = async (options: IHttpRequestOptions) => (await helpers.httpRequest(options)) as { statusCode: number; body: unknown };
	void sweepUntilResumed({ post, logger, url, sweepKey, deadlineMs, waitStartedMs: Date.now() });
}

type Post = (options: IHttpRequestOptions) => Promise<{ statusCode: number; body: unknown }>;

/** Failed sweeps in a row before the first warning; after it, one at every doubling. */
const WARN_AFTER_FAILURES = 4;

async function sweepUntilResumed({
	post,
	logger,
	url,
	sweepKey,
	deadlineMs,
	waitStartedMs,
}: { post: Post; logger: Logger; url: string; sweepKey: string; deadlineMs: number; waitStartedMs: number }): Promise<void> {
	let failures = 0;
	let atMs = nextSweepAtMs(waitStartedMs, deadlineMs, Date.now());
	for (;;) {
		await sleep(Math.max(0, atMs - Date.now()));
		if (Date.now() > lastSweepStartMs(deadlineMs)) {
			logger.warn(`SIP Call: the waiting execution at ${withoutResumeToken(url)} was not reached by its wait limit; n8n resumes it by itself, its rows without results marked timed out (Call → Get Results finds them later).`);
			return;
		}
		let status: number;
		try {
			const reply = await post({
				method: 'POST',
				url,
				body: { sweepKey },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: SWEEP_REQUEST_TIMEOUT_MS,
			});
			status = reply.statusCode;
			const body = (reply.body ?? {}) as IDataObject;
			// 409 "running": n8n is still saving the wait, or resuming. Anything else but 202 ends the sweeps.
			if (status === 409 && /running/i.test(String(body.message ?? ''))) status = 0;
		} catch (error) {
			failures += 1;
			if (failures >= WARN_AFTER_FAILURES && (failures & (failures - 1)) === 0) {
				logger.warn(
					`SIP Call: ${failures} requests in a row to the waiting execution at ${withoutResumeToken(url)} failed ` +
						`(${withoutResumeToken((error as Error).message)}). Check that n8n is reachable there from this process, or set Wait Options → Resume URL Base.`,
				);
			}
			status = 0;
		}
		if (status === 202 || status === 0) {
			if (status === 202) failures = 0;
			atMs = status === 0 ? Date.now() + RETRY_AFTER_MS : nextSweepAtMs(waitStartedMs, deadlineMs, Date.now());
			continue;
		}
		// 200: resumed. 409: it went on already. Anything else is unexpected.
		if (status !== 200 && status !== 409) logger.warn(`SIP Call: the waiting execution answered a sweep with HTTP ${status}; n8n resumes it by itself at its limit.`);
		return;
	}
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
	const startedAtMs = Date.now();
	const kept = readKeptRows(context);
	const waiting = kept.filter((row) => typeof row.json?.waitCallHash === 'string');
	if (!waiting.length) return answer(context, answers.notWaiting());
	if (!isSweepKey(context.getBodyData().sweepKey, waiting[0].json.waitSweepKeyHash)) return answer(context, answers.refused());

	const zone = readPlatformTimeZone(context.getNodeParameter('waitOptions.platformTimeZone', DEFAULT_PLATFORM_TIME_ZONE));
	// Checked when the calls were placed; a zone changed since then cannot stop the results.
	const platformTimeZone = typeof zone === 'string' ? zone : DEFAULT_PLATFORM_TIME_ZONE;
	const { found, shortBy } = await lookUpResults(context, waiting, platformTimeZone, startedAtMs + LOOKUP_BUDGET_MS);
	const pastLimit = Date.now() >= Number(waiting[0].json.waitDeadlineMs);
	if (found.size < waiting.length && !pastLimit) return answer(context, answers.keepWaiting(found.size, waiting.length));

	const output = kept.map((row) => {
		const callHash = row.json?.waitCallHash;
		if (typeof callHash !== 'string') return row;
		const record = found.get(callHash);
		return record ? completedRow(row, record, platformTimeZone) : timedOutRow(row, shortBy);
	});
	return answer(context, answers.resumed(found.size, waiting.length - found.size), [output]);
}
