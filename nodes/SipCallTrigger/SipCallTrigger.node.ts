import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildCallbackOutputs, countUnknown } from '../shared/callbacks/callbackOutputs';
import { callbackIdentity, classifyCallback } from '../shared/callbacks/classifyCallback';
import { normalizeCdr } from '../shared/callbacks/normalizeCallback';
import { outputForItem } from '../shared/callbacks/routeByKeypress';
import { deliverWaitedCdrs, findWaitedCdr, forwardWithHelpers, waitingBaseUrlFor, type WaitedCdr } from './waitingDelivery';
import { readCallbackBody } from '../shared/callbacks/readCallbackBody';
import { isDuplicateEvent } from './duplicateWindow';
import { checkBasicAuth, checkHeaderAuth, isAllowed, type Refusal } from './requestGuards';
import { callbackOutputs } from '../shared/callbacks/callbackDescription';
import { triggerProperties } from './SipCallTriggerDescription';
import { readTriggerSettings, type TriggerSettings } from './triggerSettings';
import { closeTriggerScope, triggerScopeOf, type TriggerScope } from './triggerScope';

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer };

export class SipCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Call Trigger',
		name: 'sipCallTrigger',
		icon: { light: 'file:../SipCall/sipCall.svg', dark: 'file:../SipCall/sipCall.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["output"] === "routeByKey" ? "Route by key" : "Callbacks"}}',
		description:
			'Starts the workflow when the SIP call-center platform sends an extension-status or call detail record (CDR) callback',
		defaults: { name: 'SIP Call Trigger' },
		inputs: [],
		outputs: `={{(${callbackOutputs})($parameter)}}`,
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
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const settings = readTriggerSettings(this);
				if (typeof settings === 'string') throw new NodeOperationError(this.getNode(), settings);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				closeTriggerScope(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = readTriggerSettings(this);
		if (typeof settings === 'string') return refuse(this, 500, `The SIP Call Trigger is misconfigured: ${settings}`);

		const request = this.getRequestObject() as WebhookRequest;
		const clientIp = String(request.ip ?? request.socket?.remoteAddress ?? '');
		if (settings.allowedRanges.length && !isAllowed(clientIp, settings.allowedRanges)) {
			return refuse(this, 403, `Callbacks from ${clientIp} are not allowed: add the address to Allowed IPs in the SIP Call Trigger.`);
		}
		const authRefusal = await checkAuthentication(this, settings);
		if (authRefusal) return refuse(this, authRefusal.status, authRefusal.message, authRefusal.headers);

		const body = readCallbackBody(
			{ contentType: String(request.headers['content-type'] ?? ''), rawBody: request.rawBody, parsedBody: request.body },
			settings.maxBodyBytes,
		);
		if (!body.ok) return refuse(this, body.status, body.message);
		const unknown = countUnknown(body.payloads);
		if (unknown && settings.refuseUnknown) {
			return refuse(this, 422, `${unknown} of ${body.payloads.length} payloads are neither an extension status nor a call detail record.`);
		}

		const staticData = this.getWorkflowStaticData('node');
		const scope = triggerScopeOf(this);
		const isDuplicate = settings.dropDuplicates
			? (identity: string) => isDuplicateEvent(scope, staticData, identity, settings.duplicateWindow)
			: undefined;
		const { payloads, undelivered } = await handOverWaitedCdrs(this, scope, body.payloads, staticData, isDuplicate);
		const { outputs, emitted } = buildCallbackOutputs(payloads, { ...settings, isDuplicate });
		for (const item of undelivered) {
			outputs[settings.routedKeys ? outputForItem(item, settings.routedKeys) : 0].push(item);
		}
		if (!emitted && !undelivered.length) return { webhookResponse: settings.responseBody };
		return {
			webhookResponse: settings.responseBody,
			workflowData: outputs.map((items) => this.helpers.returnJsonArray(items)),
		};
	}
}

/**
 * CDRs of calls an execution waits for go to that execution, not out of the trigger; those it
 * cannot take come out as items with the reason, so no CDR is lost.
 */
async function handOverWaitedCdrs(
	context: IWebhookFunctions,
	scope: TriggerScope,
	payloads: IDataObject[],
	staticData: IDataObject,
	isDuplicate: ((identity: string) => boolean) | undefined,
): Promise<{ payloads: IDataObject[]; undelivered: IDataObject[] }> {
	const rest: IDataObject[] = [];
	const waited: WaitedCdr[] = [];
	for (const payload of payloads) {
		const event = classifyCallback(payload);
		const cdr = event === 'callEnded' ? findWaitedCdr(payload) : undefined;
		if (!cdr) {
			rest.push(payload);
			continue;
		}
		const identity = callbackIdentity(payload, event);
		if (identity === undefined || !isDuplicate?.(identity)) waited.push(cdr);
	}
	// Every request also gives out what an execution could not take since the last one.
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const undelivered = await deliverWaitedCdrs(scope, waited, {
		waitingBaseUrl:
			String(options.waitingBaseUrl ?? '').trim() || waitingBaseUrlFor(String(context.getNodeWebhookUrl('default')), context.getNode().webhookId),
		staticData,
		forward: async (url, cdrs) => await forwardWithHelpers(context, url, cdrs),
	});
	const timeZone = String(options.timeZone ?? 'Asia/Shanghai').trim() || 'Asia/Shanghai';
	return {
		payloads: rest,
		// customuuid carried the execution's resume token: it stays out of the item.
		undelivered: undelivered.map(({ payload, executionId, reason }) => ({
			...normalizeCdr(payload, timeZone),
			customuuid: null,
			waitingExecutionId: executionId,
			notHandedOver: reason,
		})),
	};
}

async function checkAuthentication(context: IWebhookFunctions, settings: TriggerSettings): Promise<Refusal | undefined> {
	const headers = context.getHeaderData() as Record<string, unknown>;
	if (settings.authentication === 'headerAuth') {
		const credential = await context.getCredentials<IDataObject>('sipCallCallbackHeaderAuthApi');
		return checkHeaderAuth(headers, String(credential.headerName ?? ''), String(credential.headerValue ?? ''));
	}
	if (settings.authentication === 'basicAuth') {
		const credential = await context.getCredentials<IDataObject>('sipCallCallbackBasicAuthApi');
		return checkBasicAuth(headers.authorization, String(credential.user ?? ''), String(credential.password ?? ''));
	}
	return undefined;
}

function refuse(
	context: IWebhookFunctions,
	status: number,
	message: string,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	response.end(JSON.stringify({ code: status, message }));
	return { noWebhookResponse: true };
}
