import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { apiUrlOf, authenticationModeOf, logIn } from './platformAuth';
import { readPlatformAnswer, type PlatformAnswer } from './platformAnswer';
import { describeTransportFailure } from './platformErrors';

export const CREDENTIAL_TYPE = 'sipCallApi';
const TOKEN_EXPIRED = 600;

/**
 * Session tokens renewed after a ret 600, by the stale token they replace. n8n stores the session
 * token in the credential only when it logs in itself (an empty token or an HTTP 401); the platform
 * says "expired" with HTTP 200, so the renewed token is kept here for the rest of this process.
 */
const renewedTokens = new Map<string, Promise<string>>();

function renewalKey(credentials: ICredentialDataDecryptedObject): string {
	return [apiUrlOf(credentials), credentials.appId, credentials.accessKey, credentials.sessionToken].join('\u0000');
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
	form: Record<string, string>,
	options: SendOptions,
): Promise<PlatformAnswer> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const usesLogin = authenticationModeOf(credentials) === 'appIdAccessKey';
	const key = renewalKey(credentials);
	const knownRenewal = usesLogin ? renewedTokens.get(key) : undefined;
	const renewed = knownRenewal ? await knownRenewal.catch(() => undefined) : undefined;

	const answer = await postWithToken(context, credentials, form, options, renewed);
	if (answer.ret !== TOKEN_EXPIRED || !usesLogin) return answer;

	if (!renewedTokens.has(key) || renewed !== undefined) {
		renewedTokens.set(key, renewToken(context, credentials));
	}
	const freshToken = await (renewedTokens.get(key) as Promise<string>).catch((error: unknown) => {
		renewedTokens.delete(key);
		throw error;
	});
	return await postWithToken(context, credentials, form, options, freshToken);
}

async function renewToken(context: IExecuteFunctions, credentials: ICredentialDataDecryptedObject) {
	return await logIn(context.helpers, credentials);
}

async function postWithToken(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	form: Record<string, string>,
	{ timeoutMs }: SendOptions,
	sessionToken: string | undefined,
): Promise<PlatformAnswer> {
	const apiUrl = apiUrlOf(credentials);
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: apiUrl,
		body: { ...form },
		headers: { 'Content-Type': 'multipart/form-data' },
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	};
	const credentialsDecrypted =
		sessionToken === undefined
			? undefined
			: { id: '', name: '', type: CREDENTIAL_TYPE, data: { ...credentials, sessionToken } };
	let response: { statusCode: number; body: unknown };
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			request,
			credentialsDecrypted ? { credentialsDecrypted } : undefined,
		)) as { statusCode: number; body: unknown };
	} catch (error) {
		throw describeTransportFailure(error, apiUrl);
	}
	return readPlatformAnswer(response.statusCode, response.body);
}
