import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { assertAccepted } from './platformAnswer';
import { PlatformError } from './platformErrors';
import { postForm } from './postForm';
import { RECORDING_LINK_SERVICE } from './recordingLink';

export const LOGIN_SERVICE = 'App.Sip_Auth.Login';
/**
 * A harmless, read-only service (the recording link, named once): answers ret 600/604 for a bad
 * token or IP, and never places a call.
 */
export const TOKEN_CHECK_SERVICE = RECORDING_LINK_SERVICE;
export const CREDENTIAL_CHECK_RECORDING = 'n8n-credential-check.mp3';

export type AuthenticationMode = 'token' | 'appIdAccessKey';

export function apiUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.apiUrl ?? '').trim();
}

export function authenticationModeOf(credentials: ICredentialDataDecryptedObject): AuthenticationMode {
	return credentials.authentication === 'appIdAccessKey' ? 'appIdAccessKey' : 'token';
}

/** The token that goes into every request's form body. */
export function tokenOf(credentials: ICredentialDataDecryptedObject): string {
	return String(
		authenticationModeOf(credentials) === 'token' ? credentials.token ?? '' : credentials.sessionToken ?? '',
	);
}

/** The platform takes the token as a form field, not a header. */
export function withTokenInForm(request: IHttpRequestOptions, credentials: ICredentialDataDecryptedObject): IHttpRequestOptions {
	const body = request.body;
	const form = body && typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body) ? body : {};
	return { ...request, body: { ...(form as object), token: tokenOf(credentials) } };
}

/** `App.Sip_Auth.Login`: trades App ID + Access Key for a token that is valid for 12 hours. */
export async function logIn(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const answer = await postForm(async (request) => await helpers.httpRequest(request), apiUrlOf(credentials), {
		service: LOGIN_SERVICE,
		appid: String(credentials.appId ?? ''),
		accesskey: String(credentials.accessKey ?? ''),
	});
	assertAccepted(answer, 'the login');
	const result = answer.data.result as { token?: unknown } | undefined;
	if (!result || typeof result.token !== 'string' || !result.token) {
		throw new PlatformError(
			'The platform accepted the login but sent no token',
			'ret',
			'Check that the API URL points at the platform\'s API, and ask the platform vendor.',
			false,
		);
	}
	return result.token;
}

/** Checks a fixed token with a read-only request; throws with the platform's own message when it is refused. */
export async function checkToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<void> {
	const answer = await postForm(async (request) => await helpers.httpRequest(request), apiUrlOf(credentials), {
		service: TOKEN_CHECK_SERVICE,
		token: tokenOf(credentials),
		filename: CREDENTIAL_CHECK_RECORDING,
	});
	// data.status 1 ("no such recording") is the expected answer: only ret tells whether the token works.
	if (answer.ret !== 200) assertAccepted(answer);
}
