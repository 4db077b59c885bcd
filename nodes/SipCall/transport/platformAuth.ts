import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { assertAccepted, readPlatformAnswer } from './platformAnswer';
import { describeTransportFailure, PlatformError } from './platformErrors';

export const LOGIN_SERVICE = 'App.Sip_Auth.Login';
/** A harmless, read-only service: answers ret 600/604 for a bad token or IP, and never places a call. */
export const TOKEN_CHECK_SERVICE = 'App.Sip_Cdr.GetRecodeFile';
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

/** Posts a form to the platform with the plain request helper (no credential applied) and reads the envelope. */
export async function postForm(
	helpers: IHttpRequestHelper['helpers'],
	apiUrl: string,
	form: Record<string, string>,
) {
	let response: { statusCode: number; body: unknown };
	try {
		response = (await helpers.httpRequest({
			method: 'POST',
			url: apiUrl,
			body: form,
			headers: { 'Content-Type': 'multipart/form-data' },
			json: false,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		throw describeTransportFailure(error, apiUrl);
	}
	return readPlatformAnswer(response.statusCode, response.body);
}

/** `App.Sip_Auth.Login`: trades App ID + Access Key for a token that is valid for 12 hours. */
export async function logIn(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const answer = await postForm(helpers, apiUrlOf(credentials), {
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
	const answer = await postForm(helpers, apiUrlOf(credentials), {
		service: TOKEN_CHECK_SERVICE,
		token: tokenOf(credentials),
		filename: CREDENTIAL_CHECK_RECORDING,
	});
	// data.status 1 ("no such recording") is the expected answer: only ret tells whether the token works.
	if (answer.ret !== 200) assertAccepted(answer);
}
