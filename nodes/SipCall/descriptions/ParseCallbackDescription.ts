import type { INodeParameters, INodeProperties } from 'n8n-workflow';

const showForParse = { resource: ['callback'], operation: ['parse'] };

/**
 * The node's outputs: one, or with Parse Callback routing by key, the same outputs as the SIP Call
 * Trigger. Turned into an expression string, so it must not refer to anything outside itself.
 */
export const sipCallOutputs = (parameters: INodeParameters) => {
	if (parameters.resource !== 'callback' || parameters.output !== 'routeByKey') return [{ type: 'main' }];
	const keys = String(parameters.routedKeys ?? '')
		.split(/[\s,]+/)
		.filter((key, index, all) => /^[0-9*#]$/.test(key) && all.indexOf(key) === index);
	const names = keys.map((key) => 'Key ' + key).concat(['Answered, No Key', 'Not Answered', 'Other']);
	return names.map((displayName) => ({ type: 'main', displayName }));
};

export const callbackOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callback'] } },
		options: [
			{
				name: 'Parse',
				value: 'parse',
				description:
					'Turn a callback body received by n8n\'s Webhook node into the same items the SIP Call Trigger emits',
				action: 'Parse a platform callback',
			},
		],
		default: 'parse',
	},
];

export const parseCallbackFields: INodeProperties[] = [
	{
		displayName:
			'For high callback volumes: receive the platform\'s callbacks with n8n\'s own Webhook node (it is faster than any community trigger) and put this operation right after it.',
		name: 'parseNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForParse },
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '={{ $json.body }}',
		displayOptions: { show: showForParse },
		description: 'The callback body: a JSON object, an array of them, or JSON text. From a Webhook node it is {{ $JSON.body }}.',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Call Ended (CDR)', value: 'callEnded' },
			{ name: 'Extension Answered', value: 'extensionAnswered' },
			{ name: 'Extension Hung Up', value: 'extensionHungUp' },
			{ name: 'Extension Ringing', value: 'extensionRinging' },
		],
		default: ['extensionRinging', 'extensionAnswered', 'extensionHungUp', 'callEnded'],
		displayOptions: { show: showForParse },
		description: 'Which events come out; the others are left out',
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
				description: 'One output per key below, then "Answered, No Key", "Not Answered", and "Other"',
			},
		],
		default: 'single',
		displayOptions: { show: showForParse },
	},
	{
		displayName: 'Keys to Route',
		name: 'routedKeys',
		type: 'string',
		default: '1, 2',
		placeholder: '1, 2, #',
		displayOptions: { show: { ...showForParse, output: ['routeByKey'] } },
		description: 'The keys that get an output each, separated by commas (0–9, *, #)',
	},
	{
		displayName: 'Options',
		name: 'parseOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showForParse },
		options: [
			{
				displayName: 'Drop Duplicate Events',
				name: 'dropDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether to leave out an event already parsed by this node (same CDR ID, or same call, leg and status), using n8n\'s own deduplication store',
			},
			{
				displayName: 'Duplicate Window (Events)',
				name: 'duplicateWindow',
				type: 'number',
				typeOptions: { minValue: 10, maxValue: 100000 },
				default: 1000,
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
				displayName: 'Platform Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'Asia/Shanghai',
				description: 'The zone the platform writes its times in, used for the ISO 8601 times (an IANA name)',
			},
			{
				displayName: 'Unrecognized Payloads',
				name: 'unknownPayloads',
				type: 'options',
				options: [
					{ name: 'Emit as "Unknown" Event', value: 'emit' },
					{ name: 'Fail the Item', value: 'fail' },
				],
				default: 'emit',
				description: 'What to do with a payload that is neither an extension status nor a CDR',
			},
		],
	},
];
