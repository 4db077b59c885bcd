/**
 * What a process and its children use, read from /proc (Linux): CPU seconds and resident memory of
 * n8n with any process it started (task runners, when n8n runs them itself). A child that has
 * ended counts through its parent's cutime and cstime.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The process and its living descendants. */
export function processTree(pid: number): number[] {
	const children: number[] = [];
	try {
		for (const task of readdirSync(`/proc/${pid}/task`)) {
			const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
			if (listed) children.push(...listed.split(/\s+/).map(Number));
		}
	} catch {
		// The process ended while it was read: it has no children left to count.
	}
	return [pid, ...children.flatMap(processTree)];
}

/** /proc/<pid>/stat's fields after the command's closing parenthesis (utime is the 12th). */
function statFields(pid: number): string[] | undefined {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	} catch {
		return undefined;
	}
}

/** CPU seconds (user + system, in ticks of 1/100 s) used so far by the process, its living descendants and the children they waited for. */
export function treeCpuSeconds(pid: number): number {
	let ticks = 0;
	for (const member of processTree(pid)) {
		const fields = statFields(member);
		if (fields) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
	}
	return ticks / 100;
}

/** Resident memory (VmRSS) of the process and its living descendants, in MiB. */
export function treeRssMib(pid: number): number {
	let kb = 0;
	for (const member of processTree(pid)) {
		try {
			kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${member}/status`, 'utf8'))?.[1] ?? 0);
		} catch {
			// Ended while it was read.
		}
	}
	return kb / 1024;
}
