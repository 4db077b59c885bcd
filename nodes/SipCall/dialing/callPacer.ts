/**
 * Keeps a batch of calls within the platform's limits: at most `callsPerSecond` (C) calls reach the
 * platform in any one-second window, sent evenly (at least 1/C second apart, so a carrier never sees
 * a burst of C at once), and waits end as soon as the execution is stopped.
 *
 * The platform counts arrivals, and a request arrives somewhere between when it is sent and when
 * its answer comes back. So a call holds its slot from the moment it is sent until one second
 * after its answer (or failure): the next call that reuses the slot is sent after that, and cannot
 * arrive within a second of the earlier one, however long either request was held up on the way.
 * Community nodes may not use timers, so waiting is n8n's own `sleep`, in short steps that check
 * the stop signal.
 */
import { sleep } from 'n8n-workflow';

const WINDOW_MS = 1000;
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

/** Call when the request's answer (or its failure) is in: its slot frees one second later. */
export type ReleaseSlot = () => void;

export class CallPacer {
	/** When each of the latest calls' slots frees; Infinity while its request is in flight. */
	private readonly slots: Array<{ freeAt: number }> = [];
	/** The earliest the next call may be sent: 1/C second after the last one was. */
	private nextSendAt = 0;
	/** Callers waiting, in the order they asked: slots go out first come, first served, so rows go out in row order. */
	private readonly queue: object[] = [];

	constructor(
		private readonly callsPerSecond: number,
		private readonly signal?: AbortSignal,
	) {}

	/** Waits for a free slot; undefined when the execution was stopped meanwhile. */
	async acquire(): Promise<ReleaseSlot | undefined> {
		if (this.callsPerSecond <= 0) return this.signal?.aborted ? undefined : () => {};
		const ticket = {};
		this.queue.push(ticket);
		try {
			while (!this.signal?.aborted) {
				const now = Date.now();
				for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i].freeAt <= now) this.slots.splice(i, 1);
				if (this.queue[0] === ticket && this.slots.length < this.callsPerSecond && now >= this.nextSendAt) {
					const slot = { freeAt: Infinity };
					this.slots.push(slot);
					this.nextSendAt = now + WINDOW_MS / this.callsPerSecond;
					return () => {
						slot.freeAt = Date.now() + WINDOW_MS;
					};
				}
				const soonest = this.slots.length < this.callsPerSecond ? this.nextSendAt : Math.max(this.nextSendAt, Math.min(...this.slots.map((slot) => slot.freeAt)));
				if (!(await pauseUnlessStopped(Math.max(1, Math.min(soonest - now, STOP_CHECK_MS)), this.signal))) return undefined;
			}
			return undefined;
		} finally {
			this.queue.splice(this.queue.indexOf(ticket), 1);
		}
	}
}
