/**
 * A hand-over scope's batches in the workflow's static data (this node's part of it): what each
 * waiting execution is (its resume URL, size and limit), not its CDRs. So a restart does not forget
 * an execution, and what is written stays small and the same size per batch however many rows it
 * has: the CDRs themselves are kept in memory, and anything lost with it is found again in the
 * platform's records by the waiting node's next sweep.
 */
import type { IDataObject } from 'n8n-workflow';

import { isSettled, rememberSettled, type HandOverScope } from './handOverScope';

interface StoredBatch {
	executionId: string;
	firstSeenMs: number;
	deadlineMs?: number;
	total?: number;
}

interface Store {
	batches: Record<string, StoredBatch>;
	/** Batches done with (HandOverScope.settled). */
	settled: string[];
}

/*
 * Batches are stored under their resume URL, n8n's resume token included: after a restart the
 * batch must still be sent, and only that URL reaches the execution. n8n keeps the same token in
 * the waiting execution's own record.
 */
function storeOf(staticData: IDataObject): Store {
	const store = (staticData.waitingBatches ?? {}) as Partial<Store>;
	return { batches: store.batches ?? {}, settled: store.settled ?? [] };
}

export function hasStoredBatches(staticData: IDataObject): boolean {
	return Object.keys(storeOf(staticData).batches).length > 0;
}

/** What the static data holds (left by another process, or by this one before a restart) joins the scope's memory. */
export function mergeStore(scope: HandOverScope, staticData: IDataObject): void {
	const { batches } = scope;
	const store = storeOf(staticData);
	for (const key of store.settled) rememberSettled(scope, key);
	for (const [url, stored] of Object.entries(store.batches)) {
		if (isSettled(scope, url)) continue;
		let batch = batches.get(url);
		if (!batch) {
			batch = { executionId: stored.executionId, resumeUrl: url, cdrs: new Map(), firstSeenMs: stored.firstSeenMs };
			batches.set(url, batch);
		}
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
		};
	}
	// Written only when it changed (a new batch, its size and limit learned, one settled), not on
	// every CDR: an unchanged write would still make n8n save the static data.
	if (!storeHolds(storeOf(staticData), stored, settled)) {
		staticData.waitingBatches = { batches: stored, settled: [...settled] } satisfies Store as unknown as IDataObject;
	}
}

/** Whether the stored copy already says what the scope holds. */
function storeHolds(store: Store, batchesNow: Record<string, StoredBatch>, settled: Set<string>): boolean {
	if (store.settled.length !== settled.size || store.settled.some((key) => !settled.has(key))) return false;
	const urls = Object.keys(batchesNow);
	if (urls.length !== Object.keys(store.batches).length) return false;
	return urls.every((url) => {
		const [now, before] = [batchesNow[url], store.batches[url]];
		return (
			before !== undefined &&
			before.deadlineMs === now.deadlineMs &&
			before.total === now.total
		);
	});
}
