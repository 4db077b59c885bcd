import type { IDataObject } from 'n8n-workflow';

import { describeRefusal, describeRet, PlatformError } from './platformErrors';

/** The PhalApi envelope every platform service answers with. */
export interface PlatformAnswer {
	ret: number;
	data: IDataObject;
	msg: string;
}

/** Parses the platform's raw answer; anything that is not the envelope becomes a PlatformError. */
export function readPlatformAnswer(statusCode: number, rawBody: unknown): PlatformAnswer {
	const text = bodyToText(rawBody);
	if (statusCode >= 400) {
		return throwHttpStatus(statusCode, text);
	}
	const parsed = parseJson(text);
	if (parsed === undefined) {
		throw new PlatformError(
			`The platform answered with something that is not JSON: ${preview(text)}`,
			'notJson',
			'Check that the API URL in the SIP Call API credential points at the platform\'s API (for example http://HOST:8080) and not at a web page or proxy. The call may have been placed: check the CDR before trying again.',
			true,
			{ httpStatus: statusCode },
		);
	}
	if (!parsed || typeof parsed !== 'object' || !('ret' in parsed)) {
		throw new PlatformError(
			`The platform's answer has no "ret" field: ${preview(text)}`,
			'notJson',
			'Check that the API URL points at the platform\'s API. The call may have been placed: check the CDR before trying again.',
			true,
			{ httpStatus: statusCode },
		);
	}
	const envelope = parsed as { ret: unknown; data?: unknown; msg?: unknown };
	return {
		ret: Number(envelope.ret),
		data: envelope.data && typeof envelope.data === 'object' ? (envelope.data as IDataObject) : {},
		msg: typeof envelope.msg === 'string' ? envelope.msg : '',
	};
}

/** Throws unless the answer is `ret` 200 with `data.status` 0. */
export function assertAccepted(answer: PlatformAnswer, refused = 'the call'): void {
	if (answer.ret !== 200) throw describeRet(answer.ret, answer.msg);
	const status = Number(answer.data.status ?? 0);
	if (status !== 0) {
		const errors = answer.data.errors as IDataObject | undefined;
		throw describeRefusal(status, String(answer.data.desc ?? answer.msg ?? ''), errors?.code, refused);
	}
}

function throwHttpStatus(statusCode: number, text: string): never {
	const serverSide = statusCode >= 500;
	throw new PlatformError(
		`The platform answered HTTP ${statusCode}${text ? `: ${preview(text)}` : ''}`,
		'httpStatus',
		serverSide
			? 'The platform had a server error. The call may have been placed: check the CDR before trying again.'
			: 'Check the API URL in the SIP Call API credential.',
		serverSide,
		{ httpStatus: statusCode },
	);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
	} catch {
		return undefined;
	}
}

function bodyToText(rawBody: unknown): string {
	if (rawBody === undefined || rawBody === null) return '';
	if (typeof rawBody === 'string') return rawBody;
	if (rawBody instanceof ArrayBuffer) return Buffer.from(rawBody).toString('utf8');
	if (Buffer.isBuffer(rawBody)) return rawBody.toString('utf8');
	return JSON.stringify(rawBody);
}

function preview(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine || '(empty body)';
}
