/**
 * Options → Skip Numbers Already Called: before dialing, a row whose number (or Custom Data, or
 * both) was called within the look-back is left out, and comes out as an item that says why.
 * Three sources, so that a list re-run, or started twice, rings nobody again:
 * - the platform's call records (GetBill) for the look-back: every call that has ended, whoever placed it;
 * - n8n's deduplication store, for calls this workflow placed that have no record yet (still ringing
 *   or talking). Each row is claimed there before it is dialed, and released if it was not dialed;
 * - the list itself: the same number twice is called once.
 *
 * The store keeps values, not times, so a claim is written for the current half hour and the next,
 * and a row is checked against the current half hour: a claim is seen for 30 to 60 minutes after
 * its call, long enough for the call to end and be recorded. While a long list dials, the claims of
 * its rows are carried into each new half hour. The store is the node's own (n8n's "node" scope:
 * a Remove Duplicates node of the same workflow neither sees nor trims it). It is read and written
 * in two steps, not locked: two executions started within the same instant can both pass it (documented).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { SettingProblem, settingError } from '../../shared/settingProblem';
import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { NODE_STORE } from './callLimits';
import { dialingPlatformTimeZone } from './paceSettings';
import type { VoiceMenuRequest } from './readVoiceMenuRequest';

export type MatchBy = 'number' | 'customData' | 'both';

export interface SkipSettings {
	lookBackHours: number;
	matchBy: MatchBy;
	platformTimeZone: string;
}

const MAX_LOOK_BACK_HOURS = 31 * 24;
const CLAIM_BUCKET_MS = 30 * 60_000;
const CLAIM_BUCKETS_AHEAD = 1;
/** Each claim is 2 entries (and one more each half hour a list is still dialing): the store's 100,000 entries hold the claims of the last 50,000 rows or so. */
const { scope: SCOPE, options: STORE } = NODE_STORE;
/** Shorter customuuids are not taken for a cut Custom Data: too many values would share such a start. */
const MIN_KEPT_CUSTOMUUID = 16;
/** The platform's clock may differ a little from this process's. */
const CLOCK_MARGIN_MS = 5 * 60_000;

export function readSkipSettings(context: IExecuteFunctions): SkipSettings | undefined {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const skip = (options.skipAlreadyCalled as IDataObject | undefined)?.settings as IDataObject | undefined;
	if (!skip) return undefined;
	const lookBackHours = Number(skip.lookBackHours ?? 24);
	if (!Number.isFinite(lookBackHours) || lookBackHours < 1 || lookBackHours > MAX_LOOK_BACK_HOURS) {
		throw settingError(context.getNode(), new SettingProblem(`Skip Numbers Already Called → Look Back (Hours) must be from 1 to ${MAX_LOOK_BACK_HOURS}, not "${String(skip.lookBackHours)}"`, 'Give how many hours back a call to the same number counts, for example 24.'));
	}
	const matchBy = String(skip.matchBy ?? 'number') as MatchBy;
	if (!['number', 'customData', 'both'].includes(matchBy)) {
		throw settingError(context.getNode(), new SettingProblem(`Skip Numbers Already Called → Match By "${matchBy}" is not known`, 'Pick Number, Custom Data, or Number and Custom Data.'));
	}
	const platformTimeZone = readPlatformTimeZone(String(skip.platformTimeZone ?? '').trim() || dialingPlatformTimeZone(context));
	if (platformTimeZone instanceof SettingProblem) {
		throw settingError(context.getNode(), new SettingProblem(`Skip Numbers Already Called → ${platformTimeZone.message}`, platformTimeZone.fix));
	}
	return { lookBackHours, matchBy, platformTimeZone };
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());

/** What identifies "the same call" under Match By; undefined: the row cannot be matched (no Custom Data). */
function matchKeyOf(matchBy: MatchBy, destnumber: unknown, customData: unknown): string | undefined {
	const number = text(destnumber).replace(/^\+/, '');
	const data = text(customData);
	if (matchBy === 'number') return number || undefined;
	if (!data) return undefined;
	return matchBy === 'customData' ? `data:${data}` : `${number}|${data}`;
}

function matchByInWords(matchBy: MatchBy): string {
	return { number: 'number', customData: 'Custom Data', both: 'number and Custom Data' }[matchBy];
}

export interface SkipCheck {
	/** The rows left out, by item index, each with the sentence saying why. */
	skipped: Map<number, string>;
	/** Gives back the claims of rows that were not dialed after all, so a later run may call them. */
	release(itemIndexes: number[]): Promise<void>;
	/** Carries the claims still held into the half hour after the current one, while a long list dials. */
	keepClaimed(nowMs: number): Promise<void>;
}

const claimKeys = (key: string, nowMs: number) => {
	const bucket = Math.floor(nowMs / CLAIM_BUCKET_MS);
	return Array.from({ length: CLAIM_BUCKETS_AHEAD + 1 }, (_, ahead) => `skip:${key}@${bucket + ahead}`);
};

