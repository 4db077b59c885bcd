/**
 * Keypress routing: one output per configured key, then "answered, no key", "not answered", and
 * "other" (extension-status events, unknown payloads, and keys that have no output of their own).
 */
import type { IDataObject } from 'n8n-workflow';

export function parseRoutedKeys(text: string): string[] {
	const keys = text
		.split(/[\s,]+/)
		.map((key) => key.trim())
		.filter(Boolean);
	return [...new Set(keys)];
}

/** The output an item goes to. A multi-key entry ("12") is routed by its first key. */
export function outputForItem(item: IDataObject, keys: string[]): number {
	const other = keys.length + 2;
	if (item.event !== 'callEnded') return other;
	if (!item.answered) return keys.length + 1;
	const pressed = typeof item.keyPressed === 'string' ? item.keyPressed : '';
	if (!pressed) return keys.length;
	const index = keys.indexOf(pressed) >= 0 ? keys.indexOf(pressed) : keys.indexOf(pressed.charAt(0));
	return index >= 0 ? index : other;
}
