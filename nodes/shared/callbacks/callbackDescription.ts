/** The fields the SIP Call Trigger and the Parse Callback operation share, so both read the same. */
import type { IDisplayOptions, INodeParameters, INodeProperties } from 'n8n-workflow';

import { PHONE_KEYS } from '../phoneKeys';
import { CALLBACK_EVENTS } from './classifyCallback';
import { DEFAULT_DUPLICATE_WINDOW, DEFAULT_PLATFORM_TIME_ZONE, DEFAULT_ROUTED_KEYS } from './callbackSettings';

/**
 * The outputs of a node that routes callbacks: one, or with "Route by Key Pressed" one per key and
 * then "Answered, No Key", "Not Answered", "Other". Turned into an expression string for the
 * node's `outputs`, so it must not refer to anything outside itself: the phone keys come in as an
 * argument. A `resource` other than "callback" (the SIP Call node dialing) always has one output.
 */
const callbackOutputs = (parameters: INodeParameters, phoneKeys: string[]) => {
	const routes = parameters.output === 'routeByKey' && (parameters.resource === undefined || parameters.resource === 'callback');
	if (!routes) return [{ type: 'main' }];
	const keys = String(parameters.routedKeys ?? '')
		.split(/[\s,]+/)
		.filter((key, index, all) => phoneKeys.includes(key) && all.indexOf(key) === index);
	const names = keys.map((key) => 'Key ' + key).concat(['Answered, No Key', 'Not Answered', 'Other']);
	return names.map((displayName) => ({ type: 'main', displayName }));
};

/** The `outputs` of a node that routes callbacks, as n8n evaluates it in the editor. */
export const callbackOutputsExpression: `={{${string}}}` = `={{(${callbackOutputs})($parameter, ${JSON.stringify(PHONE_KEYS)})}}`;

export function callbackRoutingFields(displayOptions?: IDisplayOptions): INodeProperties[] {
	const shown = displayOptions ? { displayOptions } : {};
	return [
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
			default: [...CALLBACK_EVENTS],
			description:
				'Which events come out; the others are answered and start no execution. For keypress results the Call Ended (CDR) event alone is enough: leave the extension events out, or give the platform no extension status callback address at all.',
			...shown,
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
			...shown,
		},
		{
			displayName: 'Keys to Route',
			name: 'routedKeys',
			type: 'string',
			default: DEFAULT_ROUTED_KEYS,
			placeholder: '1, 2, #',
			displayOptions: { show: { ...(displayOptions?.show ?? {}), output: ['routeByKey'] } },
			description: 'The keys that get an output each, separated by commas (0–9, *, #)',
		},
	];
}

export const duplicateWindowOption: INodeProperties = {
	displayName: 'Duplicate Window (Events)',
	name: 'duplicateWindow',
	type: 'number',
	typeOptions: { minValue: 10, maxValue: 100000 },
	default: DEFAULT_DUPLICATE_WINDOW,
	description: 'How many recent events are remembered to recognise a duplicate',
};

export const itemFormatOption: INodeProperties = {
	displayName: 'Item Format',
	name: 'itemFormat',
	type: 'options',
	options: [
		{ name: 'Normalized', value: 'normalized', description: 'Numbers, booleans, ISO times and derived fields' },
		{ name: 'Raw', value: 'raw', description: 'The payload exactly as the platform sent it' },
	],
	default: 'normalized',
};

export const timeZoneOption: INodeProperties = {
	displayName: 'Platform Time Zone',
	name: 'timeZone',
	type: 'string',
	default: DEFAULT_PLATFORM_TIME_ZONE,
	description: 'The zone the platform writes its times in, used for the ISO 8601 times (an IANA name)',
};

/** What to do with a payload that is neither an extension status nor a CDR: emit it, or the node's own refusal. */
export function unknownPayloadsOption(refusal: { name: string; value: string }, subject: string): INodeProperties {
	return {
		displayName: 'Unrecognized Payloads',
		name: 'unknownPayloads',
		type: 'options',
		options: [{ name: 'Emit as "Unknown" Event', value: 'emit' }, refusal],
		default: 'emit',
		description: `What to do with a ${subject} that is neither an extension status nor a CDR`,
	};
}

export function dropDuplicatesOption(description: string): INodeProperties {
	return { displayName: 'Drop Duplicate Events', name: 'dropDuplicates', type: 'boolean', default: true, description };
}

/** Both triggers: records of calls an execution waits for are that execution's (it reads them from the platform). */
export const waitedCallsOption: INodeProperties = {
	displayName: 'Include Calls Waited For',
	name: 'includeWaitedCalls',
	type: 'boolean',
	default: false,
	description:
		'Whether to also put out the records of calls placed by "Play Voice Menu and Wait for Result". That execution gets their results from the platform\'s call records by itself, so they are left out by default, not handled twice.',
};
