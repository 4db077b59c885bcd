import type { INodeProperties } from 'n8n-workflow';

import { callbackRoutingFields, itemFormatOption, timeZoneOption, waitedCallsOption } from '../shared/callbacks/callbackDescription';
import { callRecordFilterOptions } from '../shared/platform/callRecordFilters';
import { DEFAULT_LOOK_BACK_MINUTES } from './recordTriggerSettings';

export const recordTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Asks the platform for new call records (App.Sip_Cdr.GetBill) on the schedule below and starts the workflow once per record. No callback address is needed. Once the workflow is published (activated on 1.x) it starts from now: records already on the platform do not come out.',
		name: 'pollNotice',
		type: 'notice',
		default: '',
	},
	// Every record is a call detail record: the trigger's event choice does not apply.
	...callbackRoutingFields().filter((field) => field.name !== 'events'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: callRecordFilterOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			itemFormatOption,
			{
				displayName: 'Look Back (Minutes)',
				name: 'lookBackMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_LOOK_BACK_MINUTES,
				description:
					'How far back each poll looks by dial time. The platform writes a record when the call ends, sometimes minutes later, so this must cover your longest call plus that delay; records come out once however much polls overlap.',
			},
			{
				displayName: 'Only Records Not Fetched Before',
				name: 'onlyNotFetchedBefore',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask only for records not fetched before (syncflag 1). The platform then marks them fetched for every other reader of this account: another system or n8n workflow pulling records no longer gets them. Leave off unless this trigger is the only reader.',
			},
			timeZoneOption,
			waitedCallsOption,
		],
	},
];
