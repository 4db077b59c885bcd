/**
 * The filters GetBill offers, as fields (one list for the SIP Call node's Call Record → Get Many
 * and the SIP Call Record Trigger) and read back into a query.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CallDirection, CallRecordQuery } from './callRecordPages';

export const callRecordFilterOptions: INodeProperties[] = [
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
];

type Filters = Pick<CallRecordQuery, 'direction' | 'callMethod' | 'destinationNumber' | 'extensions' | 'customData' | 'userId' | 'memberId'>;

export function readCallRecordFilters(filters: IDataObject): Filters {
	const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
	return {
		direction: (filters.direction as CallDirection | undefined) ?? 'all',
		callMethod: Number(filters.callMethod ?? 0),
		destinationNumber: text(filters.destinationNumber),
		extensions: text(filters.extensions),
		customData: text(filters.customData),
		userId: text(filters.userId),
		memberId: text(filters.memberId),
	};
}
