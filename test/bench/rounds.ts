/**
 * Comparisons measured in interleaved rounds: every variant runs once per round, in the same order
 * (A B A B …), after one warm-up round that is not counted. On a shared machine one run proves
 * nothing; the spread of the per-round ratios says how far a median can be trusted.
 */
import { round } from './report';

/** `npm run bench -- --quick`: every table, at small sizes and one round (a smoke run, not a measurement). */
export const QUICK = process.env.SIPCALL_BENCH_QUICK === '1';
export const ROUNDS = Number(process.env.SIPCALL_BENCH_ROUNDS ?? (QUICK ? 1 : 5));

/**
 * SIPCALL_BENCH_N8N_ENV="NAME=value,NAME=value": n8n settings for the n8n processes of the callback
 * benchmarks (table 3, queue mode), to measure a deployment's choices: e.g.
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (no expression isolate for a webhook request that
 * evaluates no expression; n8n 2.41 gives every community trigger's request one),
 * DB_POSTGRESDB_POOL_SIZE=10 (default: 2 connections a process), DB_PING_TIMEOUT_MS=60000 (how long
 * n8n's database ping, every 2 s from the same pool, may wait before n8n answers every request 503
 * "Database is not ready!"; default 5000).
 */
export const BENCH_N8N_ENV: Record<string, string> = Object.fromEntries(
	(process.env.SIPCALL_BENCH_N8N_ENV ?? '')
		.split(',')
		.filter((setting) => setting.includes('='))
		.map((setting) => [setting.slice(0, setting.indexOf('=')).trim(), setting.slice(setting.indexOf('=') + 1).trim()]),
);
/** The settings above in words, for a table's title. */
export const benchN8nSettings = () => Object.entries(BENCH_N8N_ENV).map(([name, value]) => `${name}=${value}`).join(', ') || "n8n's default settings";

/** Runs `measure` for each variant in each round; returns the counted rounds' results per variant. */
export async function interleavedRounds<V extends string, R>(
	variants: readonly V[],
	measure: (variant: V, round: number) => Promise<R>,
	rounds = ROUNDS,
): Promise<Record<V, R[]>> {
	const results = Object.fromEntries(variants.map((variant) => [variant, [] as R[]])) as Record<V, R[]>;
	for (let r = 0; r <= rounds; r++) {
		for (const variant of variants) {
			const result = await measure(variant, r);
			// Round 0 warms n8n, the JIT and the simulator up.
			if (r > 0) results[variant].push(result);
		}
	}
	return results;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Ratios of two variants measured in the same rounds, one per round. */
export function perRound(numerators: number[], denominators: number[]): number[] {
	return numerators.map((value, i) => value / denominators[i]);
}

/** min / median / max as table columns, each named after `label`. */
export function spreadColumns(label: string, values: number[], digits = 2): Record<string, number> {
	return {
		[`${label} min`]: round(Math.min(...values), digits),
		[`${label} median`]: round(median(values), digits),
		[`${label} max`]: round(Math.max(...values), digits),
	};
}
