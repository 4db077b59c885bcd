/**
 * "Play Voice Menu and Wait for Result", the dialing process's side: it owns the campaign while the
 * execution waits. It puts the execution to wait (n8n stores it with the rows, already shaped as
 * timed out), then, in this process only:
 * - takes the records of the rows' calls from this process's reader of the account (accountReader.ts),
 *   a record counting for a row only by its reference, number and dial time (callRecordMatch.ts);
 * - places redials (Redial Who Missed) itself: a row's next call goes out when its latest call's
 *   record says it was missed, the pause is over, the Calling Window is open, there is time before
 *   the limit, and the execution still waits (a `check` first: a stopped execution rings nobody);
 * - sends the results to its waiting execution once every row is done, or at the limit.
 * Only this process holds n8n's resume token (in memory) and the sweep key whose hash the rows keep.
 * If it stops (a restart, a worker gone), nothing more is dialed: n8n's own timer resumes the
 * execution after the grace, the rows still waiting marked timed out, and Call → Get Results finds them.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { dialedAtMsOf, isRecordOfCall } from '../../shared/callRecordMatch';
import { PlatformError } from '../../shared/platform/platformErrors';
import { CREDENTIAL_TYPE, detachedPlatformContext } from '../../shared/platform/sendToPlatform';
import { callHashIn } from '../../shared/waitReference';
import { CallPacer } from '../dialing/callPacer';
import { isOpen, type CallingWindow } from '../dialing/callingWindow';
import { readCallingWindowOption } from '../dialing/outsideCallingWindow';
import { readBatchSettings, type BatchSettings } from '../dialing/paceSettings';
import { placeVoiceMenuCall } from '../dialing/placeVoiceMenuCall';
import type { VoiceMenuRequest } from '../dialing/readVoiceMenuRequest';
import { readerFor, type AccountReader } from './accountReader';
import { readRedialSettings, REDIAL_LAST_BEFORE_LIMIT_MS, rowState, type RedialSettings } from './redial';
import { PROTOCOL, readReply, RESULTS_PATH, withoutResumeToken, type Reply, type RowResult, type SweepMessage } from './waitProtocol';
import { FINAL_READ_WITHIN_MS, lastDeliveryStartMs, LIVENESS_CHECK_EVERY_MS, RESUME_GRACE_MS, RETRY_AFTER_MS, SWEEP_REQUEST_TIMEOUT_MS, TICK_MS } from './waitTiming';
import type { WaitSettings } from './waitRows';

/** One waiting row, as the dialing process follows it. */
interface CampaignRow {
	key: string;
	destnumber: string;
	dialedAtMs: number;
	/** The call hash of each possible call, in order: the first, then the redials'. */
	hashes: string[];
	/** The customuuid of each redial, in order. */
	redialReferences: string[];
	/** The request the first call went out with, for redials. */
	request: VoiceMenuRequest;
	/** Calls placed (or that may have been): counted before a redial is sent. */
	calls: number;
	/** The record of each call placed, once read. */
	records: Array<IDataObject | undefined>;
	stopped?: string;
	note?: string;
}

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

/** The request a row's first call went out with, rebuilt from the kept row. */
function requestOf(json: IDataObject): VoiceMenuRequest {
	const request: VoiceMenuRequest = {
		destnumber: String(json.destnumber),
		voicetype: String(json.voicetype) === '2' ? '2' : '1',
		voicefile: String(json.voicefile),
		chengshudu: String(json.chengshudu),
		userid: String(json.userid),
	};
	if (typeof json.disnumber === 'string' && json.disnumber) request.disnumber = json.disnumber;
	return request;
}

function campaignRowOf(row: INodeExecutionData, dialedFromMs: number): CampaignRow | undefined {
	const json = row.json;
	if (typeof json.waitCallHash !== 'string') return undefined;
	const redialReferences = (Array.isArray(json.waitRedialReferences) ? json.waitRedialReferences : []).map(String);
	const later = redialReferences.map((reference) => callHashIn(reference) ?? '');
	return {
		key: json.waitCallHash,
		destnumber: String(json.destnumber ?? ''),
		dialedAtMs: dialedAtMsOf(json) ?? dialedFromMs,
		hashes: [json.waitCallHash, ...later],
		redialReferences,
		request: requestOf(json),
		calls: 1,
		records: [],
	};
}

/**
 * Keeps the rows with the execution, puts it to wait, and starts following the campaign in this
 * process. The rows are what n8n passes on if its own timer resumes the execution.
 */
