/**
 * A hand-over scope's gathered batches in the workflow's static data (this node's part of it), so that
 * they survive a restart and reach the other webhook processes of this n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { rememberSettled, type HandOverScope } from './handOverScope';

interface StoredBatch {
	executionId: string;
	firstSeenMs: number;
	deadlineMs?: number;
	total?: number;
	cdrs: Record<string, IDataObject>;
}

interface Store {
	batches: Record<string, StoredBatch>;
	/** Batches done with (handed over, or given out), so a stale copy is not taken up again. */
	settled: string[];
}

function storeOf(staticData: IDataObject): Store {
	const store = (staticData.waitingBatches ?? {}) as Partial<Store>;
	return { batches: store.batches ?? {}, settled: store.settled ?? [] };
}

export function hasStoredBatches(staticData: IDataObject): boolean {
	return Object.keys(storeOf(staticData).batches).length > 0;
}

/** What the static data holds (left by another process, or by this one before a restart) joins the scope's memory. */
export function mergeStore(scope: HandOverScope, staticData: IDataObject): void {
	const { batches, settled } = scope;
	const store = storeOf(staticData);
	for (const url of store.settled) rememberSettled(scope, url);
	for (const [url, stored] of Object.entries(store.batches)) {
		if (settled.has(url)) continue;
		let batch = batches.get(url);
		if (!batch) {
			batch = { executionId: stored.executionId, resumeUrl: url, cdrs: new Map(), firstSeenMs: stored.firstSeenMs };
			batches.set(url, batch);
		}
		for (const [key, cdr] of Object.entries(stored.cdrs ?? {})) if (!batch.cdrs.has(key)) batch.cdrs.set(key, cdr);
		batch.deadlineMs ??= stored.deadlineMs;
		batch.total ??= stored.total;
	}
}

export function saveStore({ batches, settled }: HandOverScope, staticData: IDataObject): void {
	const stored: Record<string, StoredBatch> = {};
	for (const [url, batch] of batches) {
		stored[url] = {
			executionId: batch.executionId,
			firstSeenMs: batch.firstSeenMs,
			...(batch.deadlineMs ? { deadlineMs: batch.deadlineMs } : {}),
			...(batch.total ? { total: batch.total } : {}),
			cdrs: Object.fromEntries(batch.cdrs),
		};
	}
	// Written only when it changed: an unchanged write would still make n8n save the static data.
	if (!storeHolds(storeOf(staticData), stored, settled)) {
		staticData.waitingBatches = { batches: stored, settled: [...settled] } satisfies Store as unknown as IDataObject;
	}
}

/** Whether the stored copy already says what the scope holds (compared by counts, not by serializing). */
function storeHolds(store: Store, batchesNow: Record<string, StoredBatch>, settled: Set<string>): boolean {
	if (store.settled.length !== settled.size || store.settled.some((url) => !settled.has(url))) return false;
	const urls = Object.keys(batchesNow);
	if (urls.length !== Object.keys(store.batches).length) return false;
	return urls.every((url) => {
		const [now, before] = [batchesNow[url], store.batches[url]];
		return (
			before !== undefined &&
			Object.keys(before.cdrs ?? {}).length === Object.keys(now.cdrs).length &&
			before.deadlineMs === now.deadlineMs &&
			before.total === now.total
		);
	});
}
