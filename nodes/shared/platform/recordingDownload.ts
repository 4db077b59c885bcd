/**
 * A recording's link, fetched fresh right before use, and its audio. A link lives minutes (five
 * in the vendor's example): when the download says the link is gone (403, 404, 410), one new
 * link is fetched and tried once, so a stale link is never handed on.
 *
 * The link is whatever the platform answers, so it is followed with care: only an http: or https:
 * link, with a plain GET that carries none of the platform credentials (no token, no access key),
 * and no more than MAX_RECORDING_BYTES of audio. Over plain http: the download is as safe as the
 * platform's own link (the platform hands out http: links).
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { readRecordingLink, RECORDING_LINK_SERVICE, type RecordingLink } from './recordingLink';
import { assertAccepted } from './platformAnswer';
import { describeRefusal, PlatformError } from './platformErrors';
import type { SendForm } from './sendToPlatform';

const LINK_GONE = [403, 404, 410];
const DOWNLOAD_TIMEOUT_MS = 120_000;
/** The largest recording downloaded: 100 MB, hours of the platform's MP3s. */
export const MAX_RECORDING_BYTES = 100 * 1024 * 1024;
const FOLLOWED_SCHEMES = ['http:', 'https:'];

/** The download's body with encoding "stream" (a Node.js readable stream). */
type ByteStream = AsyncIterable<unknown> & { destroy(): void };

/** A call without a recording: an empty name, or one the platform refuses (data.status 1). */
export interface MissingRecording {
	missing: string;
}

export async function fetchRecordingLink(send: SendForm, filename: string, timeZone: string): Promise<RecordingLink | MissingRecording> {
	const name = filename.trim();
	if (!name) return { missing: 'This record has no recording: Record File Name is empty' };
	const answer = await send({ service: RECORDING_LINK_SERVICE, filename: name });
	if (answer.ret === 200 && Number(answer.data.status ?? 0) !== 0) {
		const errors = answer.data.errors as IDataObject | undefined;
		const refusal = describeRefusal(Number(answer.data.status), String(answer.data.desc ?? answer.msg ?? ''), errors?.code, 'the recording request');
		return { missing: `No recording "${name}" on the platform. ${refusal.message}` };
	}
	assertAccepted(answer, 'the recording request');
	const link = readRecordingLink((answer.data.result ?? {}) as IDataObject, timeZone);
	if (!link) throw new PlatformError(`The platform gave no download link for the recording "${name}"`, 'refused', 'Try again later, or ask the platform vendor.', false);
	assertFollowable(link.downloadUrl, name);
	return link;
}

function schemeOf(url: string): string | undefined {
	try {
		return new URL(url).protocol;
	} catch {
		return undefined;
	}
}

/** Only an http: or https: link is handed on or followed: not file:, data:, ftp: or anything else. */
function assertFollowable(downloadUrl: string, name: string): void {
	const scheme = schemeOf(downloadUrl);
	if (scheme === undefined) {
		throw new PlatformError(`The platform's download link for the recording "${name}" is not a valid URL`, 'refused', 'Ask the platform vendor.', false);
	}
	if (!FOLLOWED_SCHEMES.includes(scheme)) {
		throw new PlatformError(
			`The platform's download link for the recording "${name}" is a "${scheme}" URL; only http: and https: links are followed`,
			'refused',
			'The node follows only http: and https: links. Ask the platform vendor why the link is not one.',
			false,
		);
	}
}

const MB = 1024 * 1024;
const CAP = `the ${MAX_RECORDING_BYTES / MB} MB cap (${MAX_RECORDING_BYTES} bytes)`;

function tooLarge(message: string): PlatformError {
	return new PlatformError(
		message,
		'refused',
		'The node downloads recordings up to this size. Use the download link (turn off Download Audio) to fetch a larger one with another node.',
		false,
	);
}

/** The body, read no further than the cap: a Content-Length over it is refused before reading. */
async function readCapped(response: IN8nHttpFullResponse, name: string): Promise<Buffer> {
	const stream = response.body as ByteStream;
	const announced = Number(response.headers['content-length']);
	if (Number.isFinite(announced) && announced > MAX_RECORDING_BYTES) {
		stream.destroy();
		throw tooLarge(`The recording "${name}" is ${announced} bytes (${(announced / MB).toFixed(1)} MB), more than ${CAP}`);
	}
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of stream) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
		total += bytes.length;
		if (total > MAX_RECORDING_BYTES) {
			stream.destroy();
			throw tooLarge(`The recording "${name}" is larger than ${CAP}; the download was stopped there, the server having given no size (or a compressed one)`);
		}
		chunks.push(bytes);
	}
	return Buffer.concat(chunks, total);
}

export interface DownloadedRecording {
	link: RecordingLink;
	audio: Buffer;
	mimeType: string;
}

/**
 * A plain GET (helpers.httpRequest, not httpRequestWithAuthentication): the platform credentials
 * never go to the link's host, whichever host it names. The body comes as a stream, read with a cap.
 */
async function download(context: IExecuteFunctions, url: string): Promise<IN8nHttpFullResponse> {
	return (await context.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: DOWNLOAD_TIMEOUT_MS,
	})) as IN8nHttpFullResponse;
}

export async function downloadRecording(
	context: IExecuteFunctions,
	send: SendForm,
	filename: string,
	timeZone: string,
): Promise<DownloadedRecording | MissingRecording> {
	let link = await fetchRecordingLink(send, filename, timeZone);
	if ('missing' in link) return link;
	let response = await download(context, link.downloadUrl);
	if (LINK_GONE.includes(response.statusCode)) {
		(response.body as ByteStream).destroy();
		link = await fetchRecordingLink(send, filename, timeZone);
		if ('missing' in link) return link;
		response = await download(context, link.downloadUrl);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		(response.body as ByteStream).destroy();
		throw new PlatformError(
			`Downloading the recording "${filename.trim()}" answered HTTP ${response.statusCode}`,
			'httpStatus',
			LINK_GONE.includes(response.statusCode)
				? 'A fresh link was fetched and still refused: the recording may be gone (the platform keeps recordings about three months).'
				: 'The recording server had a problem; try again later.',
			false,
			{ httpStatus: response.statusCode },
		);
	}
	const contentType = String(response.headers['content-type'] ?? '').split(';')[0].trim();
	const audio = await readCapped(response, filename.trim());
	return { link, audio, mimeType: contentType || 'audio/mpeg' };
}
