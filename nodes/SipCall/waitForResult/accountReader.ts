/**
 * One reader of an account's call records per n8n process, shared by every execution of this
 * process that waits on that account (and platform time zone). A real account holds thousands of
 * other calls in any window and a page can take seconds, so the reader:
 * - reads GetBill forward from where it stopped: each poll asks for the page holding the last
 *   record read and the pages after it; when a record was written before that one (a long call's),
 *   it reads back only until a page holds nothing new;
 * - keeps only records that carry a wait reference (`sipw…`), by call hash, and hands each watcher
 *   every one it reads; nothing else of the account stays in memory;
 * - has at most one request in flight, polls every few seconds while anything waits (however many
 *   executions wait), reads on at once while pages come back full, and backs off on refusals,
 *   timeouts and 5xx;
 * - stops, and forgets everything, when the last watcher leaves.
 * Its state is this process's only: nothing here survives a restart or reaches another process.
 */
import { createHash } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { getBillForm, MAX_RECORDS_PER_PAGE, type CallRecordQuery, type FetchResult } from '../../shared/platform/callRecordPages';
import { apiUrlOf } from '../../shared/platform/platformAuth';
import { callRecordFetcher } from '../../shared/platform/pullCallRecords';
import { detachedPlatformContext } from '../../shared/platform/sendToPlatform';
import { callHashIn } from '../../shared/waitReference';
import { parseZonedDateTime } from '../../shared/zonedTime';

/** While anything waits: one poll this often, so at most 13 requests in any minute per account and process (plus one per full page). */
export const POLL_EVERY_MS = 5000;
/**
 * Record ids remembered, newest first: enough for reading back past records written late (a read
 * back stops at the first page holding nothing new), bounded for a week-long wait on a busy account.
 */
const MAX_SEEN_IDS = 50_000;
/** After a failed request the pause doubles up to this. */
export const LONGEST_BACK_OFF_MS = 60_000;
/** Before the earliest dial time and after the latest wait limit: the platform's clock may differ a little. */
const CLOCK_MARGIN_MS = 5 * 60_000;

/** An execution waiting for its calls' records. */
export interface RecordWatch {
	/** When its dialing began (every call it waits for was dialed after it). */
	dialedFromMs: number;
	/** Its Wait Limit. */
	deadlineMs: number;
	/** Called with every waited record read (of any execution: the watcher matches its own). */
	onRecords(records: IDataObject[]): void;
}

/** What a watcher can ask of the reader. */
export interface ReaderState {
	/** Why the last read failed, in words; undefined when it succeeded. */
	problem?: string;
	/** When the last read that reached the end of the window finished (0: none yet). */
	caughtUpAtMs: number;
}

export class AccountReader {
	private readonly watches = new Set<RecordWatch>();
	/** Waited records read so far, by call hash (a reference may have several records). */
	private readonly waited = new Map<string, IDataObject[]>();
	private readonly seenIds = new Set<string>();
	private window: { fromMs: number; toMs: number } | undefined;
	/** Records of the window read, in the platform's order; the id of the last one. */
	private offset = 0;
	private lastId: string | undefined;
	private backOffMs = 0;
	private running = false;
	readonly state: ReaderState = { caughtUpAtMs: 0 };

	constructor(
		private readonly fetchResult: FetchResult,
		private readonly timeZone: string,
		private readonly onIdle: () => void,
	) {}

	/** Starts watching; the watcher is handed every waited record already read, then each new one. Returns how to stop. */
	watch(watch: RecordWatch): () => void {
		this.watches.add(watch);
		const known = [...this.waited.values()].flat();
		if (known.length) watch.onRecords(known);
		if (!this.running) void this.run();
		return () => {
			this.watches.delete(watch);
		};
	}

	private async run(): Promise<void> {
		this.running = true;
		try {
			while (this.watches.size) {
				const startedMs = Date.now();
				await this.readNew();
				const pauseMs = this.backOffMs || POLL_EVERY_MS;
				await sleep(Math.max(0, startedMs + pauseMs - Date.now()));
			}
		} finally {
			this.running = false;
			this.onIdle();
		}
	}

	/** The window every watcher needs: its start moves only when a watcher starts earlier (then it is read again). */
	private windowNow(): { fromMs: number; toMs: number } {
		const watches = [...this.watches];
		const fromMs = Math.min(...watches.map((watch) => watch.dialedFromMs)) - CLOCK_MARGIN_MS;
		const toMs = Math.max(...watches.map((watch) => watch.deadlineMs)) + CLOCK_MARGIN_MS;
		if (!this.window || fromMs < this.window.fromMs) this.restartAt(fromMs);
		this.window = { fromMs: this.window?.fromMs ?? fromMs, toMs: Math.max(toMs, this.window?.toMs ?? toMs) };
		return this.window;
	}

