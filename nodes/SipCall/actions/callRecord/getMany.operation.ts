/**
 * Call Record → Get Many: per input item, the records in its window (all of them, or up to the
 * limit), pages of up to 1,000 under the hood, each record once, normalized as the trigger's CDR
 * items so a workflow reads the same fields whether results were pushed or pulled.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { normalizeCdr } from '../../../shared/callbacks/normalizeCallback';
import { readCallRecordFilters } from '../../../shared/platform/callRecordFilters';
import type { CallRecordQuery } from '../../../shared/platform/callRecordPages';
import { pullCallRecords } from '../../../shared/platform/pullCallRecords';
import { errorItem, platformTimeZoneOf } from '../../records/platformReads';
import { readRecordWindow } from '../../records/recordWindow';

function readQuery(context: IExecuteFunctions, itemIndex: number, timeZone: string, onlyNotFetchedBefore: boolean): CallRecordQuery {
	return {
		...readRecordWindow(context, itemIndex),
		timeZone,
		...readCallRecordFilters(context.getNodeParameter('filters', itemIndex, {}) as IDataObject),
		onlyNotFetchedBefore,
	};
}

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output: INodeExecutionData[] = [];
	const items = context.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const options = context.getNodeParameter('recordOptions', itemIndex, {}) as IDataObject;
			const timeZone = platformTimeZoneOf(context, options, itemIndex);
			const query = readQuery(context, itemIndex, timeZone, options.onlyNotFetchedBefore === true);
			const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? undefined : Math.max(1, Math.floor(Number(context.getNodeParameter('limit', itemIndex, 50))));
			const records = await pullCallRecords(context, query, limit);
			for (const record of records) output.push({ json: normalizeCdr(record, timeZone), pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(errorItem(context, error, itemIndex));
		}
	}
	return [output];
}
