/**
 * Rows still without a result, looked up in the platform's call records: their CDR callbacks may
 * have been lost (or refused by a busy n8n) while the platform kept the records. One GetBill sweep
 * over the calls' dial times finds them by the call secret in customuuid, even when the platform
 * cut the reference short; a row comes out timed out only when the platform has no record of its
 * call either.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { PageBudget } from '../../shared/platform/callRecordPages';
import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { cutReferenceLength, MAX_CUSTOMUUID_LENGTH, recordsOfCalls, SHORTEST_TOKEN_REFERENCE } from '../../shared/waitForResult/waitReference';
import { DEFAULT_WAIT_MINUTES } from './waitSettings';

/**
 * The look-up runs inside a hand-over request: counted from the request's start, it must end well
 * before the sender gives up on it (HAND_OVER_TIMEOUT_MS, 15 s), so that no sender retries a
 * request that resumed the execution.
 */
export const LOOKUP_BUDGET_MS = 8000;

/** Before the earliest dial time the platform answered with (its clock may differ a little). */
const CLOCK_MARGIN_MS = 5 * 60_000;
/** Without a dial time: the longest a list may have taken to dial before the wait began. */
const LONGEST_DIALING_MS = 2 * 3600_000;

function dialedFromMs(missing: INodeExecutionData[], waitLimitMs: number): number {
	const requested = missing.map((row) => Date.parse(String(row.json.requestedAt ?? '')));
	if (requested.every(Number.isFinite)) return Math.min(...requested) - CLOCK_MARGIN_MS;
	return Math.min(...missing.map((row) => Number(row.json.waitDeadlineMs))) - waitLimitMs - LONGEST_DIALING_MS;
}

export interface LookedUp {
	/** The records of the missing rows' calls, by call hash. */
	found: Map<string, IDataObject>;
	/** Why the look-up read less than every record (the platform refused, or its time ran out), in words. */
	shortBy?: string;
}

/**
 * Looks the missing rows up until `stopAtMs`. A look-up that fails or runs out of time keeps what
 * it read, logs why, and says so: the execution still resumes, and its timed-out rows say why.
 */
export async function pullMissingResults(
	context: IWebhookFunctions,
	missing: INodeExecutionData[],
	platformTimeZone: string,
	stopAtMs: number,
): Promise<LookedUp> {
	if (!missing.length) return { found: new Map() };
	const wanted = new Set(missing.map((row) => String(row.json.waitCallHash)));
	const waitLimitMs = Number(context.getNodeParameter('waitLimit', DEFAULT_WAIT_MINUTES)) * 60_000;
	const budget: PageBudget = { stopAtMs };
	let records: IDataObject[] = [];
	try {
		records = await pullCallRecords(
			context,
			{ fromMs: dialedFromMs(missing, waitLimitMs), toMs: Date.now() + 60_000, timeZone: platformTimeZone, direction: 'outbound' },
			undefined,
			budget,
		);
	} catch (error) {
		budget.shortBy = (error as Error).message;
	}
	if (budget.shortBy) {
		context.logger.warn(`SIP Call: the look-up of ${missing.length} calls without a result in the platform's call records was cut short: ${budget.shortBy}`);
	}
	const found = recordsOfCalls(records, wanted);
	const cutLengths = new Set<number>();
	for (const record of found.values()) {
		const cutLength = cutReferenceLength(record.customuuid);
		if (cutLength) cutLengths.add(cutLength);
	}
	if (cutLengths.size) context.logger.warn(cutReferenceWarning([...cutLengths]));
	return { found, shortBy: budget.shortBy };
}

function cutReferenceWarning(lengths: number[]): string {
	return (
		`SIP Call: the platform returned customuuid cut to ${lengths.join(' or ')} characters; the wait reference needs ` +
		`${SHORTEST_TOKEN_REFERENCE} to ${MAX_CUSTOMUUID_LENGTH}. CDR callbacks cannot find this execution, so results came from the ` +
		'platform\'s call records instead (at the wait limit at the latest). Ask the platform to keep customuuid whole.'
	);
}
