/**
 * Rows of a list (input items) and the platform's records of their calls: which reference each row
 * is found by (its customuuid, or, for a row "Play Voice Menu and Wait for Result" left timed out,
 * the hashes of its calls' secrets: `waitCallHash`, and after a restart `waitRedialReferences`),
 * and one sweep of the records reaching back "Look Back" hours, matched in memory. A record is a
 * row's only if its reference, its number and its start (at or after the row's dial time) fit
 * (`shared/callRecordMatch.ts`), and each record goes to one row at most. Used by Call → Get
 * Results and Call Record → Get Summary.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dialedAtMsOf, firstRecordOfCall, isRecordOfCall, type DialedCall } from '../../shared/callRecordMatch';
import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { callHashIn } from '../../shared/waitReference';
import { toNodeError } from '../dialing/dialBatch';
import { HOUR_MS } from './recordWindow';

export interface CallRow {
	itemIndex: number;
	/** The customuuid the call was placed with. */
	reference?: string;
	/**
	 * A waited row's calls, first call first, by their secrets' hashes: their records carry the wait
	 * references, not the row's customuuid. More than one only for a row n8n's timer passed on
	 * (a restart) while it was being redialed.
	 */
	callHashes?: string[];
	/** The number the row was dialed at and when (each undefined when the row does not carry it). */
	call: DialedCall;
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
		const { json } = items[itemIndex];
		const call = dialedCallOf(json);
		if (typeof json.waitCallHash === 'string' && json.waitCallHash) {
			rows.push({ itemIndex, callHashes: [json.waitCallHash, ...laterCallHashesOf(json)], call });
			continue;
		}
		// A row never placed (refused, or skipped as already called) has no call: a record under its customuuid is another call's.
		if (neverPlaced(json)) {
			rows.push({ itemIndex, call });
			continue;
		}
		const reference = String(context.getNodeParameter('customData', itemIndex, '') ?? '').trim();
		if (reference) {
			rows.push({ itemIndex, reference, call });
			continue;
		}
		const error = new NodeOperationError(context.getNode(), 'This row has no customuuid to look its call up by', {
			itemIndex,
			description: 'Feed this node Play Voice Menu\'s output (each item carries the customuuid its call was placed with), or map the customuuid your calls were placed with.',
		});
		if (!context.continueOnFail()) throw error;
		rows.push({ itemIndex, call, error });
	}
	return rows;
}

/** The number a row was dialed at (Play Voice Menu's `destnumber`) and its dial time (`reqtime`). */
function dialedCallOf(json: IDataObject): DialedCall {
	const destnumber = String(json.destnumber ?? '').trim();
	return { destnumber: destnumber || undefined, dialedAtMs: dialedAtMsOf(json) };
}

/** The hashes of a row's redials, kept on a row n8n's timer passed on (`waitRedialReferences`), in call order. */
function laterCallHashesOf(json: IDataObject): string[] {
	const references = Array.isArray(json.waitRedialReferences) ? json.waitRedialReferences : [];
	return references.flatMap((reference) => callHashIn(reference) ?? []);
}

interface SweptRecords {
	byCustomuuid: Map<string, IDataObject[]>;
	/** Records of waited calls, by the hash of the wait reference they carry. */
	byCallHash: Map<string, IDataObject[]>;
}

function sweptRecords(records: IDataObject[]): SweptRecords {
	const swept: SweptRecords = { byCustomuuid: new Map(), byCallHash: new Map() };
	const add = (map: Map<string, IDataObject[]>, key: string, record: IDataObject) => {
		const known = map.get(key);
		if (known) known.push(record);
		else map.set(key, [record]);
	};
	for (const record of records) {
		const customuuid = String(record.customuuid ?? '').trim();
		if (!customuuid) continue;
		add(swept.byCustomuuid, customuuid, record);
		const callHash = callHashIn(customuuid);
		if (callHash) add(swept.byCallHash, callHash, record);
	}
	return swept;
}

const needsSweep = (row: CallRow) => Boolean(!row.error && (row.reference || row.callHashes));

/**
 * The record of one row among those not taken yet. A waited row: its latest call that has a record
 * (redials come after the calls before them). A row with a dial time: the first record to start
 * after it (later ones are later rows' calls). A row without one (not from Play Voice Menu, or
 * from an older version): the latest, as before dial times were kept.
 */
function recordOfRow(row: CallRow, swept: SweptRecords, taken: ReadonlySet<IDataObject>, timeZone: string): IDataObject | undefined {
	const untaken = (records: IDataObject[] = []) => records.filter((record) => !taken.has(record));
	if (row.callHashes) {
		for (const callHash of [...row.callHashes].reverse()) {
			const record = firstRecordOfCall(untaken(swept.byCallHash.get(callHash)), row.call, timeZone);
			if (record) return record;
		}
		return undefined;
	}
	if (!row.reference) return undefined;
	const fitting = untaken(swept.byCustomuuid.get(row.reference));
	if (row.call.dialedAtMs !== undefined) return firstRecordOfCall(fitting, row.call, timeZone);
	return fitting.filter((record) => isRecordOfCall(record, row.call, timeZone)).reduce<IDataObject | undefined>((latest, record) => (!latest || Number(record.id) > Number(latest.id) ? record : latest), undefined);
}

/**
 * Each row's record, each record given to one row at most: rows dialed earlier choose first, so
 * that of two calls with one customuuid to one number the earlier goes to the row dialed earlier.
 */
function matchRows(rows: CallRow[], records: IDataObject[], timeZone: string): Map<CallRow, IDataObject> {
	const swept = sweptRecords(records);
	const dialedAt = (row: CallRow) => row.call.dialedAtMs ?? Infinity;
	const ordered = rows.filter(needsSweep).sort((a, b) => dialedAt(a) - dialedAt(b) || a.itemIndex - b.itemIndex);
	const taken = new Set<IDataObject>();
	const matched = new Map<CallRow, IDataObject>();
	for (const row of ordered) {
		const record = recordOfRow(row, swept, taken, timeZone);
		if (!record) continue;
		taken.add(record);
		matched.set(row, record);
	}
	return matched;
}

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
		const matched = matchRows(rows, swept, timeZone);
		return (row) => matched.get(row);
	} catch (error) {
		if (!context.continueOnFail()) throw toNodeError(context, error, rows.find(needsSweep)?.itemIndex ?? 0);
		for (const row of rows) if (needsSweep(row)) row.error = error;
		return () => undefined;
	}
}
