/**
 * The one place a request to the platform is built: every service is a multipart form POSTed to
 * the API URL, answered with a `{ret, data, msg}` envelope (read in platformAnswer).
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { readPlatformAnswer, type PlatformAnswer } from './platformAnswer';
import { describeTransportFailure } from './platformErrors';

/** Sends a built request: n8n's plain request helper, or its helper that applies the credential. */
export type SendRequest = (request: IHttpRequestOptions) => Promise<unknown>;

export async function postForm(
	send: SendRequest,
	apiUrl: string,
	form: Record<string, string>,
	timeoutMs?: number,
): Promise<PlatformAnswer> {
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: apiUrl,
		body: { ...form },
		headers: { 'Content-Type': 'multipart/form-data' },
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
	};
	let response: { statusCode: number; body: unknown };
	try {
		response = (await send(request)) as { statusCode: number; body: unknown };
	} catch (error) {
		throw describeTransportFailure(error, apiUrl);
	}
	return readPlatformAnswer(response.statusCode, response.body);
}
