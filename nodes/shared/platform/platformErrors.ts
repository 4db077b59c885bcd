/**
 * What can go wrong between n8n and the platform, put in words a user can act on.
 *
 * `mayHaveBeenPlaced` matters for telephony: when it is true the request may have reached the
 * platform, so retrying could ring the same person twice.
 */
import { refusalCodeMeaning } from './vendorCodes';

export type PlatformFailureKind =
	| 'unreachable'
	| 'noAnswer'
	| 'httpStatus'
	| 'notJson'
	| 'ret'
	| 'refused';

export class PlatformError extends Error {
	constructor(
		message: string,
		readonly kind: PlatformFailureKind,
		readonly description: string,
		readonly mayHaveBeenPlaced: boolean,
		readonly details: { ret?: number; status?: number; code?: number | string; httpStatus?: number } = {},
	) {
		super(message);
		this.name = 'PlatformError';
	}
}

const RET_MEANINGS: Record<number, string> = {
	400: 'The platform refused the request as malformed: a required field is missing or invalid.',
	500: 'The platform had an internal error.',
	600: 'The token is invalid or has expired. With App ID + Access Key the node logs in again by itself; with a fixed token, get a new token and update the SIP Call API credential.',
	601: 'The platform refused the authorisation.',
	602: 'The platform refused the authorisation.',
	603: 'The platform refused the authorisation.',
	604: 'The IP address of this n8n server is not on the platform\'s allow-list. Ask the platform vendor to allow the public (egress) IP of your n8n server.',
};

export function describeRet(ret: number, msg: string): PlatformError {
	const meaning = RET_MEANINGS[ret] ?? 'The platform refused the request.';
	const said = msg ? `: ${msg}` : '';
	return new PlatformError(`The platform answered ret ${ret}${said}`, 'ret', meaning, false, { ret });
}

const REFUSAL_ADVICE: Record<string, string> = {
	'the call': 'The platform did not place this call. Check the fields named in the message, or ask the platform vendor what the error code means.',
	'the login': 'Check the App ID and Access Key in the SIP Call API credential.',
};

/**
 * A `data.status` refusal in words. The call-center's code table names the code's meaning; the
 * login service has codes of its own (its 1001 is a wrong App ID, not the table's 1001), so a
 * login refusal keeps just its number and the platform's text.
 */
export function describeRefusal(status: number, desc: string, code: unknown, refused = 'the call'): PlatformError {
	const meaning = refused === 'the login' ? null : refusalCodeMeaning(code);
	const codeText = code === undefined || code === null || code === '' ? '' : ` (error code ${String(code)}${meaning ? `: ${meaning}` : ''})`;
	return new PlatformError(
		`The platform refused ${refused}${codeText}: ${desc || `data.status ${status}`}`,
		'refused',
		REFUSAL_ADVICE[refused] ?? 'Check the fields named in the message, or ask the platform vendor what the error code means.',
		false,
		{ status, code: typeof code === 'number' || typeof code === 'string' ? code : undefined },
	);
}

// Failures that happen before the request leaves n8n: the platform never saw it.
const REFUSED_BEFORE_SENDING: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
};

// n8n rewrites a message that contains an error code, so codes are put in words here.
const NO_ANSWER: Record<string, string> = {
	ECONNABORTED: 'it timed out',
	ETIMEDOUT: 'it timed out',
	ECONNRESET: 'the connection was reset',
	EPIPE: 'the connection was closed',
};

/** The API URL as a message may show it: a user and password written into it are left out. */
function shownUrl(apiUrl: string): string {
	try {
		const url = new URL(apiUrl);
		if (!url.username && !url.password) return apiUrl;
		url.username = '';
		url.password = '';
		return url.toString();
	} catch {
		return apiUrl.replace(/\/\/[^/@]*@/, '//');
	}
}

/** Turns a failure of the HTTP request itself into a PlatformError, keeping no request data (it holds the token). */
export function describeTransportFailure(error: unknown, apiUrl: string): PlatformError {
	const alreadyDescribed = causeChain(error).find((cause) => cause instanceof PlatformError);
	if (alreadyDescribed) return alreadyDescribed as PlatformError;
	const code = findErrorCode(error);
	if (code !== undefined && REFUSED_BEFORE_SENDING[code]) {
		return new PlatformError(
			`Could not connect to the platform at ${shownUrl(apiUrl)}: ${REFUSED_BEFORE_SENDING[code]}`,
			'unreachable',
			'The request never reached the platform, so no call was placed. Check the API URL in the SIP Call API credential and that the platform is reachable from the n8n server.',
			false,
		);
	}
	return new PlatformError(
		`The platform did not answer: ${(code && NO_ANSWER[code]) ?? 'the connection failed'}`,
		'noAnswer',
		'The request may have reached the platform, so the call may have been placed. Check the call records (CDR) before trying again, or you may call the same person twice.',
		true,
	);
}

function causeChain(error: unknown): object[] {
	const chain: object[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 5 && !chain.includes(current)) {
		chain.push(current);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

function findErrorCode(error: unknown): string | undefined {
	for (const cause of causeChain(error)) {
		// n8n 2.x keeps the network error as the cause; n8n 1.x copies its code into httpCode.
		for (const code of [(cause as { code?: unknown }).code, (cause as { httpCode?: unknown }).httpCode]) {
			if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		}
	}
	return undefined;
}
