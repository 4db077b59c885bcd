/**
 * Limits the user sets on the node so that nothing it is given (an AI agent's tool call, a sheet
 * that grew) can run up a phone bill: Options → Allowed Numbers and Max Calls per Execution. A row
 * beyond them is refused in words before anything is sent, like an invalid row.
 *
 * The count is per execution and per node: every run of the node in one execution (an agent calling
 * it as a tool again and again, or a loop) draws on it, and a row that may be redialed counts as
 * many calls as Redial Who Missed may place. It is kept in a WeakMap keyed by the
 * execution's cancel signal, which n8n-core gives every node run of one execution (and no other), so
 * no other execution or workflow can read or change it, and it goes with the execution. A waiting
 * execution resumed later starts a new count: n8n keeps nothing of it across the wait.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { SettingProblem, settingError } from '../../shared/settingProblem';

export interface CallLimits {
	/** The Allowed Numbers patterns as the user typed them, and as expressions; none: any number. */
	allowedPatterns: string[];
	allowed: RegExp[];
	/** 0: no limit. */
	maxCallsPerExecution: number;
}

const PATTERN = /^\+?[\d*?]+$/;

/** `138*`: numbers starting 138; `?`: any one digit; a pattern without either is one exact number. */
function patternToRegExp(pattern: string): RegExp {
	return new RegExp(`^${pattern.replace(/\+/g, '\\+').replace(/\*/g, '\\d*').replace(/\?/g, '\\d')}$`);
}

/** The limits, read once for the whole list (from the first item, as pacing is). */
export function readCallLimits(context: IExecuteFunctions): CallLimits {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const allowedPatterns = String(options.allowedNumbers ?? '')
		.split(/[\s,，;；]+/)
		.filter(Boolean);
	const invalid = allowedPatterns.find((pattern) => !PATTERN.test(pattern));
	if (invalid !== undefined) {
		throw settingError(context.getNode(), new SettingProblem(`Allowed Numbers: "${invalid}" is not a number pattern`, 'Give numbers or prefixes of digits, separated by commas: * stands for any digits, ? for one digit. For example: 138*, 139*, 0571????????'));
	}
	const max = Number(options.maxCallsPerExecution ?? 0);
	if (!Number.isInteger(max) || max < 0) {
		throw settingError(context.getNode(), new SettingProblem(`Max Calls per Execution must be a whole number of 0 or more, not "${String(options.maxCallsPerExecution)}"`, 'Give the most calls this node may place in one execution, or 0 for no limit.'));
	}
	return { allowedPatterns, allowed: allowedPatterns.map(patternToRegExp), maxCallsPerExecution: max };
}

/** Why a number may not be dialed under Allowed Numbers, or undefined when it may. */
export function notAllowedReason(destnumber: string, limits: CallLimits): { message: string; description: string } | undefined {
	if (!limits.allowed.length || limits.allowed.some((pattern) => pattern.test(destnumber))) return undefined;
	return {
		message: `Destination Number "${destnumber}" is not among the Allowed Numbers`,
		description: `This node only calls numbers matching ${limits.allowedPatterns.join(', ')} (Options → Allowed Numbers). Nothing was sent for this row.`,
	};
}

const callsByExecution = new WeakMap<object, Map<string, number>>();

export interface ExecutionCallCount {
	/**
	 * Takes as many of `rows` as the limit still allows, each counted as `callsPerRow` calls, and
	 * returns how many. Synchronous, so that runs side by side (an agent's parallel tool calls)
	 * cannot pass the limit together.
	 */
	reserve(rows: number, callsPerRow: number): number;
	/** Gives back calls counted but not placed (refused by the platform, or never sent). */
	giveBack(calls: number): void;
}

/** This node's count of calls in this execution. */
export function executionCallCount(context: IExecuteFunctions, limits: CallLimits): ExecutionCallCount {
	const execution = context.getExecutionCancelSignal?.();
	if (!execution && limits.maxCallsPerExecution > 0) {
		throw settingError(context.getNode(), new SettingProblem('Max Calls per Execution cannot be counted in this version of n8n', 'This n8n gives nodes no handle on their execution to count by. Update n8n, or clear Max Calls per Execution.'));
	}
	let byNode = execution ? callsByExecution.get(execution) : undefined;
	if (!byNode) {
		byNode = new Map();
		if (execution) callsByExecution.set(execution, byNode);
	}
	const counts = byNode;
	const node = context.getNode().name;
	const max = limits.maxCallsPerExecution;
	return {
		reserve(rows, callsPerRow) {
			const placed = counts.get(node) ?? 0;
			const allowed = max > 0 ? Math.min(rows, Math.max(0, Math.floor((max - placed) / callsPerRow))) : rows;
			counts.set(node, placed + allowed * callsPerRow);
			return allowed;
		},
		giveBack(calls) {
			counts.set(node, Math.max(0, (counts.get(node) ?? 0) - calls));
		},
	};
}

export function overLimitReason(limits: CallLimits, callsPerRow: number): { message: string; description: string } {
	const max = limits.maxCallsPerExecution;
	const redials = callsPerRow > 1 ? ` Each row counts as ${callsPerRow} calls, as Redial Who Missed may call it that often.` : '';
	return {
		message: `Max Calls per Execution (${max}) reached: this row was not called`,
		description: `This node places at most ${max} call${max === 1 ? '' : 's'} in one execution (Options → Max Calls per Execution), counting every time it runs in it (as an AI agent's tool, or in a loop).${redials} Nothing was sent for this row.`,
	};
}
