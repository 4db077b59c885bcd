import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_PLATFORM_TIME_ZONE } from '../../shared/callbacks/callbackSettings';
import { DEFAULT_WAIT_MINUTES, MAX_WAIT_LIMIT_MINUTES } from '../waitForResult/waitTiming';

const showForWait = { resource: ['call'], operation: ['playVoiceMenuAndWait'] };

export const waitForResultFields: INodeProperties[] = [
	{
		displayName:
			'The calls are placed, then this execution waits: the n8n process that dialed reads the platform\'s call records (App.Sip_Cdr.GetBill, every 5 seconds, one reader per account) and the execution goes on when every call has its record, or at the Wait Limit with what the platform holds. No callback address or trigger is needed. Each call\'s customuuid carries a random 22-character reference that leads nowhere but to its row; your own Custom Data comes back on the result.',
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
			'How long to wait for the call records. Rows whose call has no record at the limit come out marked as timed out (if the platform could not be read, the row says why). If n8n restarts during the wait, reading the records stops and n8n itself resumes the execution about 75 seconds after the limit, with every row still waiting marked timed out: check those with Call → Get Results.',
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
						description: 'The row also carries an "error" field. With On Error → Continue (using error output) it leaves on the error output, its fields in the "error" object (message: the sentence).',
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
			{
				displayName: 'Redial Who Missed',
				name: 'redial',
				type: 'fixedCollection',
				default: { settings: { on: ['busy', 'noAnswer'], maxCalls: 3, minutesBetween: 10 } },
				description:
					'Call a row again when its call was busy, not answered or unreachable, while this execution waits (nothing is held open meanwhile). Each row comes out once, after its last call, with callsPlaced and callResults (one entry per call). Set Wait Limit to cover every call.',
				options: [
					{
						displayName: 'Settings',
						name: 'settings',
						values: [
							{
								displayName: 'Redial When',
								name: 'on',
								type: 'multiOptions',
								options: [
									{ name: 'Busy', value: 'busy', description: 'Hang-up cause 10006 busy or 10003 rejected' },
									{ name: 'No Answer', value: 'noAnswer', description: 'Hang-up cause 10005 not answered, 10016 no answer or 10011 timer expired' },
									{ name: 'Unreachable', value: 'unreachable', description: 'Hang-up cause 10009 unreachable, 10004 outbound trunk failure or 10015 request timeout' },
								],
								default: ['busy', 'noAnswer'],
								description: 'Which missed calls are tried again. An answered call is never called again.',
							},
							{
								displayName: 'Calls per Row',
								name: 'maxCalls',
								type: 'number',
								typeOptions: { minValue: 2, maxValue: 10, numberPrecision: 0 },
								default: 3,
								description: 'The most calls one row gets, the first included: 3 means the first call and up to two redials',
							},
							{
								displayName: 'Minutes Between Calls',
								name: 'minutesBetween',
								type: 'number',
								typeOptions: { minValue: 0.1, numberPrecision: 1 },
								default: 10,
								description: 'How long after a missed call ends the row is called again. Callees and carriers take calls seconds apart as harassment: 5 or more is usual.',
							},
						],
					},
				],
			},
			{
				displayName: 'Resume URL Base',
				name: 'resumeUrlBase',
				type: 'string',
				default: '',
				placeholder: 'http://localhost:5678/webhook-waiting',
				description:
					'Where this n8n process reaches its own waiting executions to look their results up. Empty uses n8n\'s resume URL (WEBHOOK_URL with "webhook-waiting"). Set it when that public address cannot be reached from inside (a proxy, or a router without hairpin NAT), or N8N_ENDPOINT_WEBHOOK_WAIT is changed.',
			},
		],
	},
];
