/**
 * Rows still without a result, looked up in the platform's call records: their CDR callbacks may
 * have been lost (or refused by a busy n8n) while the platform kept the records. One GetBill sweep
 * over the calls' dial times finds them by the call secret in customuuid, even when the platform
 * cut the reference short; a row comes out timed out only when the platform has no record of its
 * call either.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { callSecretIn, cutReferenceLength, decodeWaitReference, hashCallSecret, MAX_CUSTOMUUID_LENGTH, SHORTEST_TOKEN_REFERENCE } from '../../shared/waitForResult/waitReference';
import { DEFAULT_WAIT_MINUTES } from './waitSettings';

/**
 * The sweep runs inside a hand-over request: it must end before the sender gives up on it (15 s)
 * and before n8n resumes the execution by itself (15 s after the limit).
 */
const SWEEP_BUDGET_MS = 10_000;

/** Before the earliest dial time the platform answered with (its clock may differ a little). */
const CLOCK_MARGIN_MS = 5 * 60_000;
/** Without a dial time: the longest a list may have taken to dial before the wait began. */
const LONGEST_DIALING_MS = 2 * 3600_000;

function dialedFromMs(missing: INodeExecutionData[], waitLimitMs: number): number {
	const requested = missing.map((row) => Date.parse(String(row.json.requestedAt ?? '')));
	if (requested.every(Number.isFinite)) return Math.min(...requested) - CLOCK_MARGIN_MS;
	return Math.min(...missing.map((row) => Number(row.json.waitDeadlineMs))) - waitLimitMs - LONGEST_DIALING_MS;
}

/**
 * The records of the missing rows' calls, by call hash. A failed sweep is logged and leaves the
 * rows as they are: the execution still resumes.
 */
export async function pullMissingResults(
	context: IWebhookFunctions,
	missing: INodeExecutionData[],
	platformTimeZone: string,
): Promise<Map<string, IDataObject>> {
	const found = new Map<string, IDataObject>();
	if (!missing.length) return found;
	const wanted = new Set(missing.map((row) => String(row.json.waitCallHash)));
	const waitLimitMs = Number(context.getNodeParameter('waitLimit', DEFAULT_WAIT_MINUTES)) * 60_000;
	let records: IDataObject[];
	try {
		const sweep = pullCallRecords(context, {
			fromMs: dialedFromMs(missing, waitLimitMs),
			toMs: Date.now() + 60_000,
			timeZone: platformTimeZone,
			direction: 'outbound',
		});
		const overBudget = sleep(SWEEP_BUDGET_MS).then(() => {
			throw new Error(`the sweep took longer than ${SWEEP_BUDGET_MS / 1000} s`);
		});
		records = await Promise.race([sweep, overBudget]);
	} catch (error) {
		context.logger.warn(`SIP Call: could not pull the call records of ${missing.length} calls without a result: ${(error as Error).message}`);
		return found;
	}
	const cutLengths = new Set<number>();
	for (const record of records) {
		const callSecret = callSecretIn(record.customuuid);
		const callHash = callSecret && hashCallSecret(callSecret);
		if (!callHash || !wanted.has(callHash) || found.has(callHash)) continue;
		found.set(callHash, record);
		const cutLength = decodeWaitReference(record.customuuid) ? undefined : cutReferenceLength(record.customuuid);
		if (cutLength) cutLengths.add(cutLength);
	}
	if (cutLengths.size) context.logger.warn(cutReferenceWarning([...cutLengths]));
	return found;
}

function cutReferenceWarning(lengths: number[]): string {
	return (
		`SIP Call: the platform returned customuuid cut to ${lengths.join(' or ')} characters; the wait reference needs ` +
		`${SHORTEST_TOKEN_REFERENCE} to ${MAX_CUSTOMUUID_LENGTH}. CDR callbacks cannot find this execution, so results came from the ` +
		'platform\'s call records instead (at the wait limit at the latest). Ask the platform to keep customuuid whole.'
	);
}
