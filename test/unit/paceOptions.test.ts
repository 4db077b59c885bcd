import { PACE_DEFAULTS } from '../../nodes/SipCall/dialing/paceSettings';
import { CALLING_WINDOW_DEFAULTS } from '../../nodes/SipCall/dialing/callingWindow';
import { paceOptions } from '../../nodes/SipCall/descriptions/PaceOptionsDescription';

// The editor shows the description's defaults; the dialer falls back to PACE_DEFAULTS. They must agree.
test('the pace options shown in the editor have the defaults the dialer uses', () => {
	const shown = Object.fromEntries((paceOptions.options ?? []).map((option) => [(option as { name: string }).name, (option as { default: unknown }).default]));
	expect(shown).toMatchObject({
		callsPerSecond: PACE_DEFAULTS.callsPerSecond,
		maxInFlight: PACE_DEFAULTS.maxInFlight,
		timeout: PACE_DEFAULTS.timeoutMs,
		maxRetries: PACE_DEFAULTS.maxRetries,
		slowDownCodes: PACE_DEFAULTS.slowDownCodes,
		retryWhenUnsure: false,
	});
});

test('the Calling Window shown in the editor has the defaults the dialer uses', () => {
	const option = (paceOptions.options ?? []).find((entry) => (entry as { name: string }).name === 'callingWindow') as unknown as { default: { window: unknown } };
	expect(option.default.window).toEqual(CALLING_WINDOW_DEFAULTS);
});
