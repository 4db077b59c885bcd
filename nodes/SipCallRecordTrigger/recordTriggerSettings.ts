/** The poller's parameters, read and checked once per poll. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { readCallbackSettings } from '../shared/callbacks/callbackSettings';
import { readCallRecordFilters } from '../shared/platform/callRecordFilters';
import type { CallRecordQuery } from '../shared/platform/callRecordPages';
import { SettingProblem } from '../shared/settingProblem';

/**
 * Calls are written when they end, so a sweep must reach back over the longest call plus the
 * platform's write delay: an hour covers voice-menu calls transferred to an agent and talked
 * through (tens of minutes) and a write delay of minutes, for one or two GetBill pages a poll.
 */
export const DEFAULT_LOOK_BACK_MINUTES = 60;

export interface RecordTriggerSettings {
	routedKeys: string[] | undefined;
	raw: boolean;
	timeZone: string;
	lookBackMs: number;
	onlyNotFetchedBefore: boolean;
	filters: Pick<CallRecordQuery, 'direction' | 'callMethod' | 'destinationNumber' | 'extensions' | 'customData' | 'userId' | 'memberId'>;
	/** Whether records of calls an execution waits for come out too. */
	includeWaitedCalls: boolean;
}

/** Reads the settings; returns a SettingProblem naming the field and the fix when one is wrong. */
export function readRecordTriggerSettings(context: IPollFunctions): RecordTriggerSettings | SettingProblem {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const shared = readCallbackSettings((name, fallback) => context.getNodeParameter(name, fallback), options);
	if (shared instanceof SettingProblem) return shared;
	const lookBackMinutes = Number(options.lookBackMinutes ?? DEFAULT_LOOK_BACK_MINUTES);
	if (!Number.isFinite(lookBackMinutes) || lookBackMinutes < 1) {
		return new SettingProblem(`Look Back (Minutes) "${String(options.lookBackMinutes)}" is not usable`, 'Use a whole number of minutes, 1 or more.');
	}
	return {
		routedKeys: shared.routedKeys,
		raw: shared.raw,
		timeZone: shared.timeZone,
		lookBackMs: Math.round(lookBackMinutes) * 60_000,
		onlyNotFetchedBefore: options.onlyNotFetchedBefore === true,
		filters: readCallRecordFilters(filters),
		includeWaitedCalls: options.includeWaitedCalls === true,
	};
}
