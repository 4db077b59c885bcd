/**
 * What the campaign benchmark reads from one call-and-wait run, the same way in process and in a
 * real n8n: the simulator's record (calls, records, every callback attempt and how long it took),
 * the waiting execution's rows and the items the trigger's own workflow put out. Nothing here
 * knows how the trigger and the waiting node talk to each other, so it measures any version.
 */
import { readFileSync } from 'node:fs';

import { mostInAnyWindow, percentile, round } from './report';

export interface CampaignRow {
	phone: string;
	voiceFile: string;
	key: string;
	group: string;
	ref: string;
}

/** Rows whose callees, by the number's last digit, answer and press a key, say nothing, never answer, are busy, hang up. */
export function campaignRows(count: number): CampaignRow[] {
	return Array.from({ length: count }, (_, i) => ({
		phone: `139${String(i).padStart(8, '0')}`,
		voiceFile: 'welcome.wav',
		key: '1',
		group: 'extGroup-1',
		ref: `row-${i}`,
	}));
}

/** Redial Who Missed as the campaign runs it: busy and unanswered rows (last digit 9 and 0) get three calls, 6 s after each ends. */
export const CAMPAIGN_REDIAL = { redial: { settings: { on: ['busy', 'noAnswer'], maxCalls: 3, minutesBetween: 0.1 } } };

/** The calls a campaign places: one per row, and with redials two more for every row that never answers or is busy. */
export function expectedCalls(count: number, redial: boolean): number {
	if (!redial) return count;
	const missing = campaignRows(count).filter((row) => /[09]$/.test(row.phone)).length;
	return count + 2 * missing;
}

/** One result row as it left the waiting node: its JSON and its pairing. */
export interface ResultItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface CampaignOutcome {
	rows: CampaignRow[];
	/** The waiting node's output; undefined when the run was cut off before the execution finished. */
	results?: ResultItem[];
	/** Seconds from the start of the list until the execution finished, or until the harness cut it off. */
	seconds: number;
	/** When the execution finished (epoch ms); undefined when cut off. */
	finishedAtMs?: number;
	/** Every item the trigger's own workflow put out during the run. */
	emitted: Array<Record<string, unknown>>;
	staticDataPeakBytes: number;
	memoryMb: { start: number; peak: number; end: number };
}

interface Attempt {
	status: number;
	ms?: number;
}
interface SentCallback {
	kind: 'status' | 'cdr';
	body: Record<string, unknown>;
	attempts: Attempt[];
	delivered: number;
}
interface Simulated {
	record: { callbacks: SentCallback[]; calls: Array<{ endsAtMs: number }> };
	requestsFor(service: string): Array<{ at: number }>;
	callRecords(): Array<Record<string, unknown>>;
}

const refused = (attempt: Attempt) => !(attempt.status >= 200 && attempt.status < 300);

/** Every campaign call is waited for: a CDR the trigger put out is one the execution should have had alone. */
const givenOut = (item: Record<string, unknown>) => item.event === 'callEnded';

