import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { CALLBACK_EVENTS } from '../shared/callbacks/classifyCallback';

export const DEFAULT_RESPONSE_BODY = '{"ret":200,"msg":"ok"}';
export const DEFAULT_MAX_BODY_KB = 256;
export const DEFAULT_DUPLICATE_WINDOW = 1000;

const EVENT_NAMES: Record<(typeof CALLBACK_EVENTS)[number], string> = {
	extensionRinging: 'Extension Ringing',
	extensionAnswered: 'Extension Answered',
	extensionHungUp: 'Extension Hung Up',
	callEnded: 'Call Ended (CDR)',
};

/**
 * The outputs the node shows, computed from its parameters in the editor and at run time. It is
 * turned into an expression string, so it must not refer to anything outside itself.
 */
export const configuredOutputs = (parameters: INodeParameters) => {
	if (parameters.output !== 'routeByKey') return [{ type: 'main', displayName: 'Events' }];
	const keys = String(parameters.routedKeys ?? '')
		.split(/[\s,]+/)
		.filter((key, index, all) => /^[0-9*#]$/.test(key) && all.indexOf(key) === index);
	const names = keys.map((key) => 'Key ' + key).concat(['Answered, No Key', 'Not Answered', 'Other']);
	return names.map((displayName) => ({ type: 'main', displayName }));
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Paste this node\'s <b>Production URL</b> into the platform\'s back office: as the <b>extension status callback address</b>, as the <b>call detail record (CDR) callback address</b>, or both (one trigger can serve both, or use two triggers). The platform must get the production URL and the workflow must be active; the test URL only works while you click "Listen for test event".',
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
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: CALLBACK_EVENTS.map((value) => ({ name: EVENT_NAMES[value], value })),
		default: [...CALLBACK_EVENTS],
		description: 'Which callbacks start the workflow. Others are answered and ignored.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Single Output', value: 'single', description: 'Every event on one output' },
			{
				name: 'Route by Key Pressed',
				value: 'routeByKey',
				description:
					'One output per key below, then "Answered, No Key", "Not Answered", and "Other" for extension-status events and other keys',
			},
		],
		default: 'single',
	},
	{
		displayName: 'Keys to Route',
		name: 'routedKeys',
		type: 'string',
		default: '1, 2',
		placeholder: '1, 2, #',
		displayOptions: { show: { output: ['routeByKey'] } },
		description: 'The keys that get an output each, separated by commas (0–9, *, #)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Drop Duplicate Events',
				name: 'dropDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore an event already received (same CDR ID, or same call, leg and status). The platform still gets its 2xx answer.',
			},
			{
				displayName: 'Duplicate Window (Events)',
				name: 'duplicateWindow',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 100000 },
				default: DEFAULT_DUPLICATE_WINDOW,
				description: 'How many recent events are remembered to recognise a duplicate',
			},
			{
				displayName: 'Item Format',
				name: 'itemFormat',
				type: 'options',
				options: [
					{ name: 'Normalized', value: 'normalized', description: 'Numbers, booleans, ISO times and derived fields' },
					{ name: 'Raw', value: 'raw', description: 'The payload exactly as the platform sent it' },
				],
				default: 'normalized',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_BODY_KB,
				description: 'Larger callbacks are refused with HTTP 413',
			},
			{
				displayName: 'Platform Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'Asia/Shanghai',
				description: 'The zone the platform writes its times in, used for the ISO 8601 times (an IANA name)',
			},
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'string',
				default: DEFAULT_RESPONSE_BODY,
				description: 'What the trigger answers the platform with (HTTP 200), sent as JSON when it is JSON',
			},
			{
				displayName: 'Unrecognized Payloads',
				name: 'unknownPayloads',
				type: 'options',
				options: [
					{ name: 'Emit as "Unknown" Event', value: 'emit' },
					{ name: 'Refuse With HTTP 422', value: 'refuse' },
				],
				default: 'emit',
				description: 'What to do with a callback that is neither an extension status nor a CDR',
			},
		],
	},
];
