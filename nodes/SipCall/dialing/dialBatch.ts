/**
 * Dials every input item at the platform's pace: a few requests in flight, a ceiling on calls per
 * second, retries only where the platform provably did not act, and one output item per input
 * item, in order, paired to its input. A stopped execution stops dialing at once. Outside the
 * Calling Window, rows not sent yet come out marked instead, for its next opening.
 */
import { randomUUID } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PlatformError } from '../../shared/platform/platformErrors';
import { CREDENTIAL_TYPE } from '../../shared/platform/sendToPlatform';
import { CallPacer, pauseUnlessStopped } from './callPacer';
import { describeRequest, placeVoiceMenuCall } from './placeVoiceMenuCall';
import { readRowIdentity, readVoiceMenuRequest, type VoiceMenuRequest } from './readVoiceMenuRequest';
import { readBatchSettings } from './paceSettings';
import { retryDelay } from './retryPolicy';
import { earlierTriesOf } from './earlierTries';
import { notAllowedReason, readCallLimits, reserveCalls } from './callLimits';
import { checkAlreadyCalled, readSkipSettings } from './skipAlreadyCalled';
import { CallingWindowGate, outsideWindowRow, readCallingWindowOption } from './outsideCallingWindow';

/** Without the user's own customuuid, each call gets a unique one, so its CDR can be matched to its row. */
function withCallReference(request: VoiceMenuRequest): { request: VoiceMenuRequest; generated: boolean } {
	if (request.customuuid) return { request, generated: false };
	return { request: { ...request, customuuid: `n8n-${randomUUID()}` }, generated: true };
}

/**
 * A row before dialing. `read`: the request as the row makes it, before a reference is assigned (how
 * earlier tries and Skip Numbers Already Called know the row).
 */
type ReadRow =
	| { request: VoiceMenuRequest; generated: boolean; read: VoiceMenuRequest }
	| { failure: unknown }
	| { skipped: string; read: VoiceMenuRequest }
	| { earlier: IDataObject };

export interface DialOptions {
	/** Replaces the default call reference, e.g. with one that leads the CDR back to a waiting execution. */
	assignReference?: (request: VoiceMenuRequest, itemIndex: number) => { request: VoiceMenuRequest; generated: boolean };
	/** The most calls one row may get (Redial Who Missed): what Max Calls per Execution counts per row. */
	callsPerRow?: number;
}

async function tryPlacing(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	request: VoiceMenuRequest,
	timeoutMs: number,
): Promise<{ json: IDataObject } | { error: unknown }> {
	try {
		return { json: await placeVoiceMenuCall(context, credentials, request, { timeoutMs }) };
	} catch (error) {
		return { error };
	}
}