/** The table's columns for one run. */
export function campaignColumns(sim: Simulated, outcome: CampaignOutcome): Record<string, string | number> {
	const callbacks = sim.record.callbacks;
	const attempts = callbacks.flatMap((callback) => callback.attempts);
	const refusedOf = (kind: SentCallback['kind']) =>
		callbacks.filter((callback) => callback.kind === kind).flatMap((callback) => callback.attempts).filter(refused).length;
	const cdrsGivenUp = callbacks.filter((callback) => callback.kind === 'cdr' && callback.delivered === 0).length;
	const recorded = new Set(sim.callRecords().map((record) => String(record.destnumber)));
	const { results } = outcome;

	let lost: string | number;
	let twice: string | number;
	if (results) {
		lost = results.filter((item) => item.json.resultStatus === 'timedOut' && recorded.has(String(item.json.destnumber))).length;
		const withResult = new Set(results.filter((item) => item.json.resultStatus !== 'timedOut').map((item) => String(item.json.destnumber)));
		const emittedTwice = outcome.emitted.filter((item) => givenOut(item) && withResult.has(String(item.destnumber))).length;
		const rowsTwice = results.length - new Set(results.map((item) => String(item.json.destnumber))).size;
		twice = emittedTwice + rowsTwice;
	} else {
		// Cut off: at least the CDRs whose every callback attempt was refused are not in the execution.
		lost = `≥ ${cdrsGivenUp} (cut off)`;
		twice = `${outcome.emitted.filter(givenOut).length} given out (cut off)`;
	}
	const durations = attempts.map((attempt) => attempt.ms ?? 0).sort((a, b) => a - b);
	return {
		'results (of rows)': results ? `${results.filter((item) => item.json.resultStatus !== 'timedOut').length} of ${outcome.rows.length}` : `cut off`,
		's to last result': results ? round(outcome.seconds, 0) : `> ${round(outcome.seconds, 0)}`,
		// "Soon after the last CDR": from the moment the platform's last call ended (and wrote its record).
		's after last call ended':
			results && outcome.finishedAtMs ? round((outcome.finishedAtMs - Math.max(...sim.record.calls.map((call) => call.endsAtMs))) / 1000, 1) : '—',
		'calls placed': sim.record.calls.length,
		'most calls in any 1 s': mostInAnyWindow(sim.requestsFor('App.Sip_Call.PlayVoice').map((request) => request.at)),
		// The wait's reads of the platform's records: about records ÷ 1,000 pages plus one poll every 5 s.
		'GetBill requests / records': `${sim.requestsFor('App.Sip_Cdr.GetBill').length} / ${sim.callRecords().length}`,
		'results lost': lost,
		'given twice': twice,
		'callbacks refused': attempts.filter(refused).length,
		'refused status / CDR': `${refusedOf('status')} / ${refusedOf('cdr')}`,
		'CDRs given up': cdrsGivenUp,
		'callback attempts': attempts.length,
		'p99 callback ms': round(percentile(durations, 99), 0),
		'static data peak KiB': round(outcome.staticDataPeakBytes / 1024, 1),
		'RSS MB start / peak / end': `${outcome.memoryMb.start} / ${outcome.memoryMb.peak} / ${outcome.memoryMb.end}`,
	};
}

/** Reads a number every `everyMs` while a run goes on (never two reads at once); first, max and last. */
export function sampler(everyMs: number, read: () => number | Promise<number>) {
	const seen: number[] = [];
	let busy = false;
	const take = async () => {
		if (busy) return;
		busy = true;
		try {
			seen.push(await read());
		} catch {
			// A read that fails under load (n8n busy) is skipped, not fatal.
		} finally {
			busy = false;
		}
	};
	void take();
	const timer = setInterval(() => void take(), everyMs);
	return {
		async stop() {
			clearInterval(timer);
			while (busy) await new Promise((resolve) => setTimeout(resolve, 20));
			await take();
			return { first: seen[0] ?? 0, max: Math.max(0, ...seen), last: seen.at(-1) ?? 0 };
		},
	};
}

/** A process's resident memory in MB, from /proc (Linux). */
/** CPU seconds (user + system) a process has used so far: steadier than wall time on a shared machine. */
export function cpuSecondsOf(pid: number): number {
	// /proc/<pid>/stat: the fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in ticks of 1/100 s.
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function rssMbOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return round(kb / 1024, 0);
}

export const mb = (sampled: { first: number; max: number; last: number }) => ({ start: sampled.first, peak: sampled.max, end: sampled.last });

/** After the simulator has sent (or given up on) every callback, how long the run may still take before the harness cuts it off. */
export const GRACE_MS = process.env.SIPCALL_BENCH_WAIT_FOR_LIMIT ? 11 * 60_000 : 45_000;

/** Resolves when every call request expected reached the simulator and every callback was delivered or given up. */
export async function simulatorSettled(
	sim: { requestsArrived(service: string, count: number, timeoutMs: number): Promise<unknown>; settled(): Promise<void> },
	calls: number,
): Promise<void> {
	await sim.requestsArrived('App.Sip_Call.PlayVoice', calls, 30 * 60_000);
	await sim.settled();
}

/** Waits for the simulator to settle, at most `timeoutMs`: callbacks still in flight when the execution finished count too. */
export async function settledOrAfter(sim: Parameters<typeof simulatorSettled>[0], calls: number, timeoutMs = 30_000): Promise<void> {
	await Promise.race([simulatorSettled(sim, calls), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
}
