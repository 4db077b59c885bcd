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

import { errorItem, platformTimeZoneOf } from '../../records/platformReads';
import { readLookBackHours } from '../../records/getResultsSettings';
import { callRowsOf, lookUpCallRows, neverPlaced } from '../../records/callRows';
import { completedRow } from '../../waitForResult/waitRows';
import { rowFieldsOf } from '../../errorOutput';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Rows from the node's error output read as the rows they were (their fields back from the `error` object).
	const items = context.getInputData().map((item) => ({ ...item, json: rowFieldsOf(item.json) }));
	const completed: INodeExecutionData[] = [];
	const pending: INodeExecutionData[] = [];
	const options = context.getNodeParameter('resultOptions', 0, {}) as IDataObject;
	const timeZone = platformTimeZoneOf(context, options, 0);
	const lookBackHours = readLookBackHours(context, options);

	// Stopping on a row without customuuid fails the whole batch: done before asking the platform anything.
	const rows = callRowsOf(context, items);
	const recordOf = await lookUpCallRows(context, rows, timeZone, lookBackHours);

	for (const row of rows) {
		const { itemIndex, error } = row;
		if (error) {
			completed.push(errorItem(context, error, itemIndex));
			continue;
		}
		const item = { json: items[itemIndex].json, pairedItem: { item: itemIndex } };
		// completedRow keeps the row's own customuuid: a waited call's record (its wait reference) never reaches the output.
		const record = recordOf(row);
		if (record) completed.push(completedRow(item, record, timeZone));
		else if (neverPlaced(item.json)) completed.push({ ...item, json: { ...item.json, resultStatus: 'notPlaced', timedOut: false } });
		else pending.push({ ...item, json: { ...item.json, resultStatus: 'pending' } });
	}
	return [completed, pending];
}
