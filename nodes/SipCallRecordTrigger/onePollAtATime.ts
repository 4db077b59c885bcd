/**
 * n8n starts a scheduled poll even while the previous one of the same trigger is still waiting
 * for the platform: both would sweep the same window from the same remembered ids and emit the
 * same records. A poll that comes due while another of the same workflow and node is running is
 * skipped (it emits nothing); the next one sweeps on from where the running one started, so no
 * record is missed.
 *
 * Keyed by the node's static-data object, which n8n keeps with the
 * active workflow between polls (polls run in the leader main only): one mark per workflow and
 * node, held only while a poll runs, and gone with the workflow on deactivation or restart.
 */
import type { IDataObject } from 'n8n-workflow';

const running = new WeakSet<IDataObject>();

/** Runs `poll`, or answers null at once when a poll of the same trigger is still running. */
export async function unlessAPollIsRunning<T>(staticData: IDataObject, poll: () => Promise<T>): Promise<T | null> {
	if (running.has(staticData)) return null;
	running.add(staticData);
	try {
		return await poll();
	} finally {
		running.delete(staticData);
	}
}
