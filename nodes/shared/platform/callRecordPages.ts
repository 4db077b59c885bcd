/**
 * `App.Sip_Cdr.GetBill`: call records in a dial-time window, page by page (at most 1,000 a page),
 * each record once. "All records" (syncflag 3) is the default: it is stateless and safe to repeat.
 * "Only records not fetched before" (syncflag 1) marks records as fetched for every reader of the
 * account, so it is used only when the user asks for it.
 */
import type { IDataObject } from 'n8n-workflow';

import { formatZonedDateTime } from '../zonedTime';

export const GET_BILL_SERVICE = 'App.Sip_Cdr.GetBill';
export const MAX_RECORDS_PER_PAGE = 1000;

export type CallDirection = 'all' | 'inbound' | 'outbound';

export interface CallRecordQuery {
	fromMs: number;
	toMs: number;
	/** The platform's clock: its times are wall-clock times in this zone. */
	timeZone: string;
	direction?: CallDirection;
	/** 0 = any; 1 to 6 as the vendor's table says. */
	callMethod?: number;
	destinationNumber?: string;
	/** Comma-separated extension numbers. */
	extensions?: string;
	customData?: string;
	userId?: string;
	memberId?: string;
	onlyNotFetchedBefore?: boolean;
}

/** Sends one form and returns `data.result` of an accepted answer (throws on a refusal). */
export type FetchResult = (form: Record<string, string>) => Promise<IDataObject>;

/**
 * GetBill reads its window in whole seconds: a window from `fromMs` returns every record dialed
 * from the start of that second on. Whoever forgets records the window has moved past must use
 * this bound, not `fromMs` itself.
 */
export function windowStartAsQueried(fromMs: number): number {
	return Math.floor(fromMs / 1000) * 1000;
}

const DIRECTION_CODES: Record<CallDirection, string> = { inbound: '1', outbound: '2', all: '3' };

export function getBillForm(query: CallRecordQuery, page: number, perPage: number): Record<string, string> {
	const form: Record<string, string> = {
		service: GET_BILL_SERVICE,
		starttime: formatZonedDateTime(windowStartAsQueried(query.fromMs), query.timeZone),
		endtime: formatZonedDateTime(query.toMs, query.timeZone),
		syncflag: query.onlyNotFetchedBefore ? '1' : '3',
		direction: DIRECTION_CODES[query.direction ?? 'all'],
		callmethod: String(query.callMethod ?? 0),
		currentpage: String(page),
		itemsperpage: String(perPage),
	};
	const filters: Array<[string, string | undefined]> = [
		['destnumber', query.destinationNumber],
		['extnumber', query.extensions],
		['customuuid', query.customData],
		['userid', query.userId],
		['memberid', query.memberId],
	];
	for (const [name, value] of filters) if (value?.trim()) form[name] = value.trim();
	return form;
}

/**
 * A time box for reading pages: no page is asked for after `stopAtMs`, and a failing page ends
 * the read instead of throwing; what was read so far is kept, and `shortBy` says why it ended early.
 */
export interface PageBudget {
	stopAtMs: number;
	shortBy?: string;
}

/**
 * Up to `limit` records (all when undefined), each record id once. With syncflag 1 every request
 * asks for page 1: the platform drops what it handed out from the "not fetched" set.
 */
export async function fetchCallRecords(
	fetchResult: FetchResult,
	query: CallRecordQuery,
	limit?: number,
	budget?: PageBudget,
): Promise<IDataObject[]> {
	const perPage = limit === undefined ? MAX_RECORDS_PER_PAGE : Math.min(MAX_RECORDS_PER_PAGE, Math.max(1, limit));
	const records: IDataObject[] = [];
	const seen = new Set<string>();
	for (let page = 1; ; page++) {
		// syncflag 1 marks every record it hands out as fetched: never ask for more than will be kept.
		const wanted = query.onlyNotFetchedBefore && limit !== undefined ? Math.min(perPage, limit - records.length) : perPage;
		if (budget && page > 1 && Date.now() >= budget.stopAtMs) {
			budget.shortBy = `the time for the look-up ran out after ${page - 1} pages of records`;
			return records;
		}
		const form = getBillForm(query, query.onlyNotFetchedBefore ? 1 : page, wanted);
		const result = budget
			? await fetchResult(form).catch((error: Error) => {
					budget.shortBy = error.message;
					return undefined;
				})
			: await fetchResult(form);
		if (!result) return records;
		const bills = Array.isArray(result.bills) ? (result.bills as IDataObject[]) : [];
		let added = 0;
		for (const record of bills) {
			const key = String(record.id ?? record.uuid ?? JSON.stringify(record));
			if (seen.has(key)) continue;
			seen.add(key);
			records.push(record);
			added++;
			if (limit !== undefined && records.length >= limit) return records;
		}
		const lastPage = bills.length < wanted || (!query.onlyNotFetchedBefore && page * perPage >= Number(result.totalitems));
		if (lastPage || added === 0) return records;
	}
}
