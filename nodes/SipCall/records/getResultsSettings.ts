/** Get Results' own setting: how far back its one sweep of the platform's records reaches. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { SettingProblem, settingError } from '../../shared/settingProblem';

export const DEFAULT_LOOK_BACK_HOURS = 24;

export function readLookBackHours(context: IExecuteFunctions, options: IDataObject): number {
	const hours = Number(options.lookBackHours ?? DEFAULT_LOOK_BACK_HOURS);
	if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 92) {
		throw settingError(context.getNode(), new SettingProblem(`Look Back must be a number of hours above 0 and at most 2208 (92 days), not "${String(options.lookBackHours)}"`, 'Use how long ago the oldest call of the batch was placed, with some margin. The platform keeps records about three months.'));
	}
	return hours;
}