/**
 * Checks the rows about to be dialed (by item index, each as the user's row made it) and claims
 * those that are not skipped. A failure to read the records stops the list before anything is
 * dialed: the user asked not to call anyone twice, and that cannot be checked.
 */
export async function checkAlreadyCalled(
	context: IExecuteFunctions,
	settings: SkipSettings,
	rows: Array<{ itemIndex: number; request: VoiceMenuRequest }>,
): Promise<SkipCheck> {
	const nowMs = Date.now();
	const skipped = new Map<number, string>();
	const lookBack = `${settings.lookBackHours} hour${settings.lookBackHours === 1 ? '' : 's'}`;
	const by = matchByInWords(settings.matchBy);

	let records: IDataObject[];
	try {
		records = await pullCallRecords(context, {
			fromMs: nowMs - settings.lookBackHours * 3_600_000,
			toMs: nowMs + CLOCK_MARGIN_MS,
			timeZone: settings.platformTimeZone,
			direction: 'outbound',
		});
	} catch (error) {
		throw new NodeOperationError(context.getNode(), `Skip Numbers Already Called could not read the platform's call records: ${(error as Error).message}`, {
			description: 'No call was placed in this run. Try again when the platform answers, or turn the option off.',
		});
	}
	const recorded = new Map<string, string>();
	// A platform that keeps fewer characters of customuuid than Custom Data holds records its start only.
	const keptLengths = new Set<number>();
	for (const record of records) {
		const key = matchKeyOf(settings.matchBy, record.destnumber, record.customuuid);
		if (key) recorded.set(key, text(record.starttime) || 'within the look-back');
		if (text(record.customuuid).length >= MIN_KEPT_CUSTOMUUID) keptLengths.add(text(record.customuuid).length);
	}
	const recordedAt = (request: VoiceMenuRequest) => {
		for (const data of [text(request.customuuid), ...[...keptLengths].map((length) => text(request.customuuid).slice(0, length))]) {
			const key = matchKeyOf(settings.matchBy, request.destnumber, data);
			if (key && recorded.has(key)) return recorded.get(key);
		}
		return undefined;
	};

	const firstRowOf = new Map<string, number>();
	const toClaim: Array<{ itemIndex: number; key: string }> = [];
	for (const { itemIndex, request } of rows) {
		const key = matchKeyOf(settings.matchBy, request.destnumber, request.customuuid);
		if (!key) continue;
		const at = recordedAt(request);
		const earlierRow = firstRowOf.get(key);
		if (at !== undefined) {
			skipped.set(itemIndex, `Already called within the last ${lookBack} (same ${by}): the platform's call records hold a call at ${at}.`);
		} else if (earlierRow !== undefined) {
			skipped.set(itemIndex, `Row ${earlierRow + 1} of this list has the same ${by}: it is called once.`);
		} else {
			firstRowOf.set(key, itemIndex);
			toClaim.push({ itemIndex, key });
		}
	}

	const claimedKeys = new Map<number, string[]>();
	let lastBucketClaimed = Math.floor(nowMs / CLAIM_BUCKET_MS) + CLAIM_BUCKETS_AHEAD;
	if (toClaim.length) {
		const keys = toClaim.map(({ key }) => claimKeys(key, nowMs));
		const { processed } = await context.helpers.checkProcessedAndRecord(keys.flat(), SCOPE, STORE);
		const taken = new Set(processed.map(String));
		const writtenForSkipped: string[] = [];
		toClaim.forEach(({ itemIndex }, index) => {
			// The current half hour's claim says whether another run of this workflow called it lately.
			if (taken.has(keys[index][0])) {
				skipped.set(itemIndex, `This node placed a call to the same ${by} within the last hour or so (in this workflow) that is not in the platform's call records yet (still ringing or talking, or just ended).`);
				writtenForSkipped.push(...keys[index].filter((key) => !taken.has(key)));
			} else {
				claimedKeys.set(itemIndex, keys[index]);
			}
		});
		// A skipped row's earlier claim must not be made to last longer by this check.
		if (writtenForSkipped.length) await context.helpers.removeProcessed(writtenForSkipped, SCOPE, STORE);
	}

	return {
		skipped,
		async release(itemIndexes) {
			const keys = itemIndexes.flatMap((itemIndex) => claimedKeys.get(itemIndex) ?? []);
			for (const itemIndex of itemIndexes) claimedKeys.delete(itemIndex);
			if (keys.length) await context.helpers.removeProcessed(keys, SCOPE, STORE);
		},
		async keepClaimed(atMs) {
			const bucket = Math.floor(atMs / CLAIM_BUCKET_MS) + CLAIM_BUCKETS_AHEAD;
			if (bucket <= lastBucketClaimed) return;
			lastBucketClaimed = bucket;
			const added = [...claimedKeys.entries()].map(([itemIndex, keys]) => {
				const key = `${keys[0].slice(0, keys[0].lastIndexOf('@'))}@${bucket}`;
				claimedKeys.set(itemIndex, [...keys, key]);
				return key;
			});
			if (added.length) await context.helpers.checkProcessedAndRecord(added, SCOPE, STORE);
		},
	};
}
