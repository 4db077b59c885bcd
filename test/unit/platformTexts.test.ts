import { hangupCauseName, hangupDirectionName, refusalCodeMeaning } from '../../nodes/shared/platform/vendorCodes';
import { readRecordingLink } from '../../nodes/shared/platform/recordingLink';

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

describe('a recording link as GetRecodeFile writes it', () => {
	test('the expiry text is read in the platform\'s time zone', () => {
		const link = readRecordingLink({ downurl: ' http://203.0.113.1/r/1.mp3 ', expiredtime: 'Expiration time:2025-11-03 10:20:00' }, 'Asia/Shanghai');
		expect(link).toEqual({ downloadUrl: 'http://203.0.113.1/r/1.mp3', expiresAt: '2025-11-03T10:20:00+08:00', expiresAtMs: Date.UTC(2025, 10, 3, 2, 20) });
	});

	test('no link is undefined; an expiry without a time is null', () => {
		expect(readRecordingLink({ expiredtime: 'Expiration time:2025-11-03 10:20:00' }, 'Asia/Shanghai')).toBeUndefined();
		expect(readRecordingLink({ downurl: 'http://203.0.113.1/r/1.mp3', expiredtime: 'soon' }, 'Asia/Shanghai')?.expiresAt).toBeNull();
	});
});
