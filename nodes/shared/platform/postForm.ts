/**
 * The one place a request to the platform is built: every service is a multipart form POSTed to
 * the API URL, answered with a `{ret, data, msg}` envelope (read in platformAnswer).
 */
import { randomBytes } from 'node:crypto';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { readPlatformAnswer, type PlatformAnswer } from './platformAnswer';
import { describeTransportFailure } from './platformErrors';

/** Sends a built request with n8n's plain request helper. */
export type SendRequest = (request: IHttpRequestOptions) => Promise<unknown>;

// The multipart boundary of this process; a form whose values contain it gets a fresh one.
let boundary = newBoundary();

function newBoundary(): string {
	return `----n8nSipCall${randomBytes(12).toString('hex')}`;
}

/**
 * The form as one multipart/form-data body, encoded here rather than by the HTTP client: the
 * platform reads the same fields, and the request leaves in one write instead of a stream of parts
 * (measured: the biggest cost of dialing after expressions, see docs/benchmarks.md).
 */
export function encodeMultipart(form: Record<string, string>): { body: string; contentType: string } {
	const values = Object.values(form);
	while (values.some((value) => value.includes(boundary))) boundary = newBoundary();
	let body = '';
	for (const [name, value] of Object.entries(form)) {
		body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	}
	return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface PostOptions {
	timeoutMs?: number;
	abortSignal?: AbortSignal;
}

export async function postForm(
	send: SendRequest,
	apiUrl: string,
	form: Record<string, string>,
	{ timeoutMs, abortSignal }: PostOptions = {},
): Promise<PlatformAnswer> {
	const multipart = encodeMultipart(form);
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: apiUrl,
		body: multipart.body,
		headers: { 'Content-Type': multipart.contentType },
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
		...(abortSignal ? { abortSignal } : {}),
	};
	let response: { statusCode: number; body: unknown };
	try {
		response = (await send(request)) as { statusCode: number; body: unknown };
	} catch (error) {
		throw describeTransportFailure(error, apiUrl);
	}
	return readPlatformAnswer(response.statusCode, response.body);
}
