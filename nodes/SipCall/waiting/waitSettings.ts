/** "Play Voice Menu and Wait for Result"'s own settings: defaults (the description shows them), reading and validation. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readPlatformTimeZone, SettingProblem } from '../../shared/callbacks/callbackSettings';
import { MAX_WAIT_LIMIT_MINUTES } from '../../shared/waitForResult/waitTiming';
import type { WaitSettings } from './waitResults';

/** The grace after the limit lives with the triggers' give-up time it bounds (waitTiming.ts). */
export { RESUME_GRACE_MS } from '../../shared/waitForResult/waitTiming';
export const DEFAULT_WAIT_MINUTES = 10;

export function readWaitSettings(context: IExecuteFunctions): WaitSettings {
	const limitMinutes = Number(context.getNodeParameter('waitLimit', 0, DEFAULT_WAIT_MINUTES));
	if (!Number.isFinite(limitMinutes) || limitMinutes <= 0 || limitMinutes > MAX_WAIT_LIMIT_MINUTES) {
		throw new NodeOperationError(
			context.getNode(),
			`Wait Limit must be a number of minutes above 0 and at most ${MAX_WAIT_LIMIT_MINUTES} (7 days), not "${limitMinutes}".`,
		);
	}
	const options = context.getNodeParameter('waitOptions', 0, {}) as IDataObject;
	return {
		limitMinutes,
		timeoutAsError: options.onTimeout === 'errorItem',
		timeZone: context.getTimezone(),
		platformTimeZone: readPlatformTimeZoneOf(context, options.platformTimeZone),
	};
}

function readPlatformTimeZoneOf(context: IExecuteFunctions, value: unknown): string {
	const timeZone = readPlatformTimeZone(value);
	if (timeZone instanceof SettingProblem) throw new NodeOperationError(context.getNode(), timeZone.message, { description: timeZone.fix });
	return timeZone;
}
