import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE } from '../../shared/callbacks/callbackSettings';
import { MAX_WAIT_LIMIT_MINUTES } from '../../shared/waitForResult/waitTiming';
import { DEFAULT_WAIT_MINUTES } from '../waiting/waitSettings';

const showForWait = { resource: ['call'], operation: ['playVoiceMenuAndWait'] };

export const waitForResultFields: INodeProperties[] = [
	{
		displayName:
			'Results reach this execution from a <b>SIP Call Trigger</b> in an active workflow whose Production URL is the platform\'s CDR callback address, from a <b>SIP Call Record Trigger</b> in an active workflow that polls the same account (no public URL needed), and from this node\'s own look-up of the platform\'s call records (App.Sip_Cdr.GetBill) for the rows still missing, at every hand-over from a trigger and at the wait limit. With no trigger, results come at the limit. Each call\'s customuuid carries the reference that leads back here (at most 64 characters); your own Custom Data comes back on the result.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForWait },
	},
	{
		displayName: 'Wait Limit (Minutes)',
		name: 'waitLimit',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: MAX_WAIT_LIMIT_MINUTES, numberPrecision: 1 },
		default: DEFAULT_WAIT_MINUTES,
		displayOptions: { show: showForWait },
		description:
			'How long to wait for the call detail records. At the limit, rows still without a record are looked up in the platform\'s call records, and come out marked as timed out only if the platform has no record of the call either (or could not be read: the row then says why). If n8n restarts during the wait, rows still without a record at the limit may come out timed out without that look-up: check them with Call → Get Results.',
	},
	{
		displayName: 'Wait Options',
		name: 'waitOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showForWait },
		options: [
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				options: [
					{
						name: 'Mark Item as Timed Out',
						value: 'markItem',
						description: 'The row comes out with resultStatus "timedOut"',
					},
					{
						name: 'Output Error Item',
						value: 'errorItem',
						description: 'The row also carries an "error" field, so the node\'s error output (On Error setting) can take it',
					},
				],
				default: 'markItem',
			},
			{
				displayName: 'Platform Time Zone',
				name: 'platformTimeZone',
				type: 'string',
				default: DEFAULT_PLATFORM_TIME_ZONE,
				description: 'The time zone the platform writes CDR times in',
			},
		],
	},
];
