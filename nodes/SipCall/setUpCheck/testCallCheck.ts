/**
 * Check Set-up with a test call: one Voice Menu call to the user's own number, placed with a long
 * customuuid of its own; then the platform's call records are looked up (App.Sip_Cdr.GetBill,
 * time-boxed) for it: was it recorded, and did customuuid come back whole. Whether its CDR reached
 * a SIP Call Trigger is another workflow's business, which this node cannot read: that line says
 * how to look by hand.
 */
import { randomInt } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { wasAnswered } from '../../shared/callRecordMatch';
import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { PlatformError } from '../../shared/platform/platformErrors';
import { hangupCauseName } from '../../shared/platform/vendorCodes';
import { WAIT_REFERENCE_LENGTH } from '../../shared/waitReference';
import { placeVoiceMenuCall } from '../dialing/placeVoiceMenuCall';
import type { CallReservation } from '../dialing/callLimits';
import type { VoiceMenuRequest } from '../dialing/readVoiceMenuRequest';
import { failedLine, passedLine, uncheckedLine, type CheckLine } from './checkLines';
import type { SetUpCheckSettings } from './setUpCheckSettings';

const PLACED = 'Test call placed';
const RECORDED = 'Test call recorded';
const WHOLE = 'customuuid came back whole';
const TRIGGER = 'CDR reached a SIP Call Trigger';

/** The vendor documents no maximum for customuuid (its newest example has 32 characters): the check sends twice that. */
export const CHECK_REFERENCE_PREFIX = 'sipcheck';
export const CHECK_REFERENCE_LENGTH = 64;
/** A record is taken for the test call's when its customuuid is at least this much of the reference (the prefix and 4 random characters). */
const SHORTEST_MATCH = CHECK_REFERENCE_PREFIX.length + 4;
const CALL_TIMEOUT_MS = 30_000;
const FIRST_LOOK_AFTER_MS = 2_000;
const LOOK_EVERY_MS = 5_000;
const STOP_CHECK_MS = 250;
/** Before the call and after now, by this server's clock: the platform's clock may differ a little. */
const CLOCK_MARGIN_MS = 5 * 60_000;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newCheckReference(): string {
	const random = Array.from({ length: CHECK_REFERENCE_LENGTH - CHECK_REFERENCE_PREFIX.length }, () => ALPHABET[randomInt(ALPHABET.length)]);
	return `${CHECK_REFERENCE_PREFIX}${random.join('')}`;
}

/** The lines of the test call when it is not placed (turned off, or the sign-in failed). */
export function testCallNotRun(why: string, whatToDo: string | null): CheckLine[] {
	return [PLACED, RECORDED, WHOLE, TRIGGER].map((check) => uncheckedLine(check, why, whatToDo));
}

/** The test call's record: the one whose customuuid is the reference, or the longest start of it. */
export function recordOfCheck(records: IDataObject[], reference: string): IDataObject | undefined {
	let best: IDataObject | undefined;
	for (const record of records) {
		const returned = String(record.customuuid ?? '').trim();
		if (returned.length < SHORTEST_MATCH || !reference.startsWith(returned)) continue;
		if (!best || returned.length > String(best.customuuid).trim().length) best = record;
	}
	return best;
}

/** Sleeps, in short steps so that a stopped execution stops looking at once. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	const untilMs = Date.now() + ms;
	while (!signal?.aborted && Date.now() < untilMs) await sleep(Math.min(STOP_CHECK_MS, untilMs - Date.now()));
}

export async function checkTestCall(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	call: VoiceMenuRequest,
	settings: SetUpCheckSettings,
	/** The test call's place under the node's call limits: given back when the call certainly was not placed. */
	reservation: CallReservation,
): Promise<CheckLine[]> {
	const reference = newCheckReference();
	const dialedAtMs = Date.now();
	try {
		await placeVoiceMenuCall(context, credentials, { ...call, customuuid: reference }, { timeoutMs: CALL_TIMEOUT_MS });
	} catch (error) {
		if (!(error instanceof PlatformError)) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex: 0 });
		if (!error.mayHaveBeenPlaced) await reservation.giveBack(1);
		const whatToDo = error.mayHaveBeenPlaced
			? `Your phone may still ring. ${error.description}`
			: `${error.description} Check Test Call To and the voice and transfer fields of this check: they are sent as Play Voice Menu sends them.`;
		return [failedLine(PLACED, error.message, whatToDo), ...testCallNotRun('Not checked: the test call was not placed.', null).slice(1)];
	}
	const placed = passedLine(PLACED, `The platform started a call to ${call.destnumber}, with customuuid ${reference} (${reference.length} characters).`);

	const { record, lastProblem } = await lookForRecord(context, call.destnumber, reference, dialedAtMs, settings);
	const minutes = Math.round((settings.recordWaitMs / 60_000) * 10) / 10;
	if (!record) {
		return [
			placed,
			failedLine(
				RECORDED,
				`No record of the test call was found in the platform's call records within ${minutes} minutes${lastProblem ? `; the last look-up failed: ${lastProblem}` : ''}.`,
				`Did your phone ring? If it did, answer, listen and hang up sooner, or raise Options → Wait for Record: the platform writes a call's record only after the call ends. If it rang and you hung up well before the time ran out, the platform may cut customuuid very short or drop it: look for the call to ${call.destnumber} in Call Record → Get Many and compare its customuuid with ${reference}. If it never rang, ask your vendor why the call to ${call.destnumber} was not connected.`,
			),
			uncheckedLine(WHOLE, 'Not checked: the test call has no record.'),
			triggerLine(reference, undefined),
		];
	}
	return [placed, recordedLine(record), wholeLine(reference, String(record.customuuid).trim()), triggerLine(reference, record)];
}

