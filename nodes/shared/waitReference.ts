/**
 * The customuuid a waited call carries to the platform and back: "sipw", a random call secret of
 * 16 letters and digits, and a 2-character check, 22 characters in all. It leads nowhere: no
 * execution id, no n8n token. The waiting execution keeps only the secret's hash (`waitCallHash`)
 * and finds its call's record in the platform's call records by it. The user's own customuuid
 * stays in the waiting execution and comes back on the result.
 */
import { createHash, randomInt } from 'node:crypto';

const PREFIX = 'sipw';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 16;
/** How long a wait reference is: a platform that keeps fewer characters of customuuid breaks waiting for results. */
export const WAIT_REFERENCE_LENGTH = PREFIX.length + SECRET_LENGTH + 2;
const REFERENCE = new RegExp(`^${PREFIX}([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{2})$`);

function checkOf(secret: string): string {
	const value = createHash('sha256').update(`${PREFIX}${secret}`).digest().readUInt16BE(0) % (62 * 62);
	return ALPHABET[Math.floor(value / 62)] + ALPHABET[value % 62];
}

/** What the waiting execution keeps instead of the secret itself, and looks calls up by. */
export function hashCallSecret(secret: string): string {
	return createHash('sha256').update(secret).digest('hex').slice(0, 32);
}

/** A new reference for one call, and the hash its row keeps. */
export function newCallReference(): { customuuid: string; callHash: string } {
	const secret = Array.from({ length: SECRET_LENGTH }, () => ALPHABET[randomInt(62)]).join('');
	return { customuuid: `${PREFIX}${secret}${checkOf(secret)}`, callHash: hashCallSecret(secret) };
}

/** The hash a wait reference in customuuid stands for, or undefined for anything else (a user's own value). */
export function callHashIn(customuuid: unknown): string | undefined {
	const match = typeof customuuid === 'string' ? REFERENCE.exec(customuuid.trim()) : null;
	return match && match[2] === checkOf(match[1]) ? hashCallSecret(match[1]) : undefined;
}

/** Whether a callback or record belongs to a call that "Play Voice Menu and Wait for Result" placed. */
export function isWaitedCall(record: { customuuid?: unknown }): boolean {
	return callHashIn(record.customuuid) !== undefined;
}

/** The records of the wanted calls, by call hash (`waitCallHash`). Of several records of one call, the first. */
export function recordsOfCalls<T extends { customuuid?: unknown }>(records: T[], wanted: ReadonlySet<string>): Map<string, T> {
	const found = new Map<string, T>();
	for (const record of records) {
		const callHash = callHashIn(record.customuuid);
		if (callHash && wanted.has(callHash) && !found.has(callHash)) found.set(callHash, record);
	}
	return found;
}
