/** Call Record → Get Many: the platform's call records (GetBill), as the trigger's CDR items; the operations' list. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOption } from '../../shared/callbacks/callbackDescription';
import { callRecordFilterOptions } from '../../shared/platform/callRecordFilters';

const shownFor = { show: { resource: ['callRecord'], operation: ['getMany'] } };

export const callRecordOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callRecord'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Read call records (CDRs) the platform keeps, in a time window, as the trigger emits them',
				action: 'Get many call records',
			},
			{
				name: 'Get Summary',
				value: 'getSummary',
				description: 'Count the calls of a time window or of a list in one item: answered, not answered, keys pressed, hang-up causes, talk time, answer rate',
				action: 'Get a summary of calls',
			},
		],
		default: 'getMany',
	},
];

/** The dial-time window of a read, shown where `displayOptions` says. */
export function recordWindowFields(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			description: 'Calls dialed from this time. Empty: 24 hours before End Time.',
			displayOptions,
		},
		{
			displayName: 'End Time',
			name: 'endTime',
			type: 'dateTime',
			default: '',
			description: 'Calls dialed up to this time. Empty: now.',
			displayOptions,
		},
	];
}

export const callRecordFields: INodeProperties[] = [
	...recordWindowFields(shownFor),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: shownFor,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...shownFor.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: shownFor,
		options: callRecordFilterOptions,
	},
	{
		displayName: 'Options',
		name: 'recordOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: shownFor,
		options: [
			{
				displayName: 'Only Records Not Fetched Before',
				name: 'onlyNotFetchedBefore',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask only for records no one fetched before (the platform\'s syncflag 1). The platform then marks them as fetched FOR EVERY OTHER READER OF THE ACCOUNT: another system or workflow reading the same account will no longer get them. Off: every record in the window, safe to repeat.',
			},
			timeZoneOption,
		],
	},
];
