/**
 * One poll: sweep the look-back window with GetBill (all records, syncflag 3, unless the user
 * asked for syncflag 1), keep the records not seen before, remember them, and route them to the
 * outputs exactly as the SIP Call Trigger routes CDR callbacks.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { buildCallbackOutputs } from '../shared/callbacks/callbackOutputs';
import type { CallRecordQuery } from '../shared/platform/callRecordPages';
import { newestCallRecord, pullCallRecords } from '../shared/platform/pullCallRecords';
import { parseZonedDateTime } from '../shared/zonedTime';
import { pruneSeen, readPollState, sweepWindow, writePollState, type PollState } from './pollState';
import type { RecordTriggerSettings } from './recordTriggerSettings';

/** How far back "Fetch Test Event" looks for a sample. */
const SAMPLE_WINDOW_MS = 30 * 24 * 3600 * 1000;

export function recordKey(record: IDataObject): string {
	return String(record.id ?? record.uuid ?? '');
}

function queryFor(settings: RecordTriggerSettings, fromMs: number, toMs: number): CallRecordQuery {
	return {
		fromMs,
		toMs,
		timeZone: settings.timeZone,
		...settings.filters,
		onlyNotFetchedBefore: settings.onlyNotFetchedBefore,
	};
}

function timeOf(record: IDataObject, field: string, timeZone: string): number | undefined {
	const text = String(record[field] ?? '').trim();
	return text ? parseZonedDateTime(text, timeZone) : undefined;
}

/** A call that ended before the first activation is history, even when its record is written late. */
function isHistory(record: IDataObject, state: PollState, timeZone: string): boolean {
	const endMs = timeOf(record, 'endtime', timeZone);
	// The platform writes whole seconds: a call ending in the activation's second is not history.
	return endMs !== undefined && endMs < Math.floor(state.activatedAtMs / 1000) * 1000;
}

/** The new records (maybe none), or null on the first activation: the baseline is recorded. */
export async function pollNewRecords(context: IPollFunctions, settings: RecordTriggerSettings): Promise<IDataObject[] | null> {
	const staticData = context.getWorkflowStaticData('node');
	const nowMs = Date.now();
	const stored = readPollState(staticData);
	const { fromMs, toMs } = sweepWindow(stored, nowMs, settings.lookBackMs);
	const records = await pullCallRecords(context, queryFor(settings, fromMs, toMs));
	const dialMs = (record: IDataObject) => timeOf(record, 'starttime', settings.timeZone) ?? nowMs;

	if (!stored) {
		// First activation: what the platform holds now is history. n8n saves this baseline after the activation poll.
		const seen: Record<string, number> = {};
		for (const record of records) seen[recordKey(record)] = dialMs(record);
		writePollState(staticData, { activatedAtMs: nowMs, sweptUntilMs: nowMs, seen });
		return null;
	}
	const state: PollState = { ...stored, sweptUntilMs: nowMs, seen: pruneSeen(stored.seen, fromMs) };
	const fresh: IDataObject[] = [];
	for (const record of records) {
		const key = recordKey(record);
		if (!key || state.seen[key] !== undefined) continue;
		state.seen[key] = dialMs(record);
		if (!isHistory(record, state, settings.timeZone)) fresh.push(record);
	}
	// Written to static data now; n8n persists it when this poll emits (or, without an emit, keeps it in memory).
	writePollState(staticData, state);
	return fresh;
}

/** "Fetch Test Event": the newest record of the last 30 days, whatever was emitted before. */
export async function sampleRecords(context: IPollFunctions, settings: RecordTriggerSettings): Promise<IDataObject[]> {
	const nowMs = Date.now();
	// Never mark records fetched for a sample.
	const query = { ...queryFor(settings, nowMs - SAMPLE_WINDOW_MS, nowMs + 60_000), onlyNotFetchedBefore: false };
	const newest = await newestCallRecord(context, query);
	if (!newest) return [];
	return [newest];
}

/** Records as the SIP Call Trigger's CDR items on its outputs. */
export function routeRecords(
	context: IPollFunctions,
	records: IDataObject[],
	settings: RecordTriggerSettings,
): INodeExecutionData[][] {
	const { outputs } = buildCallbackOutputs(records, { events: ['callEnded'], raw: settings.raw, timeZone: settings.timeZone, routedKeys: settings.routedKeys });
	return outputs.map((items) => context.helpers.returnJsonArray(items));
}
