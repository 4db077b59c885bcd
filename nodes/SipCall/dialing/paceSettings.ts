/** How the SIP Call node dials a list: its pace and retries (defaults the description shows, and the reader), and the platform's time zone its hours are read in. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { settingOrThrow } from '../../shared/settingProblem';
import type { RetrySettings } from './retryPolicy';

export const PACE_DEFAULTS = {
	callsPerSecond: 2,
	maxInFlight: 2,
	timeoutMs: 30_000,
	maxRetries: 3,
	// The vendor publishes no "too many calls" code (its 1011 and 1012 are extension errors): none by default.
	slowDownCodes: '',
};

export interface BatchSettings {
	callsPerSecond: number;
	maxInFlight: number;
	timeoutMs: number;
	retry: RetrySettings;
}

/** The Slow-Down Error Codes option as a list; unset, the default (none). */
export function readSlowDownCodes(option: unknown): string[] {
	return String(option ?? PACE_DEFAULTS.slowDownCodes)
		.split(/[\s,]+/)
		.filter(Boolean);
}

/** Pacing is one setting per execution, read from the first item's options. */
export function readBatchSettings(context: IExecuteFunctions): BatchSettings {
	return batchSettingsFrom(context.getNodeParameter('options', 0, {}) as IDataObject);
}

/** The pacing of the node's Options as they are (a waiting node's redials read them without an item). */
export function batchSettingsFrom(options: IDataObject): BatchSettings {
	const number = (value: unknown, fallback: number) => (Number.isFinite(Number(value)) ? Number(value) : fallback);
	return {
		callsPerSecond: Math.max(0, number(options.callsPerSecond, PACE_DEFAULTS.callsPerSecond)),
		maxInFlight: Math.max(1, Math.floor(number(options.maxInFlight, PACE_DEFAULTS.maxInFlight))),
		timeoutMs: Math.max(1000, number(options.timeout, PACE_DEFAULTS.timeoutMs)),
		retry: {
			maxRetries: Math.max(0, Math.floor(number(options.maxRetries, PACE_DEFAULTS.maxRetries))),
			slowDownCodes: readSlowDownCodes(options.slowDownCodes),
			retryWhenUnsure: options.retryWhenUnsure === true,
		},
	};
}

/**
 * The platform's time zone for a list being dialed, where the callees are: Wait Options → Platform
 * Time Zone with Play Voice Menu and Wait (Check Set-up: its Platform Time Zone), otherwise the default (Asia/Shanghai) — never n8n's own
 * zone, which is America/New_York on an instance that never set one.
 */
export function dialingPlatformTimeZone(context: IExecuteFunctions): string {
	const operation = context.getNodeParameter('operation', 0);
	const given =
		operation === 'playVoiceMenuAndWait'
			? (context.getNodeParameter('waitOptions', 0, {}) as IDataObject).platformTimeZone
			: operation === 'checkSetUp'
				? (context.getNodeParameter('checkOptions', 0, {}) as IDataObject).timeZone
				: undefined;
	return settingOrThrow(context.getNode(), readPlatformTimeZone(given));
}
