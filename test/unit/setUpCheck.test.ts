/** Check Set-up's pure parts: the address a 604 names, and which record is the test call's. */
import { addressIn } from '../../nodes/SipCall/setUpCheck/signInCheck';
import { CHECK_REFERENCE_LENGTH, newCheckReference, recordOfCheck } from '../../nodes/SipCall/setUpCheck/testCallCheck';

test.each([
	['The platform answered ret 604: IP未授权：203.0.113.9', '203.0.113.9'],
	['ret 604: IP 2001:db8::7 is not allowed', '2001:db8::7'],
	['ret 604: IP not allowed', undefined],
	['ret 604 at 12:30:15', undefined],
])('the address in %j is %j', (message, address) => {
	expect(addressIn(message)).toBe(address);
});

test('a check reference is 64 letters and digits, new each time', () => {
	const [a, b] = [newCheckReference(), newCheckReference()];
	expect(a).toMatch(new RegExp(`^sipcheck[0-9A-Za-z]{${CHECK_REFERENCE_LENGTH - 8}}$`));
	expect(a).not.toBe(b);
});

test('the test call\'s record is the one holding the reference, or the longest start of it; other calls are not taken', () => {
	const reference = newCheckReference();
	const records = [
		{ id: 1, customuuid: 'order-1' },
		{ id: 2, customuuid: reference.slice(0, 8) },
		{ id: 3, customuuid: reference.slice(0, 32) },
		{ id: 4, customuuid: `${reference.slice(0, 31)}X` },
	];
	expect(recordOfCheck(records, reference)?.id).toBe(3);
	expect(recordOfCheck([...records, { id: 5, customuuid: reference }], reference)?.id).toBe(5);
	expect(recordOfCheck(records.slice(0, 2), reference)).toBeUndefined();
});
