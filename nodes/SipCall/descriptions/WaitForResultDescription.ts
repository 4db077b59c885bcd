import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE } from '../../shared/callbacks/callbackSettings';
import { DEFAULT_WAIT_MINUTES } from '../waiting/waitSettings';

const showForWait = { resource: ['call'], operation: ['playVoiceMenuAndWait'] };

export const waitForResultFields: INodeProperties[] = [
	{
		displayName:
			'The result arrives through a <b>SIP Call Trigger</b> in an active workflow whose URL is set as the CDR callback address in the platform\'s back office. The call\'s customuuid carries the reference that leads back here (at most 64 characters); your own Custom Data comes back on the result.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForWait },
	},
	{
		displayName: 'Wait Limit (Minutes)',
		name: 'waitLimit',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: 10080, numberPrecision: 1 },
		default: DEFAULT_WAIT_MINUTES,
		displayOptions: { show: showForWait },
		description:
			'How long to wait for the call detail records. Rows whose record has not arrived by then come out marked as timed out.',
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
