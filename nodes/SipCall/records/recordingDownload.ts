/**
 * A recording's link, fetched fresh right before use, and its audio. A link lives minutes (five
 * in the vendor's example): when the download says the link is gone (403, 404, 410), one new
 * link is fetched and tried once, so a stale link is never handed on.
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { readRecordingLink, RECORDING_LINK_SERVICE, type RecordingLink } from '../../shared/platform/recordingLink';
import { assertAccepted } from '../../shared/platform/platformAnswer';
import { describeRefusal, PlatformError } from '../../shared/platform/platformErrors';
import type { SendForm } from './platformReads';

const LINK_GONE = [403, 404, 410];
const DOWNLOAD_TIMEOUT_MS = 120_000;

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
	return link;
}

export interface DownloadedRecording {
	link: RecordingLink;
	audio: Buffer;
	mimeType: string;
}

async function download(context: IExecuteFunctions, url: string): Promise<IN8nHttpFullResponse> {
	return (await context.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
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
		link = await fetchRecordingLink(send, filename, timeZone);
		if ('missing' in link) return link;
		response = await download(context, link.downloadUrl);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
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
	return { link, audio: Buffer.from(response.body as ArrayBuffer), mimeType: contentType || 'audio/mpeg' };
}
