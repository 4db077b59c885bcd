/**
 * The waiting node's side of a hand-over: the body carries every CDR the sender (either trigger,
 * or the dialing process at the limit) gathered for this execution. Each must carry the call
 * secret of one of the kept rows. Rows still missing are looked up in the platform's records
 * (pullMissingResults) on every hand-over, so results lost on the way still arrive soon. The
 * execution resumes when every row has its result, or when the wait limit has passed. Before the
 * limit, a request that proves no call leaves the execution untouched.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE, readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { cdrIdentity, handOverAnswers } from '../../shared/waitForResult/handOver';
import { callHashIn } from '../../shared/waitForResult/waitReference';
import { LOOKUP_BUDGET_MS, pullMissingResults } from './pullMissingResults';
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
	const startedAtMs = Date.now();
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
		const callHash = callHashIn(cdr.customuuid);
		if (callHash && rowsByHash.has(callHash) && !results.has(callHash)) results.set(callHash, cdr);
		else notTaken.push(index);
	});
	const deadlineMs = Number(waiting[0].json.waitDeadlineMs);
	const pastLimit = Date.now() >= deadlineMs;
	// Before the limit only a request that proves a call may look further; at the limit anyone
	// holding the resume URL may ask (the dialing process does), as n8n would resume it anyway.
	if (!results.size && !pastLimit) {
		answer(context, handOverAnswers.noCallProven(notTaken));
		return { noWebhookResponse: true };
	}

	const zone = readPlatformTimeZone(context.getNodeParameter('waitOptions.platformTimeZone', DEFAULT_PLATFORM_TIME_ZONE));
	// Checked when the calls were placed; a zone changed since then cannot stop the results.
	const platformTimeZone = typeof zone === 'string' ? zone : DEFAULT_PLATFORM_TIME_ZONE;
	// Results the callbacks did not bring (lost, refused by a busy n8n, or a cut reference) come
	// from the platform's records: only its own records fill a row.
	let lookupProblem: string | undefined;
	if (results.size < waiting.length) {
		const missing = waiting.filter((row) => !results.has(String(row.json.waitCallHash)));
		const lookedUp = await pullMissingResults(context, missing, platformTimeZone, startedAtMs + LOOKUP_BUDGET_MS);
		for (const [callHash, record] of lookedUp.found) results.set(callHash, record);
		lookupProblem = lookedUp.shortBy;
	}
	const complete = results.size === waiting.length;
	if (!complete && !pastLimit) {
		answer(context, handOverAnswers.keepWaiting(results.size, waiting.length, deadlineMs, notTaken));
		return { noWebhookResponse: true };
	}

	const output = kept.map((row) => {
		const callHash = row.json?.waitCallHash;
		if (typeof callHash !== 'string') return row;
		const cdr = results.get(callHash);
		return cdr ? completedRow(row, cdr, platformTimeZone) : timedOutRow(row, lookupProblem);
	});
	answer(context, handOverAnswers.resumed(results.size, waiting.length - results.size, notTaken, [...results.values()].map(cdrIdentity)));
	return { noWebhookResponse: true, workflowData: [output] };
}
