/**
 * Recording → Get: per input item, a fresh download link and its expiry, and with "Download
 * Audio" the recording as n8n binary data. A call without a recording is a clear per-item error,
 * or is left out when the user says so.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem, platformSender, platformTimeZoneOf } from '../../records/platformReads';
import { apiUrlOf } from '../../../shared/platform/platformAuth';
import { downloadRecording, fetchRecordingLink } from '../../../shared/platform/recordingDownload';
import { CREDENTIAL_TYPE } from '../../../shared/platform/sendToPlatform';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const send = await platformSender(context);
	const apiUrl = apiUrlOf(await context.getCredentials(CREDENTIAL_TYPE));
	const output: INodeExecutionData[] = [];
	const items = context.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const options = context.getNodeParameter('recordingOptions', itemIndex, {}) as IDataObject;
			const timeZone = platformTimeZoneOf(context, options, itemIndex);
			const filename = String(context.getNodeParameter('recordFileName', itemIndex, '') ?? '').trim();
			if (!context.getNodeParameter('download', itemIndex, false)) {
				const link = await fetchRecordingLink(send, filename, timeZone);
				if ('missing' in link) {
					if (options.skipMissing !== true) throw missingError(context, link.missing, itemIndex);
					continue;
				}
				output.push({ json: { recordfilename: filename, downloadUrl: link.downloadUrl, expiresAt: link.expiresAt }, pairedItem: { item: itemIndex } });
				continue;
			}
			const property = String(context.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
			const downloaded = await downloadRecording(context, send, apiUrl, filename, timeZone);
			if ('missing' in downloaded) {
				if (options.skipMissing !== true) throw missingError(context, downloaded.missing, itemIndex);
				continue;
			}
			const { link, audio, mimeType } = downloaded;
			const fileName = filename.split('/').pop() || filename;
			output.push({
				json: { recordfilename: filename, downloadUrl: link.downloadUrl, expiresAt: link.expiresAt, fileSize: audio.length },
				binary: { [property]: await context.helpers.prepareBinaryData(audio, fileName, mimeType) },
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			output.push(errorItem(context, error, itemIndex));
		}
	}
	return [output];
}

function missingError(context: IExecuteFunctions, message: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, {
		itemIndex,
		description: 'Only answered calls the platform recorded have a recording. Turn on "Skip Records Without Recording" to leave such items out.',
	});
}
