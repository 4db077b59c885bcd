import { writeSync } from 'node:fs';

/** The most of these times (ms) that fall within any one window of `windowMs`: calls per second as the platform counts them. */
export function mostInAnyWindow(times: number[], windowMs = 1000): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

/**
 * Prints a benchmark table to the terminal: not through Jest's console, which adds stack lines, and
 * synchronously, so that Jest's forced exit after the last file cannot drop it.
 */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
	const columns = Object.keys(rows[0] ?? {});
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
	const line = (cells: Array<string | number>) => '| ' + cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ') + ' |';
	const text = [
		'',
		`### ${title}`,
		'',
		line(columns),
		line(widths.map((width) => '-'.repeat(width))),
		...rows.map((row) => line(columns.map((column) => row[column]))),
		'',
	].join('\n');
	writeSync(1, `${text}\n`);
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Samples the process's memory while `work` runs; returns the peak RSS and heap in MiB. */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number; peakHeapMb: number }> {
	let peakRss = 0;
	let peakHeap = 0;
	const sample = () => {
		const usage = process.memoryUsage();
		peakRss = Math.max(peakRss, usage.rss);
		peakHeap = Math.max(peakHeap, usage.heapUsed);
	};
	sample();
	const timer = setInterval(sample, 20);
	try {
		const result = await work();
		sample();
		return { result, peakRssMb: round(peakRss / 2 ** 20), peakHeapMb: round(peakHeap / 2 ** 20) };
	} finally {
		clearInterval(timer);
	}
}

export function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
