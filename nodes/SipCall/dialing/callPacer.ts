/**
 * Keeps a batch of calls within the platform's limits: at most `callsPerSecond` requests started
 * in any one-second window (a sliding window, with a margin for network jitter), and waits
 * that end as soon as the execution is stopped. Community nodes may not use timers, so waiting is
 * n8n's own `sleep`, in short steps that check the stop signal.
 */
import { sleep } from 'n8n-workflow';

const WINDOW_MS = 1000;
// Requests sent 1,000 ms apart can arrive closer together on a busy machine or network.
const JITTER_MARGIN_MS = 150;
const STOP_CHECK_MS = 50;

/** Sleeps for `ms`, returning early (false) when the execution is stopped. */
export async function pauseUnlessStopped(ms: number, signal?: AbortSignal): Promise<boolean> {
	const until = Date.now() + ms;
	while (!signal?.aborted) {
		const left = until - Date.now();
		if (left <= 0) return true;
		await sleep(Math.min(left, STOP_CHECK_MS));
	}
	return false;
}

export class CallPacer {
	private readonly starts: number[] = [];

	constructor(
		private readonly callsPerSecond: number,
		private readonly signal?: AbortSignal,
	) {}

	/** Waits for the next free slot; false when the execution was stopped meanwhile. */
	async acquire(): Promise<boolean> {
		const window = WINDOW_MS + JITTER_MARGIN_MS;
		while (!this.signal?.aborted) {
			if (this.callsPerSecond <= 0) return true;
			const now = Date.now();
			while (this.starts.length && this.starts[0] <= now - window) this.starts.shift();
			if (this.starts.length < this.callsPerSecond) {
				this.starts.push(now);
				return true;
			}
			if (!(await pauseUnlessStopped(this.starts[0] + window - now + 1, this.signal))) return false;
		}
		return false;
	}
}
