/**
 * The one way this package reads and reports a setting it cannot use. A reader that checks a
 * setting returns a `SettingProblem` (what is wrong, naming the field, and how to fix it); the node
 * reports it with `settingError`, or — in the SIP Call Trigger, which answers the platform instead of
 * failing an execution — as one sentence with `toString()`.
 */
import { NodeOperationError, type INode } from 'n8n-workflow';

export class SettingProblem {
	constructor(
		readonly message: string,
		readonly fix: string,
	) {}

	/** One sentence for places that show no separate description. */
	toString(): string {
		return `${this.message}. ${this.fix}`;
	}
}

/** The node's error for a setting it cannot use: the problem as the message, the fix as its description. */
export function settingError(node: INode, problem: SettingProblem, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, problem.message, { description: problem.fix, ...(itemIndex === undefined ? {} : { itemIndex }) });
}

/** Throws the problem as the node's error, or gives back the value read. */
export function settingOrThrow<T>(node: INode, read: T | SettingProblem, itemIndex?: number): T {
	if (read instanceof SettingProblem) throw settingError(node, read, itemIndex);
	return read;
}
