/**
 * The node's failed rows under "On Error → Continue (using error output)". n8n moves an item to the
 * error output when its json holds nothing but `error` (n8n-core's `handleNodeErrorOutput`; 1.x
 * also takes `error` + `message`, 2.x also `details`, so only `error` alone works on both), and puts
 * the input item's fields beside it. An item-level `error` is no use: n8n 2.x then replaces the
 * item's json with `{ error: message }` on every output, and the row is lost.
 *
 * So with the error output, a failed row leaves as `{ error: { message, ...row } }`, as n8n's own
 * nodes put an error object there: `message` the sentence the row carries as `error` on the regular
 * output, and every other field of the row beside it. With "Continue (regular output)" a failed row
 * is left as it is (its fields, `error` among them).
 */
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

/** Whether the node's On Error setting sends failed items to an error output of their own. */
export function usesErrorOutput(context: { getNode(): INode }): boolean {
	return context.getNode().onError === 'continueErrorOutput';
}

/** A failed row (one carrying `error`) in the form n8n moves to the error output; other rows unchanged. */
export function forErrorOutput(row: INodeExecutionData): INodeExecutionData {
	if (row.json.error === undefined || row.json.error === null) return row;
	const { error, ...fields } = row.json;
	return { ...row, json: { error: { message: error, ...fields } } };
}

/**
 * A row as the regular output would show it, also when it comes from the error output (its fields
 * back from the error object, over the input item's fields n8n added there): how later operations read it.
 */
export function rowFieldsOf(json: IDataObject): IDataObject {
	const { error, ...inputFields } = json;
	if (!error || typeof error !== 'object' || Array.isArray(error) || !('message' in error)) return json;
	const { message, ...fields } = error as IDataObject;
	return { ...inputFields, ...fields, error: message };
}
