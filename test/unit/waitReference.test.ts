import { callHashIn, hashCallSecret, isWaitedCall, newCallReference, recordsOfCalls } from '../../nodes/shared/waitReference';

describe('the reference a waited call carries in customuuid', () => {
	test('22 letters and digits, random, recognised, and standing for the hash its row keeps', () => {
		const references = Array.from({ length: 1000 }, () => newCallReference());
		expect(new Set(references.map((reference) => reference.customuuid)).size).toBe(1000);
		for (const { customuuid, callHash } of references) {
			expect(customuuid).toMatch(/^sipw[0-9A-Za-z]{18}$/);
			expect(callHashIn(customuuid)).toBe(callHash);
			expect(callHash).not.toContain(customuuid.slice(4, 20));
		}
	});

	test("users' own values are not taken for references, even when they look like one", () => {
		for (const value of ['13333333333', 'crm-42', 'wangxiaoming2024', 'n8n-6f1c2b0e-8f7a-4a57-9d42-0a8b9c1d2e3f', '', undefined, 12, 'vip2024A0001234']) {
			expect(callHashIn(value)).toBeUndefined();
			expect(isWaitedCall({ customuuid: value })).toBe(false);
		}
		// Of 10,000 random values of the same shape, the 2-character check lets about 1 in 3,844 through.
		const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
		const shaped = Array.from({ length: 10000 }, () => `sipw${Array.from({ length: 18 }, () => alphabet[Math.floor(Math.random() * 62)]).join('')}`);
		expect(shaped.filter((value) => callHashIn(value)).length).toBeLessThan(15);
	});

	test('a reference with any character changed is not recognised', () => {
		const { customuuid } = newCallReference();
		let recognised = 0;
		for (let position = 0; position < customuuid.length; position++) {
			const changed = customuuid.slice(0, position) + (customuuid[position] === 'a' ? 'b' : 'a') + customuuid.slice(position + 1);
			if (callHashIn(changed)) recognised += 1;
		}
		expect(recognised).toBeLessThanOrEqual(1);
	});

	test('records are matched to the wanted calls only, the first record of a call once', () => {
		const [a, b, c] = [newCallReference(), newCallReference(), newCallReference()];
		const records = [{ id: 1, customuuid: a.customuuid }, { id: 2, customuuid: 'crm-1' }, { id: 3, customuuid: b.customuuid }, { id: 4, customuuid: a.customuuid }, { id: 5, customuuid: c.customuuid }];
		const found = recordsOfCalls(records, new Set([a.callHash, b.callHash]));
		expect([...found.entries()].map(([hash, record]) => [hash, record.id])).toEqual([
			[a.callHash, 1],
			[b.callHash, 3],
		]);
		expect(hashCallSecret('x')).toBe(hashCallSecret('x'));
	});
});
