/** The trigger's parameters, read and checked once per request (and when the workflow is activated). */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { readCallbackSettings, type CallbackSettings } from '../shared/callbacks/callbackSettings';
import { SettingProblem } from '../shared/settingProblem';
import { parseAllowList, type AllowedRange } from '../shared/ipRanges';

export const DEFAULT_RESPONSE_BODY = '{"ret":200,"msg":"ok"}';
export const DEFAULT_MAX_BODY_KB = 256;

export interface TriggerSettings extends CallbackSettings {
	authentication: 'none' | 'headerAuth' | 'basicAuth';
	allowedRanges: AllowedRange[];
	maxBodyBytes: number;
	responseBody: IDataObject | string;
	refuseUnknown: boolean;
	/** Whether records of calls an execution waits for come out too. */
	includeWaitedCalls: boolean;
}

/** Reads the settings; returns a SettingProblem naming the field and the fix when one is wrong. */
export function readTriggerSettings(context: IWebhookFunctions | IHookFunctions): TriggerSettings | SettingProblem {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const { ranges, invalid } = parseAllowList(String(context.getNodeParameter('allowedIps', '')));
	if (invalid.length) {
		return new SettingProblem(`Allowed IPs has entries that are not addresses or CIDR ranges: ${invalid.join(', ')}`, 'Use forms like 203.0.113.7 or 203.0.113.0/24.');
	}
	const shared = readCallbackSettings((name, fallback) => context.getNodeParameter(name, fallback), options);
	if (shared instanceof SettingProblem) return shared;
	return {
		...shared,
		authentication: context.getNodeParameter('authentication', 'none') as TriggerSettings['authentication'],
		allowedRanges: ranges,
		maxBodyBytes: Number(options.maxBodyKb ?? DEFAULT_MAX_BODY_KB) * 1024,
		responseBody: parseResponseBody(String(options.responseBody ?? DEFAULT_RESPONSE_BODY)),
		refuseUnknown: options.unknownPayloads === 'refuse',
		includeWaitedCalls: options.includeWaitedCalls === true,
	};
}

function parseResponseBody(text: string): IDataObject | string {
	try {
		const parsed = JSON.parse(text) as unknown;
		return parsed && typeof parsed === 'object' ? (parsed as IDataObject) : text;
	} catch {
		return text;
	}
}
