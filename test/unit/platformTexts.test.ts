import { hangupCauseName, hangupDirectionName, refusalCodeMeaning } from '../../nodes/shared/platform/vendorCodes';
import { readRecordingLink } from '../../nodes/shared/platform/recordingLink';
import { normalizeCdr } from '../../nodes/shared/callbacks/normalizeCallback';
import { describeRefusal } from '../../nodes/shared/platform/platformErrors';
import { readSlowDownCodes } from '../../nodes/SipCall/dialing/paceSettings';
import { retryDelay } from '../../nodes/SipCall/dialing/retryPolicy';

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

describe('codes in words where they reach the user', () => {
	test('a CDR names its hang-up cause and direction; unknown codes stay numbers with a null name', () => {
		const known = normalizeCdr({ hangupcause: '10006', hangupdirection: '10041', billsec: '0', answertime: '' }, 'Asia/Shanghai');
		expect(known).toMatchObject({ hangupcause: 10006, hangupCauseName: 'busy', hangupdirection: 10041, hangupDirectionName: 'callee hung up' });
		const unknown = normalizeCdr({ hangupcause: '10099', hangupdirection: 10015 }, 'Asia/Shanghai');
		expect(unknown).toMatchObject({ hangupcause: 10099, hangupCauseName: null, hangupdirection: 10015, hangupDirectionName: null });
	});

	test("a refusal names its code's meaning; an unknown code and a login refusal keep just the number", () => {
		expect(describeRefusal(1, '分机不存在', 1012).message).toBe('The platform refused the call (error code 1012: extension does not exist): 分机不存在');
		expect(describeRefusal(1, 'x', 1005).message).toBe('The platform refused the call (error code 1005): x');
		expect(describeRefusal(1, 'appid或accesskey错误', 1001, 'the login').message).toBe('The platform refused the login (error code 1001): appid或accesskey错误');
	});

	test('no slow-down code by default: a 1011 or 1012 refusal (extension errors) is not retried unless the user lists it', () => {
		const retry = (slowDownCodes: string[]) => ({ maxRetries: 3, slowDownCodes, retryWhenUnsure: false });
		for (const code of [1011, 1012]) {
			expect(retryDelay(describeRefusal(1, 'x', code), 1, retry(readSlowDownCodes(undefined)))).toBeUndefined();
			expect(retryDelay(describeRefusal(1, 'x', code), 1, retry(readSlowDownCodes(`9011, ${code}`)))).toBeGreaterThan(0);
		}
	});
});
