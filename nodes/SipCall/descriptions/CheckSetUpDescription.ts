/** Call → Check Set-up: a test call only when asked for, with Play Voice Menu's voice and transfer fields. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOption } from '../../shared/callbacks/callbackDescription';
import { DEFAULT_RECORD_WAIT_MINUTES, MAX_RECORD_WAIT_MINUTES, MIN_RECORD_WAIT_MINUTES } from '../setUpCheck/setUpCheckSettings';
import { allowedNumbersOption, maxCallsPerDayOption, maxCallsPerExecutionOption } from './PaceOptionsDescription';
import { voiceMenuFields } from './PlayVoiceMenuDescription';

const shownFor = { resource: ['call'], operation: ['checkSetUp'] };
const withTestCall = { ...shownFor, placeTestCall: [true] };

export const checkSetUpFields: INodeProperties[] = [
	{
		displayName:
			'Run this once, after creating the SIP Call API credential. It checks that n8n reaches the API URL, that the platform allows this n8n server\'s IP address and accepts the token or login, and, with a test call to your own phone, that the call is recorded and its customuuid comes back whole. One item per check: <b>passed</b> is true, false, or null (not checked); a failed line says what to do. Nothing is dialed unless you turn on Place a Test Call.',
		name: 'checkSetUpNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: shownFor },
	},
	{
		displayName: 'Place a Test Call',
		name: 'placeTestCall',
		type: 'boolean',
		default: false,
		displayOptions: { show: shownFor },
		description: 'Whether to call your own phone once and look the call up in the platform\'s records. Answer, listen to the voice, and hang up.',
	},
	{
		displayName: 'Test Call To',
		name: 'testCallTo',
		type: 'string',
		required: true,
		default: '',
		placeholder: '13333333333',
		displayOptions: { show: withTestCall },
		description: 'Your own phone number: the check calls it once. Digits only, optionally starting with +.',
	},
	...voiceMenuFields(withTestCall),
	{
		displayName: 'Options',
		name: 'checkOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: withTestCall },
		options: [
			allowedNumbersOption,
			maxCallsPerDayOption,
			maxCallsPerExecutionOption,
			timeZoneOption,
			{
				displayName: 'Wait for Record (Minutes)',
				name: 'recordWaitMinutes',
				type: 'number',
				typeOptions: { minValue: MIN_RECORD_WAIT_MINUTES, maxValue: MAX_RECORD_WAIT_MINUTES, numberPrecision: 1 },
				default: DEFAULT_RECORD_WAIT_MINUTES,
				description: 'How long to look for the test call\'s record in the platform\'s call records: the platform writes it after the call ends',
			},
		],
	},
];