	private restartAt(fromMs: number): void {
		this.window = { fromMs, toMs: this.window?.toMs ?? fromMs };
		this.offset = 0;
		this.lastId = undefined;
	}

	/**
	 * One poll: the page holding the last record read, then on while pages come back full. If that
	 * record moved (the platform lists by dial time, and a long call's record was written since),
	 * the pages before are read back until one holds nothing new: a late record is a recent call's.
	 */
	private async readNew(): Promise<void> {
		const window = this.windowNow();
		const query: CallRecordQuery = { fromMs: window.fromMs, toMs: window.toMs, timeZone: this.timeZone, direction: 'outbound' };
		try {
			const firstPage = Math.floor(Math.max(0, this.offset - 1) / MAX_RECORDS_PER_PAGE) + 1;
			for (let page = firstPage; ; page++) {
				const { bills } = await this.readPage(query, page);
				const anchor = this.offset - 1 - (page - 1) * MAX_RECORDS_PER_PAGE;
				if (page === firstPage && this.lastId !== undefined && String(bills[anchor]?.id) !== this.lastId) {
					for (let back = page - 1; back >= 1 && (await this.readPage(query, back)).unseen > 0; back--);
				}
				if (bills.length) {
					this.offset = (page - 1) * MAX_RECORDS_PER_PAGE + bills.length;
					this.lastId = String(bills[bills.length - 1].id);
				}
				if (bills.length < MAX_RECORDS_PER_PAGE) break;
			}
			this.backOffMs = 0;
			this.state.problem = undefined;
			this.state.caughtUpAtMs = Date.now();
		} catch (error) {
			this.backOffMs = Math.min(LONGEST_BACK_OFF_MS, Math.max(POLL_EVERY_MS, this.backOffMs) * 2);
			this.state.problem = (error as Error).message;
		}
		this.forgetBefore(window.fromMs);
	}

	/** One page of the window; its records not seen before are taken. */
	private async readPage(query: CallRecordQuery, page: number): Promise<{ bills: IDataObject[]; unseen: number }> {
		const result = await this.fetchResult(getBillForm(query, page, MAX_RECORDS_PER_PAGE));
		const bills = Array.isArray(result.bills) ? (result.bills as IDataObject[]) : [];
		return { bills, unseen: this.take(bills) };
	}

	/** Keeps the waited records among `records` not seen before and hands them to every watcher; returns how many were not seen before. */
	private take(records: IDataObject[]): number {
		const fresh: IDataObject[] = [];
		let unseen = 0;
		for (const record of records) {
			const id = String(record.id ?? record.uuid ?? JSON.stringify(record));
			if (this.seenIds.has(id)) continue;
			this.seenIds.add(id);
			if (this.seenIds.size > MAX_SEEN_IDS) this.seenIds.delete(this.seenIds.values().next().value as string);
			unseen++;
			const callHash = callHashIn(record.customuuid);
			if (!callHash) continue;
			this.waited.set(callHash, [...(this.waited.get(callHash) ?? []), record]);
			fresh.push(record);
		}
		if (fresh.length) for (const watch of this.watches) watch.onRecords(fresh);
		return unseen;
	}

	/** Waited records dialed before the window are nobody's any more. */
	private forgetBefore(fromMs: number): void {
		for (const [callHash, records] of this.waited) {
			const kept = records.filter((record) => (parseZonedDateTime(String(record.starttime ?? ''), this.timeZone) ?? Infinity) >= fromMs);
			if (kept.length) this.waited.set(callHash, kept);
			else this.waited.delete(callHash);
		}
	}
}

/** The readers of this process, by account and platform time zone; a reader leaves when nothing waits on it. */
const readers = new Map<string, AccountReader>();

function accountKey(credentials: ICredentialDataDecryptedObject, timeZone: string): string {
	const secret = createHash('sha256').update([credentials.token, credentials.appId, credentials.accessKey].map((value) => String(value ?? '')).join('\u0000')).digest('hex');
	return [apiUrlOf(credentials), secret, timeZone].join('\u0000');
}

/** This process's reader of the account the credentials open, in the platform's time zone. */
export function readerFor(credentials: ICredentialDataDecryptedObject, timeZone: string): AccountReader {
	const key = accountKey(credentials, timeZone);
	let reader = readers.get(key);
	if (!reader) {
		const fetcher = callRecordFetcher(detachedPlatformContext(timeZone), credentials);
		const created = new AccountReader(fetcher, timeZone, () => {
			if (readers.get(key) === created) readers.delete(key);
		});
		reader = created;
		readers.set(key, reader);
	}
	return reader;
}