async function lookForRecord(
	context: IExecuteFunctions,
	destnumber: string,
	reference: string,
	dialedAtMs: number,
	settings: SetUpCheckSettings,
): Promise<{ record?: IDataObject; lastProblem?: string }> {
	const signal = context.getExecutionCancelSignal();
	const stopAtMs = Date.now() + settings.recordWaitMs;
	let lastProblem: string | undefined;
	let waitMs = FIRST_LOOK_AFTER_MS;
	while (!signal?.aborted) {
		await pause(Math.max(0, Math.min(waitMs, stopAtMs - Date.now())), signal);
		if (signal?.aborted) break;
		waitMs = LOOK_EVERY_MS;
		const query = { fromMs: dialedAtMs - CLOCK_MARGIN_MS, toMs: Date.now() + CLOCK_MARGIN_MS, timeZone: settings.timeZone, destinationNumber: destnumber };
		try {
			const record = recordOfCheck(await pullCallRecords(context, query), reference);
			if (record) return { record };
			lastProblem = undefined;
		} catch (error) {
			lastProblem = (error as Error).message;
		}
		if (Date.now() >= stopAtMs) break;
	}
	return { lastProblem };
}

function recordedLine(record: IDataObject): CheckLine {
	const cause = hangupCauseName(record.hangupcause);
	const outcome = wasAnswered(record) ? `answered, ${Number(record.billsec ?? 0)} s of talk time` : 'not answered';
	const key = String(record.userkey ?? '').trim();
	return passedLine(
		RECORDED,
		`The platform recorded the call (record id ${String(record.id ?? '?')}): ${outcome}${key ? `, key ${key} pressed` : ''}, hang-up ${String(record.hangupcause ?? '?')}${cause ? ` (${cause})` : ''}, ended ${String(record.endtime ?? '?')} platform time.`,
	);
}

function wholeLine(reference: string, returned: string): CheckLine {
	if (returned === reference) {
		return passedLine(WHOLE, `The record holds the whole customuuid: ${returned.length} of ${reference.length} characters.`);
	}
	const short = returned.length < WAIT_REFERENCE_LENGTH
		? ` Play Voice Menu and Wait for Result and Get Results need ${WAIT_REFERENCE_LENGTH} characters for their own references: ask your vendor to keep customuuid whole, or use Play Voice Menu with Custom Data of ${returned.length} characters or fewer.`
		: ` The node's own references (${WAIT_REFERENCE_LENGTH} characters) fit.`;
	return failedLine(
		WHOLE,
		`The test call went out with a customuuid of ${reference.length} characters; its record holds only the first ${returned.length}: the platform keeps at most ${returned.length} characters.`,
		`Keep Play Voice Menu's Custom Data to ${returned.length} characters or fewer, or results will not match your rows.${short}`,
	);
}

function triggerLine(reference: string, record: IDataObject | undefined): CheckLine {
	const when = record ? `from about ${String(record.endtime ?? '')} (platform time)` : 'from the time of the test call';
	const returned = record ? String(record.customuuid).trim() : reference;
	return uncheckedLine(
		TRIGGER,
		'Check by hand: this node cannot see another workflow\'s executions.',
		`Open the workflow with your SIP Call Trigger, then its Executions: an execution ${when} must hold an item with customuuid ${returned}. None there: publish (activate) that workflow, paste the trigger's Production URL (not the Test URL) into the platform's back office as the call detail record (CDR) callback address, and check that the platform can reach n8n's public address. Without a public address, use the SIP Call Record Trigger instead.`,
	);
}
