import { randomBytes } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { apiUrlOf, authenticationModeOf, logIn, tokenOf } from './platformAuth';
import { readPlatformAnswer, type PlatformAnswer } from './platformAnswer';
import { describeTransportFailure } from './platformErrors';

export const CREDENTIAL_TYPE = 'sipCallApi';
const TOKEN_EXPIRED = 600;

/**
 * The session token of an App ID + Access Key credential, shared by every request this process
 * sends with it. It starts from the token n8n stored in the credential (its credential test logs
 * in and saves one); without one it logs in. The platform says "expired" with ret 600 and HTTP 200,
 * which n8n's own refresh (on HTTP 401) never sees, so renewal happens here, once for all waiting
 * requests. The node logs in itself rather than through n8n's preAuthentication so that the
 * platform's refusal reaches the user in its own words on every n8n version.
 */
class LoginSession {
	private current: Promise<string> | undefined;

	constructor(private readonly stored: string) {}

	async token(logInNow: () => Promise<string>): Promise<string> {
		this.current ??= this.stored ? Promise.resolve(this.stored) : logInNow();
		const pending = this.current;
		// A failed login is forgotten, so the next request tries again.
		pending.catch(() => {
			if (this.current === pending) this.current = undefined;
		});
		return await pending;
	}

	/** Replaces an expired token, unless another request has already done so. */
	async renew(expired: string, logInNow: () => Promise<string>): Promise<string> {
		const now = await this.current?.catch(() => undefined);
		if (now === undefined || now === expired) this.current = logInNow();
		return await this.token(logInNow);
	}
}

const sessions = new Map<string, LoginSession>();

function sessionFor(credentials: ICredentialDataDecryptedObject): LoginSession {
	const key = [apiUrlOf(credentials), credentials.appId, credentials.accessKey].join('\u0000');
	let session = sessions.get(key);
	if (!session) {
		session = new LoginSession(String(credentials.sessionToken ?? ''));
		sessions.set(key, session);
	}
	return session;
}

export interface SendOptions {
	timeoutMs: number;
}

/**
 * Posts one form to the platform with the credential's token and returns its envelope. With App
 * ID + Access Key, a ret 600 is answered by one fresh login and one resend: the platform refused
 * the first request, so nothing was placed twice.
 */
export async function sendToPlatform(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	form: Record<string, string>,
	options: SendOptions,
): Promise<PlatformAnswer> {
	if (authenticationModeOf(credentials) === 'token') {
		return await postWithToken(context, credentials, form, options, tokenOf(credentials));
	}
	const session = sessionFor(credentials);
	const logInNow = async () => await logIn(context.helpers, credentials);
	const token = await session.token(logInNow);
	const answer = await postWithToken(context, credentials, form, options, token);
	if (answer.ret !== TOKEN_EXPIRED) return answer;
	return await postWithToken(context, credentials, form, options, await session.renew(token, logInNow));
}

// Multipart boundary for this process; a form whose values contain it gets a fresh one.
let boundary = newBoundary();

function newBoundary(): string {
	return `----n8nSipCall${randomBytes(12).toString('hex')}`;
}

/**
 * The form as one multipart/form-data body, encoded here rather than by the HTTP client: the
 * platform reads the same fields, and the request leaves in one write instead of a stream of parts.
 */
function encodeMultipart(form: Record<string, string>): { body: string; contentType: string } {
	const values = Object.values(form);
	while (values.some((value) => value.includes(boundary))) boundary = newBoundary();
	let body = '';
	for (const [name, value] of Object.entries(form)) {
		body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	}
	return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function postWithToken(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	form: Record<string, string>,
	{ timeoutMs }: SendOptions,
	sessionToken: string,
): Promise<PlatformAnswer> {
	const apiUrl = apiUrlOf(credentials);
	// The token goes into the form here, as the credential's authenticate() would put it.
	const multipart = encodeMultipart({ ...form, token: sessionToken });
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: apiUrl,
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		abortSignal: context.getExecutionCancelSignal?.(),
	};
	let response: { statusCode: number; body: unknown };
	try {
		response = (await context.helpers.httpRequest(request)) as { statusCode: number; body: unknown };
	} catch (error) {
		throw describeTransportFailure(error, apiUrl);
	}
	return readPlatformAnswer(response.statusCode, response.body);
}
