import { randomBytes } from 'node:crypto';

import {
	decodeWaitReference,
	encodeWaitReference,
	hashCallSecret,
	MAX_CUSTOMUUID_LENGTH,
	newCallSecret,
} from '../../nodes/shared/waitForResult/waitReference';

describe('the reference a waiting call carries in customuuid', () => {
	test('round-trips execution id, call secret and n8n resume token, in at most 64 letters and digits', () => {
		for (const executionId of ['1', '4711', '9999999999']) {
			const reference = { executionId, callSecret: newCallSecret(), resumeToken: randomBytes(32).toString('hex') };
			const customuuid = encodeWaitReference(reference);
			expect(customuuid).toMatch(/^[0-9A-Za-z]+$/);
			expect(customuuid.length).toBeLessThanOrEqual(MAX_CUSTOMUUID_LENGTH);
			expect(decodeWaitReference(customuuid)).toEqual(reference);
		}
	});

	test('works without a resume token (n8n 1.x)', () => {
		const reference = { executionId: '42', callSecret: newCallSecret() };
		expect(decodeWaitReference(encodeWaitReference(reference))).toEqual(reference);
	});

	test('a token of all zeros or all ones survives the base62 form', () => {
		for (const token of ['0'.repeat(64), 'f'.repeat(64)]) {
			const reference = { executionId: '7', callSecret: 'abcdefgh', resumeToken: token };
			expect(decodeWaitReference(encodeWaitReference(reference))).toEqual(reference);
		}
	});

	test('an execution id that does not fit, or is not numeric, is refused with the reason', () => {
		const resumeToken = randomBytes(32).toString('hex');
		expect(() => encodeWaitReference({ executionId: '12345678901', callSecret: newCallSecret(), resumeToken })).toThrow(/64 characters/);
		expect(() => encodeWaitReference({ executionId: 'abc', callSecret: newCallSecret() })).toThrow(/not numeric/);
	});

	test("users' own values are not taken for references, even when they have the shape of one", () => {
		for (const value of ['13333333333', 'crm-42', 'n8n-6f1c2b0e-8f7a-4a57-9d42-0a8b9c1d2e3f', '', undefined, 12, 'vip2024A0001234']) {
			expect(decodeWaitReference(value)).toBeUndefined();
		}
		// Of 10,000 random values shaped like references, the checksum lets about 1 in 3,844 through.
		const shaped = Array.from({ length: 10000 }, () => `v${randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 10)}${1000 + Math.floor(Math.random() * 9000)}`);
		expect(shaped.filter((value) => decodeWaitReference(value)).length).toBeLessThan(15);
	});

	test('a reference with any character changed is not recognised', () => {
		const customuuid = encodeWaitReference({ executionId: '4711', callSecret: newCallSecret(), resumeToken: randomBytes(32).toString('hex') });
		let recognised = 0;
		for (let position = 1; position < customuuid.length - 4; position++) {
			const changed = customuuid.slice(0, position) + (customuuid[position] === 'a' ? 'b' : 'a') + customuuid.slice(position + 1);
			if (decodeWaitReference(changed)) recognised += 1;
		}
		expect(recognised).toBeLessThanOrEqual(1);
	});

	test('secrets are random, and only their hash is kept', () => {
		const secrets = new Set(Array.from({ length: 1000 }, () => newCallSecret()));
		expect(secrets.size).toBe(1000);
		for (const secret of secrets) expect(secret).toMatch(/^[0-9A-Za-z]{8}$/);
		const [first, second] = [...secrets];
		expect(hashCallSecret(first)).not.toContain(first);
		expect(hashCallSecret(first)).toBe(hashCallSecret(first));
		expect(hashCallSecret(second)).not.toBe(hashCallSecret(first));
	});
});
