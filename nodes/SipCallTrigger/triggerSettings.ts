/** The trigger's parameters, read and checked once per request (and when the workflow is activated). */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { CallbackEvent } from '../shared/callbacks/classifyCallback';
import { invalidRoutedKeys, parseRoutedKeys } from '../shared/callbacks/routeByKeypress';
import { assertTimeZone } from '../shared/zonedTime';
import { parseAllowList, type AllowedRange } from './allowList';
import {
	DEFAULT_DUPLICATE_WINDOW,
	DEFAULT_MAX_BODY_KB,
	DEFAULT_RESPONSE_BODY,
} from './SipCallTriggerDescription';

export interface TriggerSettings {
	authentication: 'none' | 'headerAuth' | 'basicAuth';
	allowedRanges: AllowedRange[];
	events: CallbackEvent[];
	routedKeys: string[] | undefined;
	dropDuplicates: boolean;
	duplicateWindow: number;
	raw: boolean;
	maxBodyBytes: number;
	timeZone: string;
	responseBody: IDataObject | string;
	refuseUnknown: boolean;
	/** Where waiting executions are reached; empty: derived from this trigger's own URL. */
	waitingBaseUrl: string;
}

/** Reads the settings; returns a sentence naming the field and the fix when one is wrong. */
export function readTriggerSettings(context: IWebhookFunctions | IHookFunctions): TriggerSettings | string {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const { ranges, invalid } = parseAllowList(String(context.getNodeParameter('allowedIps', '')));
	if (invalid.length) {
		return `Allowed IPs has entries that are not addresses or CIDR ranges: ${invalid.join(', ')}. Use forms like 203.0.113.7 or 203.0.113.0/24.`;
	}
	let routedKeys: string[] | undefined;
	if (context.getNodeParameter('output', 'single') === 'routeByKey') {
		routedKeys = parseRoutedKeys(String(context.getNodeParameter('routedKeys', '')));
		const invalidKeys = invalidRoutedKeys(routedKeys);
		if (invalidKeys.length) {
			return `Keys to Route has entries that are not phone keys: ${invalidKeys.join(', ')}. Use single keys 0–9, * or #, separated by commas.`;
		}
	}
	const timeZone = String(options.timeZone ?? 'Asia/Shanghai').trim() || 'Asia/Shanghai';
	try {
		assertTimeZone(timeZone);
	} catch {
		return `Platform Time Zone "${timeZone}" is not a time zone. Use an IANA name such as Asia/Shanghai.`;
	}
	const responseText = String(options.responseBody ?? DEFAULT_RESPONSE_BODY);
	return {
		authentication: context.getNodeParameter('authentication', 'none') as TriggerSettings['authentication'],
		allowedRanges: ranges,
		events: context.getNodeParameter('events', []) as CallbackEvent[],
		routedKeys,
		dropDuplicates: options.dropDuplicates !== false,
		duplicateWindow: Number(options.duplicateWindow ?? DEFAULT_DUPLICATE_WINDOW),
		raw: options.itemFormat === 'raw',
		maxBodyBytes: Number(options.maxBodyKb ?? DEFAULT_MAX_BODY_KB) * 1024,
		timeZone,
		responseBody: parseResponseBody(responseText),
		refuseUnknown: options.unknownPayloads === 'refuse',
		waitingBaseUrl: String(options.waitingBaseUrl ?? '').trim(),
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
