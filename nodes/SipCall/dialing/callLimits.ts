/**
 * Limits the user sets on the node so that nothing it is given (an AI agent's tool call, a sheet
 * that grew) can run up a phone bill: Options → Allowed Numbers and Max Calls per Execution. A row
 * beyond them is refused in words before anything is sent, like an invalid row.
 *
 * The count is per execution and per node: every run of the node in one execution (an agent calling
 * it as a tool again and again, or a loop) draws on it. It is kept in a WeakMap keyed by the
 * execution's cancel signal, which n8n-core gives every node run of one execution (and no other), so
 * no other execution or workflow can read or change it, and it goes with the execution. A waiting
 * execution resumed later starts a new count: n8n keeps nothing of it across the wait.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
		throw new NodeOperationError(context.getNode(), `Allowed Numbers: "${invalid}" is not a number pattern`, {
			description: 'Give numbers or prefixes of digits, separated by commas: * stands for any digits, ? for one digit. For example: 138*, 139*, 0571????????',
		});
	}
	const max = Number(options.maxCallsPerExecution ?? 0);
	if (!Number.isInteger(max) || max < 0) {
		throw new NodeOperationError(context.getNode(), `Max Calls per Execution must be a whole number of 0 or more, not "${String(options.maxCallsPerExecution)}"`, {
			description: 'Give the most calls this node may place in one execution, or 0 for no limit.',
		});
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

/** The calls this node has counted in this execution, and a way to count more. */
export function executionCallCount(context: IExecuteFunctions): { placed: number; add(count: number): void } {
	// Without a cancel signal (a context that has none) the count is this run's alone.
	const execution: object = context.getExecutionCancelSignal?.() ?? {};
	let byNode = callsByExecution.get(execution);
	if (!byNode) callsByExecution.set(execution, (byNode = new Map()));
	const counts = byNode;
	const node = context.getNode().name;
	return {
		placed: counts.get(node) ?? 0,
		add(count) {
			counts.set(node, (counts.get(node) ?? 0) + count);
		},
	};
}

export function overLimitReason(limits: CallLimits): { message: string; description: string } {
	const max = limits.maxCallsPerExecution;
	return {
		message: `Max Calls per Execution (${max}) reached: this row was not called`,
		description: `This node places at most ${max} call${max === 1 ? '' : 's'} in one execution (Options → Max Calls per Execution), counting every time it runs in it (as an AI agent's tool, or in a loop). Nothing was sent for this row.`,
	};
}
