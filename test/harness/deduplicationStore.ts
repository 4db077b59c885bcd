/**
 * What n8n's database keeps for its deduplication helper (checkProcessedAndRecord, "entries" mode):
 * per workflow and scope, the most recent entries up to maxEntries. In process there is no n8n
 * database, so the harness keeps them in memory; the real store is exercised in the e2e tests.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
} from 'n8n-workflow';
import { DataDeduplicationService } from 'n8n-core';

const stores = new Map<string, string[]>();
const keyOf = (scope: DeduplicationScope, context: ICheckProcessedContextData) =>
	`${context.workflow.id}:${scope === 'node' ? context.node?.id : ''}`;

const inMemoryDeduplicator: IDataDeduplicator = {
	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope, context, options: ICheckProcessedOptions) {
		const key = keyOf(scope, context);
		const seen = stores.get(key) ?? [];
		const fresh: DeduplicationItemTypes[] = [];
		const processed: DeduplicationItemTypes[] = [];
		for (const item of items) (seen.includes(String(item)) ? processed : fresh).push(item);
		const next = [...seen, ...fresh.map(String)];
		stores.set(key, options.maxEntries ? next.slice(-options.maxEntries) : next);
		return { new: fresh, processed };
	},
	async removeProcessed(items: DeduplicationItemTypes[], scope, context) {
		const key = keyOf(scope, context);
		const removed = new Set(items.map(String));
		stores.set(key, (stores.get(key) ?? []).filter((entry) => !removed.has(entry)));
	},
	async clearAllProcessedItems(scope, context) {
		stores.delete(keyOf(scope, context));
	},
	async getProcessedDataCount(scope, context) {
		return stores.get(keyOf(scope, context))?.length ?? 0;
	},
};

let initialised = false;
export async function useInMemoryDeduplication() {
	if (initialised) return;
	await DataDeduplicationService.init(inMemoryDeduplicator);
	initialised = true;
}

/** Forgets every entry: a test that counts entries (Max Calls per Day) starts from an empty store, as a new workflow does. */
export function forgetDeduplicatedEntries() {
	stores.clear();
}