export async function waitForResults(
	context: IExecuteFunctions,
	rows: INodeExecutionData[],
	{ deadlineMs, dialedFromMs, sweepKey, settings }: { deadlineMs: number; dialedFromMs: number; sweepKey: string; settings: WaitSettings },
): Promise<void> {
	context.getExecuteData().data = { main: [rows] };
	await context.putExecutionToWait(new Date(deadlineMs + RESUME_GRACE_MS));
	const url = resultsUrlOf(context, settings.resumeUrlBase);
	if (!url) {
		context.logger.warn('SIP Call: n8n gave this execution no resume URL, so its results are not sent before the wait limit.');
		return;
	}
	const campaign = new Campaign({
		logger: context.logger,
		url,
		sweepKey,
		deadlineMs,
		platformTimeZone: settings.platformTimeZone,
		rows: rows.flatMap((row) => campaignRowOf(row, dialedFromMs) ?? []),
		redial: readRedialSettings(context, settings.limitMinutes),
		pace: readBatchSettings(context),
		callingWindow: readCallingWindowOption(context),
		credentials: await context.getCredentials(CREDENTIAL_TYPE),
	});
	void campaign.run(readerFor(campaign.credentials, settings.platformTimeZone), dialedFromMs);
}

/** Failed requests in a row before the first warning; after it, one at every doubling. */
const WARN_AFTER_FAILURES = 4;

class Campaign {
	private readonly byHash = new Map<string, { row: CampaignRow; call: number }>();
	private failures = 0;
	private lastCheckMs = Date.now();
	/** One pacer for the whole wait: redials placed a tick apart still keep to Calls per Second together. */
	private readonly pacer: CallPacer;
	readonly credentials: ICredentialDataDecryptedObject;

	constructor(
		private readonly setup: {
			logger: Logger;
			url: string;
			sweepKey: string;
			deadlineMs: number;
			platformTimeZone: string;
			rows: CampaignRow[];
			redial?: RedialSettings;
			pace: BatchSettings;
			callingWindow?: CallingWindow;
			credentials: ICredentialDataDecryptedObject;
		},
	) {
		this.credentials = setup.credentials;
		this.pacer = new CallPacer(setup.pace.callsPerSecond);
		for (const row of setup.rows) row.hashes.forEach((hash, call) => this.byHash.set(hash, { row, call }));
	}

	/** A record read by the account's reader: the call it is of, if it is one of these rows' (reference, number, dial time). */
	private take(records: IDataObject[]): void {
		for (const record of records) {
			const hash = callHashIn(record.customuuid);
			const found = hash ? this.byHash.get(hash) : undefined;
			if (!found || found.row.records[found.call]) continue;
			if (isRecordOfCall(record, { destnumber: found.row.destnumber, dialedAtMs: found.row.dialedAtMs }, this.setup.platformTimeZone)) found.row.records[found.call] = record;
		}
	}

	private stateOf(row: CampaignRow) {
		return rowState(row.records[row.calls - 1], row, { settings: this.setup.redial, platformTimeZone: this.setup.platformTimeZone, deadlineMs: this.setup.deadlineMs });
	}

	async run(reader: AccountReader, dialedFromMs: number): Promise<void> {
		const { deadlineMs, logger } = this.setup;
		const stopReading = reader.watch({ dialedFromMs, deadlineMs, onRecords: (records) => this.take(records) });
		try {
			for (;;) {
				await sleep(TICK_MS);
				const nowMs = Date.now();
				if (nowMs > lastDeliveryStartMs(deadlineMs)) {
					logger.warn(`SIP Call: the waiting execution at ${withoutResumeToken(this.setup.url)} could not be given its results by its wait limit; n8n resumes it by itself, its rows without results marked timed out (Call → Get Results finds them later).`);
					return;
				}
				const states = this.setup.rows.map((row) => ({ row, state: this.stateOf(row) }));
				const allDone = states.every(({ state }) => state.state === 'done');
				// At the limit, the results wait for one read that began after it (within a bound): a record written at the last moment counts.
				const atLimit = nowMs >= deadlineMs && (reader.state.caughtUpAtMs >= deadlineMs || nowMs >= deadlineMs + FINAL_READ_WITHIN_MS);
				if (allDone || atLimit) {
					if (await this.deliver(atLimit ? reader.state.problem : undefined)) return;
					continue;
				}
				const due = states.filter(({ state }) => state.state === 'due' && state.atMs <= nowMs).map(({ row }) => row);
				if (due.length && this.windowOpen(nowMs)) {
					const reply = await this.send({ protocol: PROTOCOL, kind: 'check', sweepKey: this.setup.sweepKey });
					if (reply.outcome === 'waiting') await this.placeRedials(due);
					else if (reply.outcome !== 'notReached') return;
				} else if (nowMs - this.lastCheckMs >= LIVENESS_CHECK_EVERY_MS) {
					// A stopped execution: its reader and this loop end, not at the limit days later.
					const reply = await this.send({ protocol: PROTOCOL, kind: 'check', sweepKey: this.setup.sweepKey });
					if (reply.outcome !== 'waiting' && reply.outcome !== 'notReached') return;
				}
			}
		} finally {
			stopReading();
		}
	}

