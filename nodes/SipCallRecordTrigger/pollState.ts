/**
 * What the poller remembers in the node's static data, so that each call record comes out once
 * across overlapping polls and restarts:
 * - `activatedAtMs`: the first poll's time (the baseline). Records of calls that ended before it
 *   are history and never come out.
 * - `sweptUntilMs`: when the last sweep ended. After a restart the next sweep starts a look-back
 *   before it, so what was dialed while n8n was down is still swept (up to MAX_CATCH_UP_MS).
 * - `seen`: record id → dial time (epoch ms) of every record emitted or found at the baseline.
 *   An id is forgotten once its dial time falls before the sweep window as GetBill reads it (from
 *   the start of the window's first second): no sweep returns it again.
 */
import type { IDataObject } from 'n8n-workflow';

import { windowStartAsQueried } from '../shared/platform/callRecordPages';

/** The longest catch-up after n8n was down or the workflow inactive: a week of records. */
export const MAX_CATCH_UP_MS = 7 * 24 * 3600 * 1000;

export interface PollState {
	activatedAtMs: number;
	sweptUntilMs: number;
	seen: Record<string, number>;
}

const KEY = 'callRecordPoll';

export function readPollState(staticData: IDataObject): PollState | undefined {
	const stored = staticData[KEY] as Partial<PollState> | undefined;
	if (!stored || typeof stored.activatedAtMs !== 'number') return undefined;
	return {
		activatedAtMs: stored.activatedAtMs,
		sweptUntilMs: typeof stored.sweptUntilMs === 'number' ? stored.sweptUntilMs : stored.activatedAtMs,
		seen: { ...(stored.seen ?? {}) },
	};
}

export function writePollState(staticData: IDataObject, state: PollState): void {
	staticData[KEY] = { activatedAtMs: state.activatedAtMs, sweptUntilMs: state.sweptUntilMs, seen: state.seen };
}

/** The dial-time window of the next sweep: a look-back before the last sweep's end, and no further back than the catch-up limit. */
export function sweepWindow(state: PollState | undefined, nowMs: number, lookBackMs: number): { fromMs: number; toMs: number } {
	const lastEnd = state ? Math.min(state.sweptUntilMs, nowMs) : nowMs;
	const fromMs = Math.max(lastEnd - lookBackMs, nowMs - MAX_CATCH_UP_MS);
	// A little ahead, for a platform clock slightly ahead of this one: no call is dialed in the future.
	return { fromMs, toMs: nowMs + 60_000 };
}

/**
 * Forgets ids dialed before the window: the window has moved past them. The window starts where
 * GetBill starts it, at the whole second: a record dialed in that second is still returned, so
 * its id is kept.
 */
export function pruneSeen(seen: Record<string, number>, fromMs: number): Record<string, number> {
	const startMs = windowStartAsQueried(fromMs);
	return Object.fromEntries(Object.entries(seen).filter(([, dialMs]) => dialMs >= startMs));
}
