/** GetBill with the node's SIP Call API credential: every record of a query, page by page. */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { fetchCallRecords, getBillForm, type CallRecordQuery, type FetchResult, type PageBudget } from './callRecordPages';
import { assertAccepted } from './platformAnswer';
import { CREDENTIAL_TYPE, sendToPlatform, type PlatformContext } from './sendToPlatform';

const PAGE_TIMEOUT_MS = 30_000;

type NodeContext = IExecuteFunctions | IPollFunctions | IWebhookFunctions;

async function fetcherFor(context: NodeContext, budget?: PageBudget): Promise<FetchResult> {
	return callRecordFetcher(context, await context.getCredentials(CREDENTIAL_TYPE), budget);
}

/** One GetBill request with these credentials: `data.result` of an accepted answer. */
export function callRecordFetcher(context: PlatformContext, credentials: ICredentialDataDecryptedObject, budget?: PageBudget): FetchResult {
	return async (form: Record<string, string>) => {
		// Within a time box, a page may take only what is left of it (a second at least).
		const timeoutMs = budget ? Math.max(1000, Math.min(PAGE_TIMEOUT_MS, budget.stopAtMs - Date.now())) : PAGE_TIMEOUT_MS;
		const answer = await sendToPlatform(context, credentials, form, { timeoutMs });
		assertAccepted(answer, 'the call record request');
		const result = answer.data.result;
		return result && typeof result === 'object' ? (result as IDataObject) : {};
	};
}

export async function pullCallRecords(
	context: NodeContext,
	query: CallRecordQuery,
	limit?: number,
	budget?: PageBudget,
): Promise<IDataObject[]> {
	return await fetchCallRecords(await fetcherFor(context, budget), query, limit, budget);
}

/** The last record of the query (the platform lists records oldest first), in two requests: the count, then the last one. */
export async function newestCallRecord(context: NodeContext, query: CallRecordQuery): Promise<IDataObject | undefined> {
	const fetchResult = await fetcherFor(context);
	const total = Number((await fetchResult(getBillForm(query, 1, 1))).totalitems ?? 0);
	if (!(total > 0)) return undefined;
	const bills = (await fetchResult(getBillForm(query, total, 1))).bills;
	return Array.isArray(bills) && bills.length ? (bills[0] as IDataObject) : undefined;
}
