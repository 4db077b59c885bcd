/** Call Record → Get Summary: one item counting the calls of a time window or of a list's rows. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOption } from '../../shared/callbacks/callbackDescription';
import { callRecordFilterOptions } from '../../shared/platform/callRecordFilters';
import { DEFAULT_LOOK_BACK_HOURS } from '../records/getResultsSettings';
import { recordWindowFields } from './CallRecordDescription';

export const SUMMARISE_TIME_WINDOW = 'timeWindow';
export const SUMMARISE_LIST_ROWS = 'listRows';

const shownFor = { show: { resource: ['callRecord'], operation: ['getSummary'] } };
const shownForWindow = { show: { ...shownFor.show, summarise: [SUMMARISE_TIME_WINDOW] } };
const shownForList = { show: { ...shownFor.show, summarise: [SUMMARISE_LIST_ROWS] } };

export const getSummaryFields: INodeProperties[] = [
	{
		displayName: 'Summarise',
		name: 'summarise',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Calls in a Time Window',
				value: SUMMARISE_TIME_WINDOW,
				description: 'Every call the platform recorded between Start Time and End Time (with the filters you add)',
			},
			{
				name: 'Rows of This List',
				value: SUMMARISE_LIST_ROWS,
				description:
					'The calls of the items coming in, all together: the output of Play Voice Menu, Play Voice Menu and Wait for Result or Get Results. Rows whose call has no record yet are counted as pending.',
			},
		],
		default: SUMMARISE_TIME_WINDOW,
		description:
			'Which calls to count. The node puts out one item: calls, answered (the platform recorded an answer time or talk time), not answered, answer rate, keys pressed, hang-up causes in words and talk time.',
		displayOptions: shownFor,
	},
	...recordWindowFields(shownForWindow),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Count only some calls: for a voice menu campaign, set Call Method to IVR / Group Call (Voice Menu)',
		displayOptions: shownForWindow,
		options: callRecordFilterOptions,
	},
	{
		displayName: 'Custom Data (Customuuid)',
		name: 'customData',
		type: 'string',
		default: '={{ $json.customuuid }}',
		description:
			'The customuuid each row\'s call was placed with: its call record is looked up by it. Rows that already carry their result (from Play Voice Menu and Wait for Result or Get Results) are counted as they are.',
		displayOptions: shownForList,
	},
	{
		displayName: 'Options',
		name: 'summaryOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: shownFor,
		options: [
			{
				displayName: 'Look Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 2208 },
				default: DEFAULT_LOOK_BACK_HOURS,
				description: 'Rows of This List only: how far back the records are read. Cover the oldest call of the list.',
			},
			timeZoneOption,
		],
	},
];
