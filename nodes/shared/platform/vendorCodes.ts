/**
 * The vendor's code tables, as its client libraries publish them (see vendor-api.md): refusal
 * codes (`data.errors.code`), hang-up causes and hang-up directions. An unknown code keeps its
 * number and gets no name: the tables are not the vendor's own page, so nothing may depend on
 * them being complete.
 */

const REFUSAL_CODES: Record<number, string> = {
	1001: 'cannot reach the call server',
	1002: 'operation exception (usually a field the platform rejects)',
	1003: 'operation failed',
	1010: 'extension abnormal: log in again for a new token',
	1011: 'extension does not belong to this company',
	1012: 'extension does not exist',
	1013: 'extension disabled',
	1014: 'extension not registered',
	1015: 'extension not in a call',
	1016: 'extension enabled',
	1017: 'extension registered',
	1018: 'number enabled',
	1019: 'number disabled',
	1020: 'number does not exist',
	1021: 'number does not belong to this company',
	1024: 'task does not exist',
	1025: 'task not started',
	1026: 'task running',
	1027: 'task paused',
	1028: 'task ended',
	1029: 'file does not exist',
	1031: 'call-strategy configuration error',
	1032: 'call-strategy rule violated',
	1033: 'no call-strategy resource',
};

const HANGUP_CAUSES: Record<number, string> = {
	10001: 'normal clearing',
	10002: 'cancelled',
	10003: 'rejected',
	10004: 'outbound trunk failure',
	10005: 'not answered',
	10006: 'busy',
	10007: 'hung up by the server',
	10008: 'extension not registered',
	10009: 'unreachable',
	10011: 'timer expired',
	10012: 'inbound callback API error',
	10013: 'extension does not exist',
	10014: 'not found',
	10015: 'request timeout',
	10016: 'no answer',
	10017: 'invalid call',
	10019: 'unknown location',
	10020: 'other',
	10024: 'bad request',
	10025: 'call barred',
	10027: 'number changed',
	10028: 'call intercepted',
	10031: 'unknown',
};

const HANGUP_DIRECTIONS: Record<number, string> = {
	10040: 'caller hung up',
	10041: 'callee hung up',
};

function nameIn(table: Record<number, string>, code: unknown): string | null {
	const number = typeof code === 'string' && code.trim() !== '' ? Number(code) : code;
	return typeof number === 'number' && Number.isInteger(number) ? table[number] ?? null : null;
}

/** What a refusal's `data.errors.code` means, or null when the vendor's table does not say. */
export const refusalCodeMeaning = (code: unknown) => nameIn(REFUSAL_CODES, code);
export const hangupCauseName = (code: unknown) => nameIn(HANGUP_CAUSES, code);
export const hangupDirectionName = (code: unknown) => nameIn(HANGUP_DIRECTIONS, code);
