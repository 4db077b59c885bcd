import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callbackOutputsExpression } from '../shared/callbacks/callbackDescription';
import { nodeIcon } from '../shared/icons/sipCallIcon';
import { closeTriggerScope } from './triggerScope';
import { receiveCallbacks } from './receiveCallbacks';
import { answerRefusal, CallbackRefusal } from './refusal';
import { triggerProperties } from './SipCallTriggerDescription';
import { settingOrThrow } from '../shared/settingProblem';
import { readTriggerSettings } from './triggerSettings';

export class SipCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Call Trigger',
		name: 'sipCallTrigger',
		icon: nodeIcon,
		group: ['trigger'],
		// 1.1: n8n evaluates no expression per callback to parse the body (at 1 it did, for every
		// request, which cost an expression isolate each); saved workflows at 1 keep working.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["output"] === "routeByKey" ? "Route by key" : "Callbacks"}}',
		description:
			'Starts the workflow when the SIP call-center platform sends an extension-status or call detail record (CDR) callback',
		defaults: { name: 'SIP Call Trigger' },
		inputs: [],
		outputs: callbackOutputsExpression,
		credentials: [
			{
				name: 'sipCallCallbackHeaderAuthApi',
				required: true,
				testedBy: 'checkCallbackCredential',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
			{
				name: 'sipCallCallbackBasicAuthApi',
				required: true,
				testedBy: 'checkCallbackCredential',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// A static path: n8n evaluates nothing per request to route the callback.
				path: 'sip-call',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			/** The callback credentials guard requests coming in, so there is nothing to call: check they are complete. */
			async checkCallbackCredential(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const fields = 'headerName' in data ? ['headerName', 'headerValue'] : ['user', 'password'];
				const missing = fields.filter((field) => !String(data[field] ?? '').trim());
				return missing.length
					? { status: 'Error', message: `Fill in ${missing.join(' and ')}.` }
					: { status: 'OK', message: 'The trigger will require these values on every callback.' };
			},
		},
	};

	/**
	 * The platform has no API to register a callback address: a person pastes the URL into its back
	 * office. So these methods register nothing; activation only checks the node's settings, so a
	 * mistake shows when the workflow is activated instead of on the platform's first callback.
	 * Deactivation drops what this workflow's trigger kept in memory and stops its timers; static
	 * data stays. n8n also runs `delete` when a test listen ends: that closes only the test
	 * listen's own memory (hooks and requests of a test listen run in "manual" mode, see triggerScope.ts).
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				settingOrThrow(this.getNode(), readTriggerSettings(this));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				closeTriggerScope(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await receiveCallbacks(this);
		} catch (error) {
			if (error instanceof CallbackRefusal) return answerRefusal(this, error);
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}
}
