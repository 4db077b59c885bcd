/**
 * The waiting rows' results, looked up in the platform's call records (App.Sip_Cdr.GetBill): one
 * sweep over the calls' dial times, matched by the call secret in each record's customuuid. The
 * platform's own records are the only source of a result: nothing a request brings is taken.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { PageBudget } from '../../shared/platform/callRecordPages';
import { pullCallRecords } from '../../shared/platform/pullCallRecords';
import { recordsOfCalls } from '../../shared/waitReference';

/** Before dialing began and after now, by this process's clock: the platform's clock may differ a little. */
const CLOCK_MARGIN_MS = 5 * 60_000;

export interface LookedUp {
	/** The records of the rows' calls, by call hash. */
	found: Map<string, IDataObject>;
	/** Why the look-up read less than every record (the platform refused, or its time ran out), in words. */
	shortBy?: string;
}

/**
 * Looks the rows up until `stopAtMs`. A look-up that fails or runs out of time keeps what it read,
 * logs why, and says so: the execution still resumes at its limit, and its timed-out rows say why.
 */
export async function lookUpResults(
	context: IWebhookFunctions,
	rows: INodeExecutionData[],
	platformTimeZone: string,
	stopAtMs: number,
	/** The calls wanted, by call hash: each row's first call, unless redials add theirs. */
	wanted: ReadonlySet<string> = new Set(rows.map((row) => String(row.json.waitCallHash))),
): Promise<LookedUp> {
	if (!rows.length) return { found: new Map() };
	const dialedFromMs = rows.reduce((earliest, row) => Math.min(earliest, Number(row.json.waitDialedFromMs)), Infinity);
	const budget: PageBudget = { stopAtMs };
	let records: IDataObject[] = [];
	try {
		records = await pullCallRecords(
			context,
			{ fromMs: dialedFromMs - CLOCK_MARGIN_MS, toMs: Date.now() + CLOCK_MARGIN_MS, timeZone: platformTimeZone, direction: 'outbound' },
			undefined,
			budget,
		);
	} catch (error) {
		budget.shortBy = (error as Error).message;
	}
	if (budget.shortBy) {
		context.logger.warn(`SIP Call: the look-up of ${rows.length} calls in the platform's call records was cut short: ${budget.shortBy}`);
	}
	return { found: recordsOfCalls(records, wanted), shortBy: budget.shortBy };
}
