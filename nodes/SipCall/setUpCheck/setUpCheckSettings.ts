/** Call → Check Set-up's settings: whether to dial, and how long to look for the test call's record. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { platformTimeZoneOf } from '../records/platformReads';
import { SettingProblem, settingError } from '../../shared/settingProblem';

export const DEFAULT_RECORD_WAIT_MINUTES = 5;
export const MIN_RECORD_WAIT_MINUTES = 0.1;
export const MAX_RECORD_WAIT_MINUTES = 30;

export interface SetUpCheckSettings {
	placeTestCall: boolean;
	recordWaitMs: number;
	timeZone: string;
}

/** The settings of the one check an execution runs (read from its first item). */
export function readSetUpCheckSettings(context: IExecuteFunctions): SetUpCheckSettings {
	const options = context.getNodeParameter('checkOptions', 0, {}) as IDataObject;
	const minutes = Number(options.recordWaitMinutes ?? DEFAULT_RECORD_WAIT_MINUTES);
	if (!Number.isFinite(minutes) || minutes < MIN_RECORD_WAIT_MINUTES || minutes > MAX_RECORD_WAIT_MINUTES) {
		throw settingError(context.getNode(), new SettingProblem(`Wait for Record "${String(options.recordWaitMinutes)}" is not between ${MIN_RECORD_WAIT_MINUTES} and ${MAX_RECORD_WAIT_MINUTES} minutes`, `Set Options → Wait for Record (Minutes) to how long your test call lasts plus a minute, for example ${DEFAULT_RECORD_WAIT_MINUTES}.`), 0);
	}
	return {
		placeTestCall: context.getNodeParameter('placeTestCall', 0, false) === true,
		recordWaitMs: Math.round(minutes * 60_000),
		timeZone: platformTimeZoneOf(context, options, 0),
	};
}