export async function dialBatch(context: IExecuteFunctions, options: DialOptions = {}): Promise<INodeExecutionData[]> {
	const assignReference = options.assignReference ?? withCallReference;
	const itemCount = context.getInputData().length;
	const settings = readBatchSettings(context);
	const callingWindow = new CallingWindowGate(readCallingWindowOption(context));
	const signal = context.getExecutionCancelSignal?.();
	const pacer = new CallPacer(settings.callsPerSecond, signal);
	// Read and decrypted once for the whole batch, not once per call.
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const tries = earlierTriesOf(context);
	const results: Array<INodeExecutionData | undefined> = new Array(itemCount);
	const placed: number[] = [];
	/** Rows whose call went out or may have: their claims and count stand. */
	const mayBeOut = new Set<number>();
	let firstFailure: NodeOperationError | undefined;
	let next = 0;

	// Every row is read (expressions evaluated, fields checked, the node's limits applied) before the
	// first call. Without Continue On Fail a refused row fails the run before anyone is rung: a run
	// that failed half-way and is run again (n8n's Retry On Fail) would ring the rows before it twice.
	const limits = readCallLimits(context);
	const rows: ReadRow[] = Array.from({ length: itemCount }, (_, itemIndex) => {
		try {
			const read = readVoiceMenuRequest(context, itemIndex);
			const notAllowed = notAllowedReason(read.destnumber, limits);
			if (notAllowed) return { failure: new NodeOperationError(context.getNode(), notAllowed.message, { itemIndex, description: notAllowed.description }) };
			const assigned = assignReference(read, itemIndex);
			const earlier = tries.recall(itemIndex, read);
			return earlier ? { earlier } : { ...assigned, read };
		} catch (invalid) {
			return { failure: invalid };
		}
	});
	failOnFirstRefusal(rows, 'Every row is checked before the first call: no call was placed in this run.');

	const skipSettings = readSkipSettings(context);
	const toDial = () => rows.flatMap((row, itemIndex) => ('request' in row ? [{ itemIndex, request: row.read }] : []));
	const skipCheck = skipSettings ? await checkAlreadyCalled(context, skipSettings, toDial()) : undefined;
	for (const [itemIndex, reason] of skipCheck?.skipped ?? []) rows[itemIndex] = { skipped: reason, read: (rows[itemIndex] as { read: VoiceMenuRequest }).read };

	// Counted before dialing, so that runs of this node side by side (an agent's parallel tool calls) cannot pass the limit together.
	const callsPerRow = options.callsPerRow ?? 1;
	const candidates = toDial().map(({ itemIndex }) => itemIndex);
	const callCount = await reserveCalls(context, limits, candidates.length, callsPerRow);
	const overLimit = candidates.slice(callCount.rows);
	if (callCount.refusal) {
		const { message, description } = callCount.refusal;
		for (const itemIndex of overLimit) rows[itemIndex] = { failure: new NodeOperationError(context.getNode(), message, { itemIndex, description }) };
		const willStop = !context.continueOnFail();
		await skipCheck?.release(willStop ? candidates : overLimit);
		if (willStop) await callCount.giveBack(toDial().length);
		failOnFirstRefusal(rows, 'No call was placed in this run.');
	}

	function failOnFirstRefusal(readRows: ReadRow[], note: string) {
		if (context.continueOnFail()) return;
		const refusedIndex = readRows.findIndex((row) => 'failure' in row);
		if (refusedIndex === -1) return;
		const refused = toNodeError(context, (readRows[refusedIndex] as { failure: unknown }).failure, refusedIndex);
		refused.description = `${refused.description ?? ''} ${note}`.trim();
		throw refused;
	}

	async function dialItem(itemIndex: number): Promise<INodeExecutionData | undefined> {
		const row = rows[itemIndex];
		if ('earlier' in row) return answerOfEarlierTry(row.earlier, itemIndex);
		if ('skipped' in row) return { json: { accepted: false, skipped: true, skipReason: row.skipped, ...describeRequest(row.read) }, pairedItem: { item: itemIndex } };
		const request = 'request' in row ? row.request : undefined;
		const generated = 'generated' in row ? row.generated : false;
		let failure = 'failure' in row ? row.failure : undefined;
		for (let attempt = 1; request && failure === undefined; attempt++) {
			if (attempt === 1 && callingWindow.shutOpensAtMs !== undefined) return outsideWindowRow(context, itemIndex, callingWindow.shutOpensAtMs, callingWindow.timeZone);
			const releaseSlot = await pacer.acquire();
			if (!releaseSlot) return undefined;
			// Decided when the row's first request would go out: a list that runs past the window's end stops there.
			const opensAtMs = attempt === 1 ? callingWindow.opensAtIfShut(Date.now()) : undefined;
			if (opensAtMs !== undefined) {
				releaseSlot();
				return outsideWindowRow(context, itemIndex, opensAtMs, callingWindow.timeZone);
			}
			const outcome = await tryPlacing(context, credentials, request, settings.timeoutMs);
			releaseSlot();
			if ('json' in outcome) {
				placed.push(itemIndex);
				mayBeOut.add(itemIndex);
				const json = { ...outcome.json, customuuidGenerated: generated, attempts: attempt };
				tries.remember(itemIndex, (row as { read: VoiceMenuRequest }).read, json);
				return { json, pairedItem: { item: itemIndex } };
			}
			const wait = retryDelay(outcome.error, attempt, settings.retry);
			if (wait === undefined) failure = outcome.error;
			else if (!(await pauseUnlessStopped(wait, signal))) return undefined;
		}

		const nodeError = toNodeError(context, failure, itemIndex);
		const json: IDataObject = {
			accepted: false,
			error: nodeError.message,
			errorDescription: nodeError.description ?? null,
			mayHaveBeenPlaced: failure instanceof PlatformError ? failure.mayHaveBeenPlaced : false,
			...(failure instanceof PlatformError ? failure.details : {}),
			...(request ? describeRequest(request) : readRowIdentity(context, itemIndex)),
			customuuidGenerated: generated,
		};
		// A call that may have gone out is never sent again by a retry of this run.
		if (json.mayHaveBeenPlaced === true && 'read' in row) {
			mayBeOut.add(itemIndex);
			tries.remember(itemIndex, row.read, json);
		}
		if (!context.continueOnFail()) {
			firstFailure ??= nodeError;
			return undefined;
		}
		return { json, pairedItem: { item: itemIndex } };
	}

	/** A row an earlier try of this run placed (or may have placed): its answer then, not a second call. */
	function answerOfEarlierTry(earlier: IDataObject, itemIndex: number): INodeExecutionData | undefined {
		const json = { ...earlier, placedInEarlierTry: true };
		if (earlier.accepted !== true && !context.continueOnFail()) {
			firstFailure ??= new NodeOperationError(
				context.getNode(),
				`Row ${itemIndex + 1}'s call may have been placed by an earlier try of this run (${String(earlier.error)}); it is not sent again`,
				{ itemIndex, description: 'Check it with Call → Get Results before calling this number again. Use Continue On Fail (or the error output) instead of Retry On Fail to go on past such a row.' },
			);
			return undefined;
		}
		return { json, pairedItem: { item: itemIndex } };
	}

	async function worker() {
		while (!firstFailure && !signal?.aborted && next < itemCount) {
			const itemIndex = next++;
			await skipCheck?.keepClaimed(Date.now());
			results[itemIndex] = await dialItem(itemIndex);
		}
	}

	await Promise.all(Array.from({ length: Math.min(settings.maxInFlight, itemCount) }, async () => await worker()));

	// Rows not dialed after all (refused by the platform, or not reached): a later run may call them.
	const notOut = toDial().filter(({ itemIndex }) => !mayBeOut.has(itemIndex));
	await callCount.giveBack(notOut.length);
	await skipCheck?.release(notOut.map(({ itemIndex }) => itemIndex));

	if (firstFailure) {
		const placedNote = placed.length
			? ` Calls placed in this run before it stopped: ${placed.length} (items ${placed.sort((a, b) => a - b).join(', ')}); they are not placed again if you fix the row and rerun only the failed ones.`
			: ' No call was placed in this run.';
		firstFailure.description = `${firstFailure.description ?? ''}${placedNote}`.trim();
		throw firstFailure;
	}
	return results.filter((item): item is INodeExecutionData => item !== undefined);
}

export function toNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeOperationError {
	if (error instanceof PlatformError) {
		return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: error.description });
	}
	if (error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
