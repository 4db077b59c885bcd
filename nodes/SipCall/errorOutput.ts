/**
 * The node's failed rows under "On Error → Continue (using error output)". n8n (n8n-core's
 * `handleNodeErrorOutput`) moves an item to the error output only when its json holds nothing but
 * `error`, `message` and `details`, or when the item carries `error` itself; it then puts the input
 * item's fields under the error item's own. An item-level `error` is no use here: n8n replaces that
 * item's json with `{ error: message }` on every output, so the row would be lost.
 *
 * So with the error output, a failed row leaves as `{ error, details }`: `error` the sentence it has
 * on the regular output, `details` every other field of the row as the regular output shows it. With
 * "Continue (regular output)" a failed row is left as it is (its fields, `error` among them).
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

/** Whether the node's On Error setting sends failed items to an error output of their own. */
export function usesErrorOutput(context: { getNode(): INode }): boolean {
	return context.getNode().onError === 'continueErrorOutput';
}

/** A failed row (one carrying `error`) in the form n8n moves to the error output; other rows unchanged. */
export function forErrorOutput(row: INodeExecutionData): INodeExecutionData {
	if (row.json.error === undefined || row.json.error === null) return row;
	const { error, ...details } = row.json;
	return { ...row, json: { error, details } };
}

/**
 * A row as the regular output would show it, also when it comes from the error output (its fields
 * back from `details`, over the input item's fields n8n added there): how later operations read it.
 */
export function rowFieldsOf(json: IDataObject): IDataObject {
	const { details, ...fields } = json;
	if (json.error === undefined || !details || typeof details !== 'object' || Array.isArray(details)) return json;
	return { ...fields, ...(details as IDataObject) };
}
