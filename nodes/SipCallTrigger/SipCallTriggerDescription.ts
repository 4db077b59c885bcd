import type { INodeProperties } from 'n8n-workflow';

import {
	callbackRoutingFields,
	dropDuplicatesOption,
	duplicateWindowOption,
	itemFormatOption,
	timeZoneOption,
	unknownPayloadsOption,
	waitedCallsOption,
} from '../shared/callbacks/callbackDescription';
import { DEFAULT_MAX_BODY_KB, DEFAULT_RESPONSE_BODY } from './triggerSettings';


export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s <b>Production URL</b> into the platform\'s back office: as the <b>extension status callback address</b>, as the <b>call detail record (CDR) callback address</b>, or both (one trigger can serve both, or use two triggers). The platform must get the production URL and the workflow must be published (n8n 2.x; active on 1.x), and published again after each change; the test URL only works while you click "Listen for test event".',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Header Auth', value: 'headerAuth', description: 'The platform sends a fixed header' },
			{
				name: 'Basic Auth',
				value: 'basicAuth',
				description: 'Put the user and password in the callback URL: http://user:password@host/…',
			},
		],
		default: 'none',
		description: 'How the trigger checks that a callback comes from your platform',
	},
	{
		displayName: 'Allowed IPs',
		name: 'allowedIps',
		type: 'string',
		default: '',
		placeholder: '149.129.249.47, 203.0.113.0/24',
		description:
			'Addresses or CIDR ranges the platform calls from, separated by commas. Empty allows any. Behind a reverse proxy, set N8N_PROXY_HOPS so n8n sees the platform\'s address.',
	},
	...callbackRoutingFields(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			dropDuplicatesOption(
				'Whether to ignore an identical copy of an event already received: every field the same, in any order. A callback with the same CDR ID but any field different is not a duplicate and comes out too. The platform still gets its 2xx answer.',
			),
			duplicateWindowOption,
			itemFormatOption,
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_BODY_KB,
				description: 'Larger callbacks are refused with HTTP 413',
			},
			timeZoneOption,
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'string',
				default: DEFAULT_RESPONSE_BODY,
				description: 'What the trigger answers the platform with (HTTP 200), sent as JSON when it is JSON',
			},
			waitedCallsOption,
			unknownPayloadsOption({ name: 'Refuse With HTTP 422', value: 'refuse' }, 'callback'),
		],
	},
];
