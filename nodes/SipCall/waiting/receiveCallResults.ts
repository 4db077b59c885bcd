/**
 * The waiting node's side of a hand-over from the SIP Call Trigger: the body carries every CDR
 * the trigger gathered for this execution. Each must carry the call secret of one of the kept
 * rows; the execution resumes when every row has its CDR, or when the wait limit has passed
 * (then the platform's records are searched for the rows still missing, pullMissingResults).
 * A request that proves no call leaves the execution untouched.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE, readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { handOverAnswers } from '../../shared/waitForResult/handOver';
import { decodeWaitReference, hashCallSecret } from '../../shared/waitForResult/waitReference';
import { pullMissingResults } from './pullMissingResults';
import { completedRow, timedOutRow } from './waitResults';

function readKeptRows(context: IWebhookFunctions): INodeExecutionData[] {
	const text = context.evaluateExpression('{{ JSON.stringify($input.all()) }}', 0);
	try {
		const rows = JSON.parse(String(text)) as unknown;
		return Array.isArray(rows) ? (rows as INodeExecutionData[]) : [];
	} catch {
		return [];
	}
}

function answer(context: IWebhookFunctions, { status, body }: { status: number; body: IDataObject }): void {
	const response = context.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

export async function receiveCallResults(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = context.getBodyData();
	const cdrs = (Array.isArray(body.cdrs) ? body.cdrs : []).map((cdr) =>
		cdr && typeof cdr === 'object' && !Array.isArray(cdr) ? (cdr as IDataObject) : {},
	);
	const kept = readKeptRows(context);
	const waiting = kept.filter((row) => typeof row.json?.waitCallHash === 'string');
	if (!waiting.length) {
		answer(context, handOverAnswers.notWaiting());
		return { noWebhookResponse: true };
	}

	// One hash per CDR, looked up among the kept rows: a batch of 1,000 stays cheap. A CDR that
	// proves no row, or a second one for a row, is not taken: the trigger gives it out instead.
	const rowsByHash = new Map(waiting.map((row) => [String(row.json.waitCallHash), row]));
	const results = new Map<string, IDataObject>();
	const notTaken: number[] = [];
	cdrs.forEach((cdr, index) => {
		const reference = decodeWaitReference(cdr.customuuid);
		const callHash = reference && hashCallSecret(reference.callSecret);
		if (callHash && rowsByHash.has(callHash) && !results.has(callHash)) results.set(callHash, cdr);
		else notTaken.push(index);
	});
	if (!results.size) {
		answer(context, handOverAnswers.noCallProven(notTaken));
		return { noWebhookResponse: true };
	}

	const deadlineMs = Number(waiting[0].json.waitDeadlineMs);
	const complete = results.size === waiting.length;
	if (!complete && Date.now() < deadlineMs) {
		answer(context, handOverAnswers.keepWaiting(results.size, waiting.length, deadlineMs, notTaken));
		return { noWebhookResponse: true };
	}

	const zone = readPlatformTimeZone(context.getNodeParameter('waitOptions.platformTimeZone', DEFAULT_PLATFORM_TIME_ZONE));
	// Checked when the calls were placed; a zone changed since then cannot stop the results.
	const platformTimeZone = typeof zone === 'string' ? zone : DEFAULT_PLATFORM_TIME_ZONE;
	if (!complete) {
		const missing = waiting.filter((row) => !results.has(String(row.json.waitCallHash)));
		for (const [callHash, record] of await pullMissingResults(context, missing, platformTimeZone)) results.set(callHash, record);
	}
	const output = kept.map((row) => {
		const callHash = row.json?.waitCallHash;
		if (typeof callHash !== 'string') return row;
		const cdr = results.get(callHash);
		return cdr ? completedRow(row, cdr, platformTimeZone) : timedOutRow(row);
	});
	answer(context, handOverAnswers.resumed(results.size, waiting.length - results.size, notTaken));
	return { noWebhookResponse: true, workflowData: [output] };
}
