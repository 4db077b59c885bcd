import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { sessionFor } from './loginSession';
import { apiUrlOf, authenticationModeOf, logIn, tokenOf } from './platformAuth';
import type { PlatformAnswer } from './platformAnswer';
import { postForm } from './postForm';

export const CREDENTIAL_TYPE = 'sipCallApi';
const TOKEN_EXPIRED = 600;

/** The contexts that speak to the platform with the credential: the action node, the poller, the waiting node's webhook. */
/** What the platform client needs of n8n: an execution, a poll, a webhook, or `detachedPlatformContext`. */
export type PlatformContext =
	| IExecuteFunctions
	| IPollFunctions
	| IWebhookFunctions
	| { helpers: { httpRequest(request: IHttpRequestOptions): Promise<unknown> }; getTimezone(): string };

/**
 * The platform client for work that outlives an execution (the results reader and redials of a
 * waiting execution, in the process that dialed): n8n's request helpers close over the execution's
 * data, which would then stay in memory for the whole wait, so requests go with Node's own fetch.
 */
export function detachedPlatformContext(timeZone: string): PlatformContext {
	const httpRequest = async (request: IHttpRequestOptions) => {
		const response = await fetch(request.url, {
			method: request.method ?? 'GET',
			headers: request.headers as Record<string, string> | undefined,
			body: request.body as string | undefined,
			signal: request.timeout ? AbortSignal.timeout(request.timeout) : undefined,
		});
		return { statusCode: response.status, body: Buffer.from(await response.arrayBuffer()) };
	};
	return { helpers: { httpRequest }, getTimezone: () => timeZone };
}

/** One service call with the credential already applied (see platformSender). */
export type SendForm = (form: Record<string, string>) => Promise<PlatformAnswer>;

export interface SendOptions {
	timeoutMs: number;
}

/**
 * Posts one form to the platform with the credential's token and returns its envelope. With App
 * ID + Access Key, a ret 600 is answered by one fresh login and one resend: the platform refused
 * the first request, so nothing was placed twice.
 */
export async function sendToPlatform(
	context: PlatformContext,
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

async function postWithToken(
	context: PlatformContext,
	credentials: ICredentialDataDecryptedObject,
	form: Record<string, string>,
	{ timeoutMs }: SendOptions,
	sessionToken: string,
): Promise<PlatformAnswer> {
	// The token goes into the form here, as the credential's authenticate() would put it; n8n's
	// plain helper skips a credential round per request (measured, see docs/benchmarks.md).
	const send = async (request: IHttpRequestOptions) => await context.helpers.httpRequest(request);
	return await postForm(send, apiUrlOf(credentials), { ...form, token: sessionToken }, {
		timeoutMs,
		// Only an execution can be cancelled; a poll or a webhook has no cancel signal.
		abortSignal: 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal?.() : undefined,
	});
}
