/** The keys of a phone keypad: what a callee can press, and what the platform reports as userkey. */
export const PHONE_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

export function isPhoneKey(key: string): boolean {
	return PHONE_KEYS.includes(key);
}
