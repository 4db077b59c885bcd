import { cleanPhoneNumber } from '../../nodes/SipCall/dialing/cleanPhoneNumber';

test('numbers as Chinese sheets hold them come out as the digits the platform dials', () => {
	const cases: Array<[string, string]> = [
		['138 0013 8000', '13800138000'],
		['138-0013-8000', '13800138000'],
		['138.0013.8000', '13800138000'],
		['(138) 0013 8000', '13800138000'],
		['１３８００１３８０００', '13800138000'],
		['１３８－００１３－８０００', '13800138000'],
		['+86 138 0013 8000', '13800138000'],
		['＋８６１３８００１３８０００', '13800138000'],
		['0086 13800138000', '13800138000'],
		['8613800138000', '13800138000'],
		['+86 10 1234 5678', '01012345678'],
		['0086-755-8765-4321', '075587654321'],
		['(010) 1234-5678', '01012345678'],
		['021　6123 4567', '02161234567'],
	];
	for (const [given, cleaned] of cases) expect([given, cleanPhoneNumber(given)]).toEqual([given, cleaned]);
});

test('what cannot be cleaned with certainty is left for the node to refuse', () => {
	for (const given of ['12-34', '', 'call me', '+1 415 555 0100', '+86 1380013800', '138001380001', '86 10 1234 5678', '1380013800O', '+86 0 10 1234 5678']) {
		expect([given, cleanPhoneNumber(given)]).toEqual([given, undefined]);
	}
});
