import { hangupCauseName, hangupDirectionName, refusalCodeMeaning } from '../../nodes/shared/platform/vendorCodes';

describe("the vendor's code tables", () => {
	test('known codes have names, given as numbers or as the strings callbacks carry', () => {
		expect(hangupCauseName(10006)).toBe('busy');
		expect(hangupCauseName('10016')).toBe('no answer');
		expect(hangupDirectionName('10041')).toBe('callee hung up');
		expect(refusalCodeMeaning(1012)).toBe('extension does not exist');
	});

	test('unknown, empty and malformed codes get no name', () => {
		for (const code of [10099, '', ' ', null, undefined, 'busy', 10001.5, {}]) expect(hangupCauseName(code)).toBeNull();
		expect(hangupDirectionName(10015)).toBeNull();
		expect(refusalCodeMeaning(1022)).toBeNull();
	});
});