	private windowOpen(nowMs: number): boolean {
		return !this.setup.callingWindow || isOpen(this.setup.callingWindow, nowMs);
	}

	/**
	 * Places the due rows' next calls at the node's pace. Each is checked again just before it goes
	 * out (still due, window open, time before the limit): a batch that runs long stops in time.
	 */
	private async placeRedials(due: CampaignRow[]): Promise<void> {
		const { pace, credentials, deadlineMs, platformTimeZone } = this.setup;
		const platform = detachedPlatformContext(platformTimeZone);
		let next = 0;
		const placeNext = async (row: CampaignRow) => {
			const release = await this.pacer.acquire();
			try {
				const nowMs = Date.now();
				const state = this.stateOf(row);
				if (state.state !== 'due' || state.atMs > nowMs || !this.windowOpen(nowMs) || nowMs > deadlineMs - REDIAL_LAST_BEFORE_LIMIT_MS) return;
				const reference = row.redialReferences[row.calls - 1];
				if (!reference) return;
				row.calls += 1;
				try {
					await placeVoiceMenuCall(platform, credentials, { ...row.request, customuuid: reference }, { timeoutMs: pace.timeoutMs });
				} catch (error) {
					// Refused for sure: not placed, and that row's redials stop. Anything else may have gone out: it stays counted.
					if (error instanceof PlatformError && !error.mayHaveBeenPlaced) {
						row.calls -= 1;
						row.stopped = `Call ${row.calls + 1} was refused by the platform: ${error.message}`;
					}
				}
			} finally {
				release?.();
			}
		};
		const worker = async () => {
			while (next < due.length) await placeNext(due[next++]);
		};
		await Promise.all(Array.from({ length: Math.min(pace.maxInFlight, due.length) }, async () => await worker()));
	}

	/** The results message: each row's calls' records, and why it was not called again. */
	private resultsMessage(lookupProblem?: string): SweepMessage {
		const rows: Record<string, RowResult> = {};
		for (const row of this.setup.rows) {
			const records = row.records.slice(0, row.calls).map((record) => record ?? null);
			while (records.length < row.calls) records.push(null);
			const state = this.stateOf(row);
			const note = state.state === 'done' ? state.note : state.state === 'due' ? 'The Wait Limit came before the next call.' : undefined;
			if (!records.some(Boolean) && row.calls === 1) continue;
			rows[row.key] = { records, ...(note ? { note } : {}) };
		}
		return { protocol: PROTOCOL, kind: 'results', sweepKey: this.setup.sweepKey, rows, ...(lookupProblem ? { lookupProblem } : {}) };
	}

	/** Sends the results; true when nothing more is to be done (resumed, or nobody waits). */
	private async deliver(lookupProblem?: string): Promise<boolean> {
		const reply = await this.send(this.resultsMessage(lookupProblem));
		if (reply.outcome === 'notReached') {
			await sleep(Math.min(30_000, RETRY_AFTER_MS * 2 ** Math.max(0, this.failures - 1)));
			return false;
		}
		if (reply.outcome === 'refused') this.setup.logger.warn(`SIP Call: the waiting execution refused its results: ${reply.message}`);
		return true;
	}

	/** One message to the waiting execution; what the answer means (never throws). */
	private async send(message: SweepMessage): Promise<Reply> {
		const { url, logger } = this.setup;
		this.lastCheckMs = Date.now();
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(message),
				signal: AbortSignal.timeout(SWEEP_REQUEST_TIMEOUT_MS),
			});
			const body = (await response.json().catch(() => ({}))) as IDataObject;
			const reply = readReply(response.status, body);
			this.failures = reply.outcome === 'notReached' ? this.failures + 1 : 0;
			return reply;
		} catch (error) {
			this.failures += 1;
			if (this.failures >= WARN_AFTER_FAILURES && (this.failures & (this.failures - 1)) === 0) {
				logger.warn(
					`SIP Call: ${this.failures} requests in a row to the waiting execution at ${withoutResumeToken(url)} failed ` +
						`(${withoutResumeToken((error as Error).message)}). Check that n8n is reachable there from this process, or set Wait Options → Resume URL Base.`,
				);
			}
			return { outcome: 'notReached', why: (error as Error).message };
		}
	}
}
