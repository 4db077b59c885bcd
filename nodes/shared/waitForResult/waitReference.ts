/**
 * The customuuid a waiting call carries to the platform and back, so that its CDR finds the
 * execution waiting for it. It holds, in at most 64 characters of [0-9A-Za-z]:
 *   kind (1)      "w" with n8n's resume token, "v" without one (n8n 1.x has none)
 *   call (8)      a random per-call secret: only its hash is kept in the waiting execution
 *   check (2)     a checksum of the rest, so that a user's own value is not taken for a reference
 *   token (43)    n8n's 256-bit resume token, base62, when kind is "w"
 *   execution     the execution id (up to 10 digits), the rest
 * The user's own customuuid stays in the waiting execution and comes back on the result.
 */
import { createHash, randomBytes } from 'node:crypto';

export const MAX_CUSTOMUUID_LENGTH = 64;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CALL_SECRET_LENGTH = 8;
const CHECK_LENGTH = 2;
const TOKEN_LENGTH = 43;
const TOKEN_HEX_LENGTH = 64;

export interface WaitReference {
	executionId: string;
	callSecret: string;
	/** n8n's resume token (hex), when the instance issues one. */
	resumeToken?: string;
}

function toBase62(value: bigint, length: number): string {
	let text = '';
	for (let rest = value; rest > 0n; rest /= 62n) text = ALPHABET[Number(rest % 62n)] + text;
	return text.padStart(length, '0');
}

function fromBase62(text: string): bigint {
	let value = 0n;
	for (const char of text) value = value * 62n + BigInt(ALPHABET.indexOf(char));
	return value;
}

export function newCallSecret(): string {
	return toBase62(BigInt(`0x${randomBytes(8).toString('hex')}`), CALL_SECRET_LENGTH).slice(-CALL_SECRET_LENGTH);
}

function checksum(kind: string, callSecret: string, token: string, executionId: string): string {
	const digest = createHash('sha256').update(`${kind}${callSecret}${token}${executionId}`).digest();
	return toBase62(BigInt(digest.readUInt16BE(0) % 3844), CHECK_LENGTH);
}

/** What the waiting execution keeps instead of the secret itself, and looks calls up by. */
export function hashCallSecret(callSecret: string): string {
	return createHash('sha256').update(callSecret).digest('hex').slice(0, 32);
}

export function encodeWaitReference(reference: WaitReference): string {
	if (!/^\d+$/.test(reference.executionId)) {
		throw new Error(`Execution id "${reference.executionId}" is not numeric, so it cannot travel in customuuid.`);
	}
	const token = reference.resumeToken;
	if (token !== undefined && !new RegExp(`^[0-9a-f]{${TOKEN_HEX_LENGTH}}$`).test(token)) {
		throw new Error('n8n issued a resume token of an unknown form, so it cannot travel in customuuid.');
	}
	if (!new RegExp(`^[0-9A-Za-z]{${CALL_SECRET_LENGTH}}$`).test(reference.callSecret)) {
		throw new Error('A call secret is 8 letters or digits.');
	}
	const kind = token ? 'w' : 'v';
	const tokenText = token ? toBase62(BigInt(`0x${token}`), TOKEN_LENGTH) : '';
	const check = checksum(kind, reference.callSecret, tokenText, reference.executionId);
	const encoded = `${kind}${reference.callSecret}${check}${tokenText}${reference.executionId}`;
	if (encoded.length > MAX_CUSTOMUUID_LENGTH) {
		throw new Error(`Execution id ${reference.executionId} is too long to fit customuuid's ${MAX_CUSTOMUUID_LENGTH} characters.`);
	}
	return encoded;
}

/** The reference in a CDR's customuuid, or undefined when it is anything else (a user's own value). */
export function decodeWaitReference(customuuid: unknown): WaitReference | undefined {
	const text = typeof customuuid === 'string' ? customuuid : '';
	const head = `([0-9A-Za-z]{${CALL_SECRET_LENGTH}})([0-9A-Za-z]{${CHECK_LENGTH}})`;
	const match =
		new RegExp(`^(w)${head}([0-9A-Za-z]{${TOKEN_LENGTH}})(\\d{1,10})$`).exec(text) ??
		new RegExp(`^(v)${head}()(\\d{1,53})$`).exec(text);
	if (!match) return undefined;
	const [, kind, callSecret, check, tokenText, executionId] = match;
	if (check !== checksum(kind, callSecret, tokenText, executionId)) return undefined;
	if (!tokenText) return { callSecret, executionId };
	const token = fromBase62(tokenText);
	if (token >= 1n << 256n) return undefined;
	return { callSecret, resumeToken: token.toString(16).padStart(TOKEN_HEX_LENGTH, '0'), executionId };
}

/** The shortest whole reference with n8n's resume token (n8n 2.x): a platform that cuts shorter loses the way back. */
export const SHORTEST_TOKEN_REFERENCE = 1 + CALL_SECRET_LENGTH + CHECK_LENGTH + TOKEN_LENGTH + 1;

/** Shorter than this, a cut is not told apart from a user's own value (the vendor's example is 32). */
const SHORTEST_CUT = 16;

/**
 * The length of a customuuid that looks like a wait reference (n8n 2.x) the platform cut short
 * (or changed): "w", then letters and digits only, 16 to 63 characters, and not a whole reference.
 * It no longer leads to the execution (the resume token and execution id are at its end); its call
 * secret still finds the row. Only looks: a user's own value may have that shape.
 */
export function cutReferenceLength(customuuid: unknown): number | undefined {
	const text = typeof customuuid === 'string' ? customuuid : '';
	const shaped = new RegExp(`^w[0-9A-Za-z]{${SHORTEST_CUT - 1},${MAX_CUSTOMUUID_LENGTH - 2}}$`).test(text);
	return shaped && !decodeWaitReference(text) ? text.length : undefined;
}

/**
 * The call secret a customuuid carries: from a whole reference, or from the head of one the
 * platform cut short. Only its hash matching a kept row proves a call.
 */
export function callSecretIn(customuuid: unknown): string | undefined {
	const whole = decodeWaitReference(customuuid);
	if (whole) return whole.callSecret;
	const text = typeof customuuid === 'string' ? customuuid : '';
	return new RegExp(`^[wv]([0-9A-Za-z]{${CALL_SECRET_LENGTH}})`).exec(text)?.[1];
}

/** The hash of the call secret a customuuid carries (what a waiting row keeps as `waitCallHash`), if any. */
export function callHashIn(customuuid: unknown): string | undefined {
	const callSecret = callSecretIn(customuuid);
	return callSecret ? hashCallSecret(callSecret) : undefined;
}

/**
 * The records of the wanted calls, by call hash (`waitCallHash`): each found by the call secret in
 * its customuuid, whole or cut short. Of several records of one call, the first.
 */
export function recordsOfCalls<T extends { customuuid?: unknown }>(records: T[], wanted: ReadonlySet<string>): Map<string, T> {
	const found = new Map<string, T>();
	for (const record of records) {
		const callHash = callHashIn(record.customuuid);
		if (callHash && wanted.has(callHash) && !found.has(callHash)) found.set(callHash, record);
	}
	return found;
}
