import type { INodeProperties } from 'n8n-workflow';

import { playVoiceMenuFields } from './PlayVoiceMenuDescription';
import { waitForResultFields } from './WaitForResultDescription';
import { getResultsFields } from './GetResultsDescription';
import { checkSetUpFields } from './CheckSetUpDescription';

export const callOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Play Voice Menu',
				value: 'playVoiceMenu',
				description:
					'Call a number, play a voice file when answered, and put the callee through to an extension group when they press the transfer key',
				action: 'Play a voice menu call',
			},
			{
				name: 'Play Voice Menu and Wait for Result',
				value: 'playVoiceMenuAndWait',
				description:
					'Place the calls, then pause the workflow until each call\'s record arrives, and continue with the key pressed, talk time and hang-up of every row',
				action: 'Play a voice menu call and wait for the result',
			},
			{
				name: 'Get Results',
				value: 'getResults',
				description:
					'Look up the outcome of calls placed earlier by their customuuid, in one sweep of the platform\'s records: finished calls on "Completed", the others on "Pending" (loop them through a Wait node)',
				action: 'Get the results of calls',
			},
			{
				name: 'Check Set-Up',
				value: 'checkSetUp',
				description:
					'Run once after set-up: the API URL, the IP allow-list, the token or login and, optionally, one test call to your own phone, with one item per check saying what to do when it fails',
				action: 'Check the set up',
			},
		],
		default: 'playVoiceMenu',
	},
];

export const callFields: INodeProperties[] = [...playVoiceMenuFields, ...waitForResultFields, ...getResultsFields, ...checkSetUpFields];
