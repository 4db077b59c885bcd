/**
 * CDRs of calls an execution waits for go to that execution, not out of the trigger; those it
 * cannot take come out as items with the reason, so no CDR is lost.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { callbackIdentity, classifyCallback } from '../../shared/callbacks/classifyCallback';
import { postHandOver } from '../../shared/waitForResult/handOver';
import { waitingBaseUrlFor } from '../../shared/waitForResult/resumeUrl';
import type { TriggerSettings } from '../triggerSettings';
import {
	deliverWaitedCdrs,
	cutReferenceItem,
	findWaitedCdr,
	undeliveredItems,
	type WaitedCdr,
} from '../../shared/waitForResult/deliverWaitedCdrs';
import type { TriggerScope } from '../triggerScope';

export async function handOverWaitedCdrs(
	context: IWebhookFunctions,
	scope: TriggerScope,
	payloads: IDataObject[],
	staticData: IDataObject,
	settings: TriggerSettings,
	isWaitedCopy: ((identity: string) => boolean) | undefined,
): Promise<{ payloads: IDataObject[]; undelivered: IDataObject[] }> {
	const rest: IDataObject[] = [];
	const waited: WaitedCdr[] = [];
	const cut: IDataObject[] = [];
	for (const payload of payloads) {
		const event = classifyCallback(payload);
		const cdr = event === 'callEnded' ? findWaitedCdr(payload) : undefined;
		const cutReference = event === 'callEnded' && !cdr ? cutReferenceItem(payload, settings.timeZone) : undefined;
		if (cutReference) cut.push(cutReference);
		else if (!cdr) rest.push(payload);
		else {
			// Copies of a waited CDR are caught in memory only: the batch holds one per call, and the
			// waiting execution takes one per call, so no static data is written per waited CDR.
			const identity = callbackIdentity(payload, event);
			if (identity === undefined || !isWaitedCopy?.(identity)) waited.push(cdr);
		}
	}
	// Every request also gives out what an execution could not take since the last one.
	const undelivered = await deliverWaitedCdrs(scope, waited, {
		waitingBaseUrl:
			settings.waitingBaseUrl || waitingBaseUrlFor(String(context.getNodeWebhookUrl('default')), context.getNode().webhookId),
		staticData,
		forward: async (url, cdrs) => await postHandOver(context, url, cdrs),
		warn: (message) => context.logger.warn(message),
	});
	return {
		payloads: rest,
		undelivered: [...cut, ...undeliveredItems(undelivered, settings.timeZone)],
	};
}
