import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { placeVoiceMenuCall, describeRequest } from './actions/placeVoiceMenuCall';
import { readRowIdentity, readVoiceMenuRequest, type VoiceMenuRequest } from './actions/readVoiceMenuRequest';
import { callFields, callOperations } from './descriptions/CallDescription';
import { PlatformError } from './transport/platformErrors';

const DEFAULT_TIMEOUT_MS = 30_000;

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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { resource: ['call'], operation: ['playVoiceMenu'] } },
				options: [
					{
						displayName: 'Request Timeout (Ms)',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1000 },
						default: DEFAULT_TIMEOUT_MS,
						description:
							'How long to wait for the platform to answer. A request that times out may still have placed the call, so it is reported, not retried.',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			let request: VoiceMenuRequest | undefined;
			try {
				request = readVoiceMenuRequest(this, itemIndex);
				const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
				const json = await placeVoiceMenuCall(this, request, {
					timeoutMs: Number(options.timeout ?? DEFAULT_TIMEOUT_MS),
				});
				returnData.push({ json, pairedItem: { item: itemIndex } });
			} catch (error) {
				const nodeError =
					error instanceof PlatformError
						? new NodeOperationError(this.getNode(), error.message, {
								itemIndex,
								description: error.description,
							})
						: error instanceof NodeOperationError
							? error
							: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				if (!this.continueOnFail()) throw nodeError;
				returnData.push({
					json: {
						accepted: false,
						error: nodeError.message,
						errorDescription: nodeError.description ?? null,
						mayHaveBeenPlaced: error instanceof PlatformError ? error.mayHaveBeenPlaced : false,
						...(error instanceof PlatformError ? error.details : {}),
						...(request ? describeRequest(request) : readRowIdentity(this, itemIndex)),
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [returnData];
	}
}
