/**
 * One callback request, top to bottom: settings, allow-list, authentication, body, unrecognized
 * payloads, calls an execution waits for, duplicates, then the items per output. Any step
 * may throw a CallbackRefusal.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { buildCallbackOutputs, countUnknown } from '../shared/callbacks/callbackOutputs';
import { readCallbackBody } from '../shared/callbacks/readCallbackBody';
import { isWaitedCall } from '../shared/waitReference';
import { isDuplicateEvent } from './duplicateWindow';
import { triggerScopeOf } from './triggerScope';
import { CallbackRefusal } from './refusal';
import { assertAllowedAddress, assertAuthenticated } from './requestGuards';
import { SettingProblem } from '../shared/settingProblem';
import { readTriggerSettings } from './triggerSettings';

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer; readRawBody?: () => Promise<void> };

export async function receiveCallbacks(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const settings = readTriggerSettings(context);
	if (settings instanceof SettingProblem) throw new CallbackRefusal(500, `The SIP Call Trigger is misconfigured: ${settings.toString()}`);

	const request = context.getRequestObject() as WebhookRequest;
	assertAllowedAddress(String(request.ip ?? request.socket?.remoteAddress ?? ''), settings);
	await assertAuthenticated(context, settings);

	// From typeVersion 1.1 n8n parses only the content types it knows (JSON, text, form, XML) and
	// leaves any other body unread (at 1, it evaluated an expression on every request to decide).
	const contentType = String(request.headers['content-type'] ?? '');
	if (!Buffer.isBuffer(request.rawBody) && !contentType.startsWith('multipart/')) await request.readRawBody?.();
	const body = readCallbackBody(
		{ contentType, rawBody: request.rawBody, parsedBody: request.body },
		settings.maxBodyBytes,
	);
	if (!body.ok) throw new CallbackRefusal(body.status, body.message);
	const unknown = countUnknown(body.payloads);
	if (unknown && settings.refuseUnknown) {
		throw new CallbackRefusal(422, `${unknown} of ${body.payloads.length} payloads are neither an extension status nor a call detail record.`);
	}

	const staticData = context.getWorkflowStaticData('node');
	const scope = triggerScopeOf(context);
	const isDuplicate = settings.dropDuplicates
		? (identity: string) => isDuplicateEvent(scope, staticData, identity, settings.duplicateWindow)
		: undefined;
	// A waited call's execution reads its record from the platform by itself.
	const payloads = settings.includeWaitedCalls ? body.payloads : body.payloads.filter((payload) => !isWaitedCall(payload));
	const { outputs, emitted } = buildCallbackOutputs(payloads, { ...settings, isDuplicate });
	if (!emitted) return { webhookResponse: settings.responseBody };
	return {
		webhookResponse: settings.responseBody,
		workflowData: outputs.map((items) => context.helpers.returnJsonArray(items)),
	};
}
