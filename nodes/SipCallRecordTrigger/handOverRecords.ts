/**
 * Records of calls placed by "Play Voice Menu and Wait for Result" (their customuuid is a wait
 * reference) go to the waiting executions, through the same batch gathering as the SIP Call
 * Trigger's; those an execution does not take come out as items with the reason. So call-and-wait
 * works without the platform reaching n8n.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	deliverWaitedCdrs,
	cutReferenceItem,
	findWaitedCdr,
	undeliveredItems,
	type WaitedCdr,
} from '../shared/waitForResult/deliverWaitedCdrs';
import { postHandOver } from '../shared/waitForResult/handOver';
import { newHandOverScope, type HandOverScope } from '../shared/waitForResult/handOverScope';
import { waitingBaseUrlOfInstance } from '../shared/waitForResult/resumeUrl';
import type { RecordTriggerSettings } from './recordTriggerSettings';

/**
 * One scope per active poller: keyed by the node's static-data object, which n8n keeps with the
 * active workflow between polls (polls run in the leader main only). So no workflow can reach
 * another's. n8n tells a poller nothing when its workflow is deactivated, so the scope keeps no
 * timer: it sends only during polls, and once the workflow is off nothing holds the scope.
 */
const scopes = new WeakMap<IDataObject, HandOverScope>();

function scopeOf(staticData: IDataObject): HandOverScope {
	let scope = scopes.get(staticData);
	if (!scope) scopes.set(staticData, (scope = newHandOverScope({ timers: false })));
	return scope;
}

/**
 * Hands the waited records over (and, on every poll, what is pending from earlier polls), and
 * returns the records nobody waits for and the items of what no execution took.
 */
export async function handOverRecords(
	context: IPollFunctions,
	records: IDataObject[],
	settings: RecordTriggerSettings,
): Promise<{ rest: IDataObject[]; undelivered: IDataObject[] }> {
	const rest: IDataObject[] = [];
	const waited: WaitedCdr[] = [];
	const cut: IDataObject[] = [];
	for (const record of records) {
		const cdr = findWaitedCdr(record);
		const cutReference = cdr ? undefined : cutReferenceItem(record, settings.timeZone);
		if (cdr) waited.push(cdr);
		else if (cutReference) cut.push(cutReference);
		else rest.push(record);
	}
	const staticData = context.getWorkflowStaticData('node');
	const undelivered = await deliverWaitedCdrs(scopeOf(staticData), waited, {
		waitingBaseUrl: settings.waitingBaseUrl || waitingBaseUrlOfInstance(context.getInstanceBaseUrl()),
		staticData,
		forward: async (url, cdrs) => await postHandOver(context, url, cdrs),
		warn: (message) => context.logger.warn(message),
	});
	return { rest, undelivered: [...cut, ...undeliveredItems(undelivered, settings.timeZone)] };
}
