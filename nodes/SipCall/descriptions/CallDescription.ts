import type { INodeProperties } from 'n8n-workflow';

import { playVoiceMenuFields } from './PlayVoiceMenuDescription';

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
		],
		default: 'playVoiceMenu',
	},
];

export const callFields: INodeProperties[] = [...playVoiceMenuFields];
