import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { callFields, callOperations } from './descriptions/CallDescription';
import { paceOptions } from './descriptions/PaceOptionsDescription';
import { answerSweep } from './waitForResult/waitingNode';
import { waitForResultWebhooks } from './waitForResult/waitProtocol';
import { callbackOperations, parseCallbackFields } from './descriptions/ParseCallbackDescription';
import { callRecordFields, callRecordOperations } from './descriptions/CallRecordDescription';
import { getSummaryFields } from './descriptions/GetSummaryDescription';
import { recordingFields, recordingOperations } from './descriptions/RecordingDescription';
import { sipCallOutputsExpression } from './descriptions/GetResultsDescription';
import { nodeIcon } from '../shared/icons/sipCallIcon';

export class SipCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Call',
		name: 'sipCall',
		icon: nodeIcon,
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["resource"] === "callback" ? "Parse callback" : ({ playVoiceMenuAndWait: "Play voice menu and wait", getResults: "Get call results", checkSetUp: "Check set-up", getMany: "Get many call records", getSummary: "Summarise calls", get: "Get recording" })[$parameter["operation"]] ?? "Play voice menu" }}',
		description:
			'Place Voice Menu calls on a SIP call-center platform (dial, play a voice file, transfer to agents on a keypress) and get their results, call records and recordings, or parse its callbacks',
		defaults: { name: 'SIP Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: sipCallOutputsExpression,
		credentials: [{ name: 'sipCallApi', required: true, displayOptions: { show: { resource: ['call', 'callRecord', 'recording'] } } }],
		webhooks: waitForResultWebhooks,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call' },
					{ name: 'Call Record', value: 'callRecord' },
					{ name: 'Callback', value: 'callback' },
					{ name: 'Recording', value: 'recording' },
				],
				default: 'call',
			},
			...callOperations,
			...callFields,
			...callbackOperations,
			...parseCallbackFields,
			...callRecordOperations,
			...callRecordFields,
			...getSummaryFields,
			...recordingOperations,
			...recordingFields,
			paceOptions,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await answerSweep(this);
	}
}
