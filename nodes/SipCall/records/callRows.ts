/**
 * Rows of a list (input items) and the platform's records of their calls: which reference each row
 * is found by (its customuuid, or, for a row "Play Voice Menu and Wait for Result" left timed out,
 * the hash of its call secret `waitCallHash`), and one sweep of the records reaching back "Look
 * Back" hours, matched in memory. Used by Call → Get Results and Call Record → Get Summary.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { recordsOfCalls } from '../../shared/waitReference';
import { toNodeError } from '../dialing/dialBatch';
import { HOUR_MS } from './recordWindow';

export interface CallRow {
	itemIndex: number;
	/** The customuuid the call was placed with. */
	reference?: string;
	/** A waited call's secret hash: its record carries the wait reference, not the row's customuuid. */
	callHash?: string;
	error?: unknown;
}

/**
 * A row Play Voice Menu reported as refused before anything was placed: no record will ever come,
 * so it must not loop as pending. An uncertain one (mayHaveBeenPlaced) is looked up like the rest.
 */
export const neverPlaced = (json: IDataObject) => json.accepted === false && json.mayHaveBeenPlaced !== true;

/**
 * Each row's reference, read with the operation's Custom Data parameter. A row with none (and not
 * refused before dialing) is an error: thrown before the platform is asked anything, or, with
 * Continue On Fail, kept on the row. `itemIndexes`: the rows to read (all by default).
 */
export function callRowsOf(context: IExecuteFunctions, items: INodeExecutionData[], itemIndexes: Iterable<number> = items.keys()): CallRow[] {
	const rows: CallRow[] = [];
	for (const itemIndex of itemIndexes) {
		const { waitCallHash } = items[itemIndex].json;
		if (typeof waitCallHash === 'string' && waitCallHash) {
			rows.push({ itemIndex, callHash: waitCallHash });
			continue;
		}
		// A row never placed (refused, or skipped as already called) has no call: a record under its customuuid is another call's.
		if (neverPlaced(items[itemIndex].json)) {
			rows.push({ itemIndex });
			continue;
		}
		const reference = String(context.getNodeParameter('customData', itemIndex, '') ?? '').trim();
		if (reference) {
			rows.push({ itemIndex, reference });
			continue;
		}
		const error = new NodeOperationError(context.getNode(), 'This row has no customuuid to look its call up by', {
			itemIndex,
			description: 'Feed this node Play Voice Menu\'s output (each item carries the customuuid its call was placed with), or map the customuuid your calls were placed with.',
		});
		if (!context.continueOnFail()) throw error;
		rows.push({ itemIndex, error });
	}
	return rows;
}

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

const needsSweep = (row: CallRow) => Boolean(!row.error && (row.reference || row.callHash));

/**
 * Reads the records once for every row that needs them; returns the record of a row, if the
 * platform has one. A failed sweep is thrown, or, with Continue On Fail, kept on each row that needed it.
 */
export async function lookUpCallRows(
	context: IExecuteFunctions,
	rows: CallRow[],
	timeZone: string,
	lookBackHours: number,
): Promise<(row: CallRow) => IDataObject | undefined> {
	if (!rows.some(needsSweep)) return () => undefined;
	const nowMs = Date.now();
	try {
		const swept = await pullCallRecords(context, { fromMs: nowMs - lookBackHours * HOUR_MS, toMs: nowMs + 60_000, timeZone, callMethod: 0 });
		const byReference = recordsByReference(swept);
		const byCall = recordsOfCalls(swept, new Set(rows.flatMap((row) => (row.callHash ? [row.callHash] : []))));
		return (row) => (row.callHash ? byCall.get(row.callHash) : row.reference ? byReference.get(row.reference) : undefined);
	} catch (error) {
		if (!context.continueOnFail()) throw toNodeError(context, error, rows.find(needsSweep)?.itemIndex ?? 0);
		for (const row of rows) if (needsSweep(row)) row.error = error;
		return () => undefined;
	}
}
