/**
 * From callback payloads to the items on each output: classify, keep the chosen events, drop
 * duplicates, normalize, route. One implementation for the trigger and the Parse Callback operation.
 */
import type { IDataObject } from 'n8n-workflow';

import { callbackIdentity, classifyCallback, type CallbackEvent } from './classifyCallback';
import { normalizeCallback } from './normalizeCallback';
import { outputForItem } from './routeByKeypress';

export interface CallbackOutputOptions {
	events: CallbackEvent[];
	raw: boolean;
	timeZone: string;
	/** Keys that get an output each; undefined for a single output. */
	routedKeys?: string[];
	/** Records an event's identity; true when it was seen before. */
	isDuplicate?: (identity: string) => boolean;
}

export interface CallbackOutputs {
	outputs: IDataObject[][];
	emitted: number;
	ignored: number;
	duplicates: number;
}

export function countUnknown(payloads: IDataObject[]): number {
	return payloads.filter((payload) => classifyCallback(payload) === 'unknown').length;
}

export function buildCallbackOutputs(payloads: IDataObject[], options: CallbackOutputOptions): CallbackOutputs {
	const keys = options.routedKeys;
	const outputs: IDataObject[][] = Array.from({ length: keys ? keys.length + 3 : 1 }, () => []);
	const result: CallbackOutputs = { outputs, emitted: 0, ignored: 0, duplicates: 0 };
	for (const payload of payloads) {
		const event = classifyCallback(payload);
		if (event !== 'unknown' && !options.events.includes(event)) {
			result.ignored += 1;
			continue;
		}
		const identity = callbackIdentity(payload, event);
		if (identity !== undefined && options.isDuplicate?.(identity)) {
			result.duplicates += 1;
			continue;
		}
		const normalized = normalizeCallback(payload, event, options.timeZone);
		const output = keys ? outputForItem(normalized, keys) : 0;
		outputs[output].push(options.raw ? payload : normalized);
		result.emitted += 1;
	}
	return result;
}
