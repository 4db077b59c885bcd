import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { dialBatch } from './actions/dialBatch';
import { callFields, callOperations } from './descriptions/CallDescription';
import { paceOptions } from './descriptions/PaceOptionsDescription';

export class SipCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Call',
		name: 'sipCall',
		icon: { light: 'file:sipCall.svg', dark: 'file:sipCall.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "playVoiceMenu" ? "Play voice menu" : $parameter["operation"] }}',
		description:
			'Place Voice Menu calls on a SIP call-center platform: dial a number, play a voice file, and transfer the callee to agents on a keypress',
		defaults: { name: 'SIP Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sipCallApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			...callOperations,
			...callFields,
			paceOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await dialBatch(this)];
	}
}
