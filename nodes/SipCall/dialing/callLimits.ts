/**
 * Limits the user sets on the node so that nothing it is given (an AI agent's tool call, a sheet
 * that grew) can run up a phone bill: Options → Allowed Numbers, Max Calls per Execution and Max
 * Calls per Day. A row beyond them is refused in words before anything is sent, like an invalid row.
 * Run as an AI agent's tool, the node places no call without Allowed Numbers.
 *
 * The per-execution count is per execution and per node: every run of the node in one execution (an
 * agent calling it as a tool again and again, or a loop) draws on it, and a row that may be redialed
 * counts as many calls as Redial Who Missed may place. It is kept in a WeakMap keyed by the
 * execution's cancel signal, which n8n-core gives every node run of one execution (and no other), so
 * no other execution or workflow can read or change it, and it goes with the execution.
 *
 * The per-day count holds across executions of the workflow (a chat agent starts one per message):
 * it is kept in n8n's deduplication store, in n8n's database, for this node of this workflow, so
 * restarts and queue-mode workers share it. The day is the platform's (the callees'). Each call of
 * the day is a numbered token, `calls:<day>#<n>`; a run records every free token of the day at once,
 * keeps the ones it needs and removes the rest. n8n gives that store no lock: runs that read it at
 * the very same moment could both take the same tokens (docs/reference.md says so).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { SettingProblem, settingError } from '../../shared/settingProblem';
import { toZonedIso } from '../../shared/zonedTime';
import { dialingPlatformTimeZone } from './paceSettings';

export interface CallLimits {
	/** The Allowed Numbers patterns as the user typed them, and as expressions; none: any number. */
	allowedPatterns: string[];
	allowed: RegExp[];
	/** 0: no limit. */
	maxCallsPerExecution: number;
	/** 0: no limit. */
	maxCallsPerDay: number;
	/** The zone whose calendar day Max Calls per Day counts: the platform's. */
	dayTimeZone: string;
}

export const MAX_CALLS_PER_DAY_LIMIT = 10_000;

/** The node's own deduplication store (n8n's database), shared with Skip Numbers Already Called. */
export const NODE_STORE = { scope: 'node', options: { mode: 'entries', maxEntries: 100_000 } } as const;

