/**
 * The settings the SIP Call Trigger and the Parse Callback operation share: their defaults, one
 * reader, one validation. The descriptions import the defaults from here.
 */
import type { IDataObject } from 'n8n-workflow';

import { isPhoneKey } from '../phoneKeys';
import { SettingProblem } from '../settingProblem';
import { isTimeZone } from '../zonedTime';
import type { CallbackEvent } from './classifyCallback';
import { parseRoutedKeys } from './routeByKeypress';

export const DEFAULT_PLATFORM_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_DUPLICATE_WINDOW = 1000;
export const DEFAULT_ROUTED_KEYS = '1, 2';

export interface CallbackSettings {
	events: CallbackEvent[];
	/** The keys with an output each, with "Route by Key Pressed"; undefined with a single output. */
	routedKeys: string[] | undefined;
	raw: boolean;
	timeZone: string;
	dropDuplicates: boolean;
	duplicateWindow: number;
}

/** The Platform Time Zone as set, or the default; a name that is not a time zone is refused. */
export function readPlatformTimeZone(value: unknown): string | SettingProblem {
	const timeZone = String(value ?? DEFAULT_PLATFORM_TIME_ZONE).trim() || DEFAULT_PLATFORM_TIME_ZONE;
	if (isTimeZone(timeZone)) return timeZone;
	return new SettingProblem(`Platform Time Zone "${timeZone}" is not a time zone`, `Use an IANA name such as ${DEFAULT_PLATFORM_TIME_ZONE}.`);
}

/**
 * Reads the shared fields. `parameter` reads one of the node's parameters (with a fallback);
 * `options` is the node's options collection.
 */
export function readCallbackSettings(
	parameter: (name: string, fallback: unknown) => unknown,
	options: IDataObject,
): CallbackSettings | SettingProblem {
	let routedKeys: string[] | undefined;
	if (parameter('output', 'single') === 'routeByKey') {
		routedKeys = parseRoutedKeys(String(parameter('routedKeys', DEFAULT_ROUTED_KEYS)));
		const invalid = routedKeys.filter((key) => !isPhoneKey(key));
		if (invalid.length) {
			return new SettingProblem(`Keys to Route has entries that are not phone keys: ${invalid.join(', ')}`, 'Use single keys 0–9, * or #, separated by commas.');
		}
	}
	const timeZone = readPlatformTimeZone(options.timeZone);
	if (timeZone instanceof SettingProblem) return timeZone;
	return {
		events: parameter('events', []) as CallbackEvent[],
		routedKeys,
		raw: options.itemFormat === 'raw',
		timeZone,
		dropDuplicates: options.dropDuplicates !== false,
		duplicateWindow: Number(options.duplicateWindow ?? DEFAULT_DUPLICATE_WINDOW),
	};
}
