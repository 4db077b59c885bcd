/** "Play Voice Menu and Wait for Result"'s own settings: defaults (the description shows them), reading and validation. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readPlatformTimeZone, SettingProblem } from '../../shared/callbacks/callbackSettings';
import type { WaitSettings } from './waitResults';

/**
 * Past the limit, n8n itself resumes the execution; until then the trigger's hand-over at the
 * limit and, after it, the dialing process's own request (askAtLimit, 20 s after the limit), each
 * answered within 15 s, get to resume it with what the platform holds.
 */
export const RESUME_GRACE_MS = 45_000;
export const DEFAULT_WAIT_MINUTES = 10;

export function readWaitSettings(context: IExecuteFunctions): WaitSettings {
	const limitMinutes = Number(context.getNodeParameter('waitLimit', 0, DEFAULT_WAIT_MINUTES));
	if (!Number.isFinite(limitMinutes) || limitMinutes <= 0 || limitMinutes > 7 * 24 * 60) {
		throw new NodeOperationError(context.getNode(), `Wait Limit must be a number of minutes above 0 and at most 10080 (7 days), not "${limitMinutes}".`);
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