/** n8n runs a node as an AI agent's tool under its type name plus "Tool" (sipCall → sipCallTool). */
function runsAsTool(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

const PATTERN = /^\+?[\d*?]+$/;

/** `138*`: numbers starting 138; `?`: any one digit; a pattern without either is one exact number. */
function patternToRegExp(pattern: string): RegExp {
	return new RegExp(`^${pattern.replace(/\+/g, '\\+').replace(/\*/g, '\\d*').replace(/\?/g, '\\d')}$`);
}

/** The limits, read once for the whole list (from the first item, as pacing is), from the given options collection. */
export function readCallLimits(context: IExecuteFunctions, collection: 'options' | 'checkOptions' = 'options'): CallLimits {
	const options = context.getNodeParameter(collection, 0, {}) as IDataObject;
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
	const perDay = Number(options.maxCallsPerDay ?? 0);
	if (!Number.isInteger(perDay) || perDay < 0 || perDay > MAX_CALLS_PER_DAY_LIMIT) {
		throw settingError(
			context.getNode(),
			new SettingProblem(`Max Calls per Day must be a whole number from 0 to ${MAX_CALLS_PER_DAY_LIMIT}, not "${String(options.maxCallsPerDay)}"`, 'Give the most calls this node may place in one day (the platform\'s), or 0 for no limit.'),
		);
	}
	if (runsAsTool(context) && !allowedPatterns.length) {
		throw settingError(
			context.getNode(),
			new SettingProblem(
				"Allowed Numbers is empty, and this node runs as an AI agent's tool: no call was placed",
				'Set Options → Allowed Numbers to the numbers or prefixes the agent may call (for example 138*, 0571????????), and Max Calls per Day to what a day may cost: an agent could otherwise call any number, as often as it likes.',
			),
		);
	}
	return { allowedPatterns, allowed: allowedPatterns.map(patternToRegExp), maxCallsPerExecution: max, maxCallsPerDay: perDay, dayTimeZone: dialingPlatformTimeZone(context) };
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

interface ExecutionCallCount {
	/** Takes as many of `rows` as the limit still allows, each counted as `callsPerRow` calls; returns how many. */
	reserve(rows: number, callsPerRow: number): number;
	giveBack(calls: number): void;
}

/** This node's count of calls in this execution. Synchronous, so that runs side by side (an agent's parallel tool calls) cannot pass it together. */
function executionCallCount(context: IExecuteFunctions, limits: CallLimits): ExecutionCallCount {
	const execution = context.getExecutionCancelSignal?.();
	// n8n runs a tool of its MCP Server Trigger outside any execution: each call counts alone there,
	// which is a cap only together with Max Calls per Day.
	if (!execution && limits.maxCallsPerExecution > 0 && !limits.maxCallsPerDay) {
		throw settingError(
			context.getNode(),
			new SettingProblem(
				'Max Calls per Execution cannot count across calls here: n8n runs this node without an execution (as an MCP Server Trigger\'s tool, or on an old n8n)',
				'Set Options → Max Calls per Day, which counts across every call in n8n\'s database; Max Calls per Execution then limits each call.',
			),
		);
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

/** Takes up to `calls` of today's Max Calls per Day; returns the tokens taken. */
async function reserveToday(context: IExecuteFunctions, limits: CallLimits, calls: number): Promise<string[]> {
	if (!calls) return [];
	const day = toZonedIso(Date.now(), limits.dayTimeZone).slice(0, 10);
	const tokens = Array.from({ length: limits.maxCallsPerDay }, (_, index) => `calls:${day}#${index + 1}`);
	const { new: free } = await context.helpers.checkProcessedAndRecord(tokens, NODE_STORE.scope, NODE_STORE.options);
	const taken = free.map(String);
	const extra = taken.splice(calls);
	if (extra.length) await context.helpers.removeProcessed(extra, NODE_STORE.scope, NODE_STORE.options);
	return taken;
}

export interface CallReservation {
	/** How many of the rows asked for may be called (the first ones). */
	rows: number;
	/** Why the others may not, when some may not. */
	refusal?: { message: string; description: string };
	/** Gives back rows counted but not called (refused by the platform, or never sent). */
	giveBack(rows: number): Promise<void>;
}

/**
 * Counts `rows` rows of `callsPerRow` calls each against Max Calls per Execution and Max Calls per
 * Day, before anything is sent: the rows the limits leave are called, the others refused.
 */
export async function reserveCalls(context: IExecuteFunctions, limits: CallLimits, rows: number, callsPerRow: number): Promise<CallReservation> {
	const execution = executionCallCount(context, limits);
	const byExecution = execution.reserve(rows, callsPerRow);
	let dayTokens: string[] = [];
	let allowed = byExecution;
	if (limits.maxCallsPerDay > 0) {
		dayTokens = await reserveToday(context, limits, byExecution * callsPerRow);
		allowed = Math.floor(dayTokens.length / callsPerRow);
		const unused = dayTokens.splice(allowed * callsPerRow);
		if (unused.length) await context.helpers.removeProcessed(unused, NODE_STORE.scope, NODE_STORE.options);
		execution.giveBack((byExecution - allowed) * callsPerRow);
	}
	const redials = callsPerRow > 1 ? ` Each row counts as ${callsPerRow} calls, as Redial Who Missed may call it that often.` : '';
	const refusal =
		allowed === rows
			? undefined
			: allowed < byExecution
				? {
						message: `Max Calls per Day (${limits.maxCallsPerDay}) reached: this row was not called`,
						description: `This node places at most ${limits.maxCallsPerDay} calls a day (Options → Max Calls per Day, counted in the platform's day, ${limits.dayTimeZone}, across every execution of this workflow).${redials} Nothing was sent for this row.`,
					}
				: {
						message: `Max Calls per Execution (${limits.maxCallsPerExecution}) reached: this row was not called`,
						description: `This node places at most ${limits.maxCallsPerExecution} call${limits.maxCallsPerExecution === 1 ? '' : 's'} in one execution (Options → Max Calls per Execution), counting every time it runs in it (as an AI agent's tool, or in a loop).${redials} Nothing was sent for this row.`,
					};
	return {
		rows: allowed,
		refusal,
		async giveBack(notCalled) {
			const calls = Math.min(notCalled * callsPerRow, allowed * callsPerRow);
			execution.giveBack(calls);
			const back = dayTokens.splice(dayTokens.length - Math.min(calls, dayTokens.length));
			if (back.length) await context.helpers.removeProcessed(back, NODE_STORE.scope, NODE_STORE.options);
		},
	};
}
