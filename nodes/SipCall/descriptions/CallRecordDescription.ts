/** Call Record → Get Many: the platform's call records (GetBill), as the trigger's CDR items. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOption } from '../../shared/callbacks/callbackDescription';

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
		],
		default: 'getMany',
	},
];

export const callRecordFields: INodeProperties[] = [
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: 'Calls dialed from this time. Empty: 24 hours before End Time.',
		displayOptions: shownFor,
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Calls dialed up to this time. Empty: now.',
		displayOptions: shownFor,
	},
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
		options: [
			{
				displayName: 'Call Method',
				name: 'callMethod',
				type: 'options',
				options: [
					{ name: 'Any', value: 0 },
					{ name: 'API Call', value: 3 },
					{ name: 'API Two-Way Call', value: 4 },
					{ name: 'Extension to Extension', value: 1 },
					{ name: 'IVR / Group Call (Voice Menu)', value: 6 },
					{ name: 'Manual Dial', value: 2 },
					{ name: 'Predictive', value: 5 },
				],
				default: 0,
				description: 'Which kind of call. Voice Menu calls are IVR / group calls (6); the platform\'s own default (API Call) would hide them.',
			},
			{ displayName: 'Custom Data', name: 'customData', type: 'string', default: '', description: 'Only the records whose customuuid is this' },
			{ displayName: 'Destination Number', name: 'destinationNumber', type: 'string', default: '', description: 'Only calls to this number' },
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Inbound', value: 'inbound' },
					{ name: 'Outbound', value: 'outbound' },
				],
				default: 'all',
			},
			{ displayName: 'Extensions', name: 'extensions', type: 'string', default: '', placeholder: '8001, 8002', description: 'Only calls of these extensions, separated by commas' },
			{ displayName: 'Member ID', name: 'memberId', type: 'string', default: '' },
			{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
		],
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
