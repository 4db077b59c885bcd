/**
 * A recording's link, fetched fresh right before use, and its audio. A link lives minutes (five
 * in the vendor's example): when the download says the link is gone (403, 404, 410), one new
 * link is fetched and tried once, so a stale link is never handed on.
 *
 * The link is whatever the platform answers (or a forged record, or anyone on the path of the
 * platform's plain http:), so it is followed with care: only an http: or https: link, with a plain
 * GET that carries none of the platform credentials (no token, no access key), and no more than
 * MAX_RECORDING_BYTES of audio. It must point at the credential's own API host or at the public
 * internet: loopback, private, link-local and other internal addresses, and names that only mean
 * something inside a network (localhost, single labels, .local, .internal), are refused, and every
 * redirect is checked the same way before it is followed. Names are not resolved here (n8n's rules
 * for community nodes leave no DNS access); n8n's own N8N_SSRF_PROTECTION_ENABLED covers a public
 * name that resolves to an internal address.
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { isAllowed, parseAllowList } from '../ipRanges';
import { readRecordingLink, RECORDING_LINK_SERVICE, type RecordingLink } from './recordingLink';
import { assertAccepted } from './platformAnswer';
import { describeRefusal, PlatformError } from './platformErrors';
import type { SendForm } from './sendToPlatform';

const LINK_GONE = [403, 404, 410];
const DOWNLOAD_TIMEOUT_MS = 120_000;
/** The largest recording downloaded: 100 MB, hours of the platform's MP3s. */
export const MAX_RECORDING_BYTES = 100 * 1024 * 1024;
const FOLLOWED_SCHEMES = ['http:', 'https:'];
const MAX_REDIRECTS = 5;
/** Addresses no recording of the platform's lives at, unless the API itself is there. */
const INTERNAL_RANGES = parseAllowList(
	'0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.0.0.0/24, 192.168.0.0/16, 198.18.0.0/15, 224.0.0.0/3, ' +
		'::/128, ::1/128, fc00::/7, fe80::/10, ff00::/8',
).ranges;
const INTERNAL_NAME = /^localhost$|\.(localhost|local|internal|localdomain|lan|home\.arpa)$|^[^.]+$/i;

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

/** Lower case, without an IPv6 address's brackets or a name's final dot: as URL.hostname compares. */
function hostOf(url: string): string {
	try {
		return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	} catch {
		return '';
	}
}

/**
 * A link (or a redirect's target) may be followed when it is http(s) and points at the API's own
 * host or at a public address or name. The error names the host and says why.
 */
function assertReachable(url: string, apiUrl: string, name: string, redirected: boolean): void {
	assertFollowable(url, name);
	const host = hostOf(url);
	if (host === hostOf(apiUrl)) return;
	const internal = isAllowed(host, INTERNAL_RANGES) || (!/^[\d.]+$|:/.test(host) && INTERNAL_NAME.test(host));
	if (!internal) return;
	throw new PlatformError(
		`The ${redirected ? 'recording server redirected the download of' : "platform's download link for"} the recording "${name}" ${redirected ? 'to' : 'points at'} "${host}", an internal address; it was not followed`,
		'refused',
		"The node downloads recordings only from the platform's API host or the public internet, never from loopback, private or link-local addresses. Ask the platform vendor why the link points there.",
		false,
	);
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
 * never go to the link's host, whichever host it names. Redirects are followed here, each target
 * checked first. The body comes as a stream, read with a cap.
 */
async function download(context: IExecuteFunctions, url: string, apiUrl: string, name: string): Promise<IN8nHttpFullResponse> {
	let target = url;
	for (let redirects = 0; ; redirects++) {
		assertReachable(target, apiUrl, name, redirects > 0);
		const response = (await context.helpers.httpRequest({
			method: 'GET',
			url: target,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
		})) as IN8nHttpFullResponse;
		const location = response.headers.location;
		if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') return response;
		(response.body as ByteStream).destroy();
		if (redirects === MAX_REDIRECTS) {
			throw new PlatformError(`Downloading the recording "${name}" was redirected more than ${MAX_REDIRECTS} times`, 'refused', 'Ask the platform vendor.', false);
		}
		target = new URL(location, target).toString();
	}
}

export async function downloadRecording(
	context: IExecuteFunctions,
	send: SendForm,
	/** The credential's API URL: its host is the one internal host a link may name. */
	apiUrl: string,
	filename: string,
	timeZone: string,
): Promise<DownloadedRecording | MissingRecording> {
	const name = filename.trim();
	let link = await fetchRecordingLink(send, filename, timeZone);
	if ('missing' in link) return link;
	let response = await download(context, link.downloadUrl, apiUrl, name);
	if (LINK_GONE.includes(response.statusCode)) {
		(response.body as ByteStream).destroy();
		link = await fetchRecordingLink(send, filename, timeZone);
		if ('missing' in link) return link;
		response = await download(context, link.downloadUrl, apiUrl, name);
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
