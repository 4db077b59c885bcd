/** Call → Get Results: the outcome of earlier calls, found by their customuuid in the platform's records. */
import type { INodeProperties } from 'n8n-workflow';

import { callbackOutputsExpression, timeZoneOption } from '../../shared/callbacks/callbackDescription';
import { DEFAULT_LOOK_BACK_HOURS } from '../records/getResultsSettings';

const shownFor = { show: { resource: ['call'], operation: ['getResults'] } };

// Play Voice Menu and Wait for Result keeps one output: n8n 1.x forwards only the first output of a resumed node.
const withCallingWindow = `$parameter.resource === "call" && $parameter.operation === "playVoiceMenu" && !!($parameter.options && $parameter.options.callingWindow && $parameter.options.callingWindow.window)`;

/**
 * The SIP Call node's outputs: "Completed" and "Pending" for Get Results; the calls and "Outside
 * Calling Window" for Play Voice Menu (and wait) with a Calling Window; otherwise those of the
 * callback routing (one, or one per routed key for Parse Callback).
 */
export const sipCallOutputsExpression: `={{${string}}}` = `={{ $parameter.resource === "call" && $parameter.operation === "getResults" ? [{ type: "main", displayName: "Completed" }, { type: "main", displayName: "Pending" }] : ${withCallingWindow} ? [{ type: "main", displayName: "Calls" }, { type: "main", displayName: "Outside Calling Window" }] : ${callbackOutputsExpression.slice(3, -2)} }}`;

export const getResultsFields: INodeProperties[] = [
	{
		displayName: 'Custom Data (Customuuid)',
		name: 'customData',
		type: 'string',
		default: '={{ $json.customuuid }}',
		description:
			'The customuuid the call was placed with (Play Voice Menu\'s Custom Data): its call record is looked up by it. Rows that come from Play Voice Menu and Wait for Result are found by their call (they carry waitCallHash), whatever this holds.',
		displayOptions: shownFor,
	},
	{
		displayName: 'Options',
		name: 'resultOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: shownFor,
		options: [
			{
				displayName: 'Look Back (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 2208 },
				default: DEFAULT_LOOK_BACK_HOURS,
				description: 'How far back the one sweep of the platform\'s records reaches: cover the oldest call of the batch',
			},
			timeZoneOption,
		],
	},
];
