/**
 * "Play Voice Menu and Wait for Result", the waiting side: the node's webhook at the execution's
 * resume URL. It answers only the holder of the sweep key (the process that dialed: campaign.ts),
 * never dials and never reads the platform:
 * - `check`: says it still waits;
 * - `results`: puts every kept row out with the records the dialing process read for it (each
 *   checked to be of that row's call), the rest timed out, and resumes the execution.
 * A request without the key is refused and changes nothing. n8n's own timer is the other way out
 * (the rows as kept: timed out).
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE, readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { normalizeCdr } from '../../shared/callbacks/normalizeCallback';
import { callHashIn } from '../../shared/waitReference';
import { forErrorOutput } from '../errorOutput';
import { callResultsOf, redialOptionIn, redialSettingsFrom } from './redial';
import { HTTP_STATUS_OF, isSweepKey, PROTOCOL, type NodeAnswer, type RowResult } from './waitProtocol';
import { completedRow, timedOutRow } from './waitRows';

function readKeptRows(context: IWebhookFunctions): INodeExecutionData[] {
	const text = context.evaluateExpression('{{ JSON.stringify($input.all()) }}', 0);
	try {
		const rows = JSON.parse(String(text)) as unknown;
		return Array.isArray(rows) ? (rows as INodeExecutionData[]) : [];
	} catch {
		return [];
	}
}

function answer(context: IWebhookFunctions, body: NodeAnswer, workflowData?: INodeExecutionData[][]): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(HTTP_STATUS_OF[body.outcome], { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

/** The waiting node's webhook: a message from the dialing process. */
export async function answerSweep(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const kept = readKeptRows(context);
	const waiting = kept.filter((row) => typeof row.json?.waitCallHash === 'string');
	if (!waiting.length) return answer(context, { protocol: PROTOCOL, outcome: 'notWaiting', message: 'This execution is not waiting for calls.' });
	const body = context.getBodyData() as IDataObject | null | undefined;
	const message = body && typeof body === 'object' ? body : {};
	if (!isSweepKey(message.sweepKey, waiting[0].json.waitSweepKeyHash)) {
		return answer(context, {
			protocol: PROTOCOL,
			outcome: 'refused',
			message: "Refused: only the n8n process that placed these calls may send this execution its results, which it reads from the platform's call records.",
		});
	}
	if (message.kind !== 'results') return answer(context, { protocol: PROTOCOL, outcome: 'waiting' });

	const zone = readPlatformTimeZone(context.getNodeParameter('waitOptions.platformTimeZone', DEFAULT_PLATFORM_TIME_ZONE));
	// Checked when the calls were placed; a zone changed since then cannot stop the results.
	const platformTimeZone = typeof zone === 'string' ? zone : DEFAULT_PLATFORM_TIME_ZONE;
	const redial = redialSettingsFrom(redialOptionIn(context.getNodeParameter('waitOptions', {})));
	const results = (message.rows && typeof message.rows === 'object' ? message.rows : {}) as Record<string, RowResult>;
	const lookupProblem = typeof message.lookupProblem === 'string' ? message.lookupProblem : undefined;
	let found = 0;
	const output = kept.map((row) => {
		if (typeof row.json?.waitCallHash !== 'string') return row;
		const records = recordsOfRow(row, Object.hasOwn(results, row.json.waitCallHash) ? results[row.json.waitCallHash] : undefined);
		const last = records.at(-1);
		if (last) found++;
		const shown = last ? completedRow(row, last, platformTimeZone) : timedOutRow(row, lookupProblem);
		// With the error output, a timed-out row with an error (On Timeout → Output Error Item, an uncertain dial) leaves there.
		const routed = (done: INodeExecutionData) => (row.json.waitErrorOutput === true && done.json.timedOut === true ? forErrorOutput(done) : done);
		if (!redial) return routed(shown);
		// A row still waiting for a later call's record: Call → Get Results looks that call up, not the first.
		if (shown.json.waitCallHash) shown.json.waitCallHash = callHashesOf(row)[records.length - 1] ?? shown.json.waitCallHash;
		const note = Object.hasOwn(results, row.json.waitCallHash) ? results[row.json.waitCallHash].note : undefined;
		const callResults = callResultsOf(records, (record) => normalizeCdr(record, platformTimeZone));
		return routed({ ...shown, json: { ...shown.json, callsPlaced: Math.max(1, records.length), callResults, ...(note ? { redialNote: String(note) } : {}) } });
	});
	return answer(context, { protocol: PROTOCOL, outcome: 'resumed', found, timedOut: waiting.length - found }, [output]);
}

/** The call hashes of a row's possible calls, in order: the first, then the redials'. */
function callHashesOf(row: INodeExecutionData): string[] {
	const later = (Array.isArray(row.json.waitRedialReferences) ? row.json.waitRedialReferences : []).map((reference) => callHashIn(reference) ?? '');
	return [String(row.json.waitCallHash), ...later];
}

/** A row's records as sent, each kept only if it carries that call's own reference (null for a call without one). */
function recordsOfRow(row: INodeExecutionData, result: RowResult | undefined): Array<IDataObject | null> {
	const hashes = callHashesOf(row);
	const sent = Array.isArray(result?.records) ? result.records.slice(0, hashes.length) : [];
	return sent.map((record, call) => (record && typeof record === 'object' && callHashIn(record.customuuid) === hashes[call] ? record : null));
}
