/**
 * Call Record → Get Summary: one item per execution counting calls, from the platform's records.
 * "Calls in a Time Window" reads every record of the window (Get Many's window and filters, from
 * the first input item). "Rows of This List" takes all input items together: a row that already
 * carries its call's result (the wait operation's or Get Results' output) is counted as it is;
 * the others are looked up as Get Results does, in one sweep, and those without a record yet are
 * counted as pending, apart from the calls.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { normalizeCdr } from '../../../shared/callbacks/normalizeCallback';
import { readCallRecordFilters } from '../../../shared/platform/callRecordFilters';
import { pullCallRecords } from '../../../shared/platform/pullCallRecords';
import { toZonedIso } from '../../../shared/zonedTime';
import { SUMMARISE_LIST_ROWS } from '../../descriptions/GetSummaryDescription';
import { callRowsOf, lookUpCallRows, neverPlaced } from '../../records/callRows';
import { rowFieldsOf } from '../../errorOutput';
import { countCalls } from '../../records/callSummary';
import { readLookBackHours } from '../../records/getResultsSettings';
import { errorItem, platformTimeZoneOf } from '../../records/platformReads';
import { readRecordWindow } from '../../records/recordWindow';

/** A row of the wait operation or Get Results that holds its call's record, normalized. */
const carriesResult = (json: IDataObject) => (json.resultStatus === 'answered' || json.resultStatus === 'notAnswered') && typeof json.answered === 'boolean';

async function summariseWindow(context: IExecuteFunctions, timeZone: string): Promise<IDataObject> {
	const window = readRecordWindow(context, 0);
	const filters = readCallRecordFilters(context.getNodeParameter('filters', 0, {}) as IDataObject);
	const records = await pullCallRecords(context, { ...window, timeZone, ...filters });
	const workflowZone = context.getTimezone();
	return {
		summarised: 'timeWindow',
		window: { from: toZonedIso(window.fromMs, workflowZone), to: toZonedIso(window.toMs, workflowZone) },
		...countCalls(records.map((record) => normalizeCdr(record, timeZone))),
	};
}

async function summariseList(context: IExecuteFunctions, items: INodeExecutionData[], timeZone: string, options: IDataObject): Promise<IDataObject> {
	const withResult: IDataObject[] = [];
	const toLookUp: number[] = [];
	let notPlaced = 0;
	items.forEach(({ json }, itemIndex) => {
		if (carriesResult(json)) withResult.push(json);
		else if (json.resultStatus === 'notPlaced') notPlaced++;
		else toLookUp.push(itemIndex);
	});
	const rows = callRowsOf(context, items, toLookUp);
	const recordOf = await lookUpCallRows(context, rows, timeZone, readLookBackHours(context, options));
	// Only a failed sweep puts an error on a row that has a reference: without it nothing can be counted.
	const failedSweep = rows.find((row) => row.error && (row.reference || row.callHashes));
	if (failedSweep) throw failedSweep.error;

	const found: IDataObject[] = [];
	let pending = 0;
	let withoutCustomuuid = 0;
	for (const row of rows) {
		const record = row.error ? undefined : recordOf(row);
		if (record) found.push(normalizeCdr(record, timeZone));
		else if (row.error) withoutCustomuuid++;
		else if (neverPlaced(items[row.itemIndex].json)) notPlaced++;
		else pending++;
	}
	const { calls, answered, notAnswered, ...details } = countCalls([...withResult, ...found]);
	return {
		summarised: 'listRows',
		listSize: items.length,
		calls,
		answered,
		notAnswered,
		pending,
		notPlaced,
		// Only with Continue On Fail: otherwise such a row stops the node.
		...(withoutCustomuuid ? { withoutCustomuuid } : {}),
		...details,
	};
}

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Rows from the node's error output read as the rows they were (their fields back from the `error` object).
	const items = context.getInputData().map((item) => ({ ...item, json: rowFieldsOf(item.json) }));
	try {
		const options = context.getNodeParameter('summaryOptions', 0, {}) as IDataObject;
		const timeZone = platformTimeZoneOf(context, options, 0);
		const summary =
			context.getNodeParameter('summarise', 0) === SUMMARISE_LIST_ROWS
				? await summariseList(context, items, timeZone, options)
				: await summariseWindow(context, timeZone);
		return [[{ json: summary, pairedItem: items.map((_, item) => ({ item })) }]];
	} catch (error) {
		return [[errorItem(context, error, 0)]];
	}
}
