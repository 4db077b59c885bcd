/**
 * Call → Get Results: the outcome of calls placed earlier, pulled instead of pushed. Input items
 * carry the customuuid their call was placed with, or, when "Play Voice Menu and Wait for Result"
 * placed it, the hash of its call secret (`waitCallHash`: the record carries the wait reference,
 * not the user's customuuid); one sweep of the platform's records (a window reaching back "Look
 * Back" hours, read once for the whole batch) is matched in memory. Rows whose record exists come
 * out on "Completed" shaped as the wait operation's results; rows without one yet come out on
 * "Pending" to be looped through a Wait node.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pullCallRecords } from '../../../shared/platform/pullCallRecords';
import { toNodeError } from '../../dialing/dialBatch';
import { errorItem, platformTimeZoneOf } from '../../records/platformReads';
import { readLookBackHours } from '../../records/getResultsSettings';
import { HOUR_MS } from '../../records/recordWindow';
import { recordsOfCalls } from '../../../shared/waitReference';
import { completedRow } from '../../waitForResult/waitRows';


/**
 * A row Play Voice Menu reported as refused before anything was placed: no record will ever come,
 * so it must not loop as pending. An uncertain one (mayHaveBeenPlaced) is looked up like the rest.
 */
const neverPlaced = (json: IDataObject) => json.accepted === false && json.mayHaveBeenPlaced !== true;

/** The record of each customuuid; of several (a call placed twice), the latest. */
function recordsByReference(records: IDataObject[]): Map<string, IDataObject> {
	const byReference = new Map<string, IDataObject>();
	for (const record of records) {
		const reference = String(record.customuuid ?? '').trim();
		if (!reference) continue;
		const known = byReference.get(reference);
		if (!known || Number(record.id) > Number(known.id)) byReference.set(reference, record);
	}
	return byReference;
}

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const completed: INodeExecutionData[] = [];
	const pending: INodeExecutionData[] = [];
	const options = context.getNodeParameter('resultOptions', 0, {}) as IDataObject;
	const timeZone = platformTimeZoneOf(context, options, 0);
	const lookBackHours = readLookBackHours(context, options);

	const rows: Array<{ itemIndex: number; reference?: string; callHash?: string; error?: unknown }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// A row the wait operation put out: its record carries the wait reference, found by the call secret in it.
		const { waitCallHash } = items[itemIndex].json;
		if (typeof waitCallHash === 'string' && waitCallHash) {
			rows.push({ itemIndex, callHash: waitCallHash });
			continue;
		}
		const reference = String(context.getNodeParameter('customData', itemIndex, '') ?? '').trim();
		if (!reference && neverPlaced(items[itemIndex].json)) {
			rows.push({ itemIndex });
			continue;
		}
		if (reference) {
			rows.push({ itemIndex, reference });
			continue;
		}
		const error = new NodeOperationError(context.getNode(), 'This row has no customuuid to look its call up by', {
			itemIndex,
			description: 'Feed this node Play Voice Menu\'s output (each item carries the customuuid its call was placed with), or map the customuuid your calls were placed with.',
		});
		// Stopping fails the whole batch: do it before asking the platform anything.
		if (!context.continueOnFail()) throw error;
		rows.push({ itemIndex, error });
	}

	let records = new Map<string, IDataObject>();
	let callRecords = new Map<string, IDataObject>();
	const needsSweep = (row: (typeof rows)[number]) => Boolean(row.reference || row.callHash);
	if (rows.some(needsSweep)) {
		const nowMs = Date.now();
		try {
			const swept = await pullCallRecords(context, { fromMs: nowMs - lookBackHours * HOUR_MS, toMs: nowMs + 60_000, timeZone, callMethod: 0 });
			records = recordsByReference(swept);
			callRecords = recordsOfCalls(swept, new Set(rows.flatMap((row) => (row.callHash ? [row.callHash] : []))));
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(context, error, rows.find(needsSweep)?.itemIndex ?? 0);
			// The sweep serves every row: each row that needed it carries its error.
			for (const row of rows) if (needsSweep(row)) row.error = error;
		}
	}

	for (const { itemIndex, reference, callHash, error } of rows) {
		if (error) {
			completed.push(errorItem(context, error, itemIndex));
			continue;
		}
		const item = { json: items[itemIndex].json, pairedItem: { item: itemIndex } };
		// completedRow keeps the row's own customuuid: a waited call's record (its wait reference) never reaches the output.
		const record = callHash ? callRecords.get(callHash) : reference ? records.get(reference) : undefined;
		if (record) completed.push(completedRow(item, record, timeZone));
		else if (neverPlaced(item.json)) completed.push({ ...item, json: { ...item.json, resultStatus: 'notPlaced', timedOut: false } });
		else pending.push({ ...item, json: { ...item.json, resultStatus: 'pending' } });
	}
	return [completed, pending];
}
