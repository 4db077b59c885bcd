/**
 * Turns a callback request's body into payload objects. The platform sends JSON; the trigger also
 * takes any JSON media type, JSON sent as text/plain, form-urlencoded bodies, and a JSON array of
 * several events. A body it cannot use is refused with an HTTP status and a sentence saying why.
 */
import type { IDataObject } from 'n8n-workflow';

export type CallbackBody =
	| { ok: true; payloads: IDataObject[] }
	| { ok: false; status: 400 | 413 | 415; message: string };

export interface RawCallbackRequest {
	contentType: string;
	/** The bytes as received, when n8n kept them. */
	rawBody?: Buffer;
	/** What n8n's own body parser made of the body. */
	parsedBody?: unknown;
}

const refuse = (status: 400 | 413 | 415, message: string): CallbackBody => ({ ok: false, status, message });

function isJsonType(mediaType: string): boolean {
	return mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === 'text/json';
}

export function readCallbackBody(request: RawCallbackRequest, maxBytes: number): CallbackBody {
	const mediaType = request.contentType.split(';')[0].trim().toLowerCase();
	const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
	if (raw && raw.length > maxBytes) {
		return refuse(413, `The callback body is ${raw.length} bytes, over the limit of ${maxBytes} bytes set in the trigger's options.`);
	}
	const text = raw ? raw.toString('utf8') : typeof request.parsedBody === 'string' ? request.parsedBody : undefined;

	if (mediaType === 'application/x-www-form-urlencoded') {
		const fields =
			text !== undefined
				? Object.fromEntries(new URLSearchParams(text))
				: isPlainObject(request.parsedBody)
					? (request.parsedBody as IDataObject)
					: {};
		return Object.keys(fields).length ? { ok: true, payloads: [fields] } : refuse(400, 'The callback body is empty.');
	}

	if (isJsonType(mediaType) || mediaType === 'text/plain' || mediaType === '') {
		if (text === undefined) return fromParsed(request.parsedBody);
		if (!text.trim()) return refuse(400, 'The callback body is empty.');
		let value: unknown;
		try {
			value = JSON.parse(text.replace(/^\uFEFF/, ''));
		} catch (error) {
			return refuse(400, `The callback body is not valid JSON (${(error as Error).message}).`);
		}
		return toPayloads(value);
	}
	return refuse(415, `The content type "${mediaType}" is not supported: send JSON or form-urlencoded data.`);
}

function fromParsed(parsed: unknown): CallbackBody {
	if (parsed === undefined || parsed === null || (isPlainObject(parsed) && !Object.keys(parsed as object).length)) {
		return refuse(400, 'The callback body is empty.');
	}
	return toPayloads(parsed);
}

function toPayloads(value: unknown): CallbackBody {
	const list = Array.isArray(value) ? value : [value];
	if (!list.length) return refuse(400, 'The callback body is an empty JSON array.');
	const notObject = list.findIndex((entry) => !isPlainObject(entry));
	if (notObject >= 0) {
		return refuse(
			400,
			Array.isArray(value)
				? `Element ${notObject} of the JSON array is not an object: each event must be a JSON object.`
				: 'The callback body must be a JSON object (or an array of objects).',
		);
	}
	return { ok: true, payloads: list as IDataObject[] };
}

function isPlainObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
