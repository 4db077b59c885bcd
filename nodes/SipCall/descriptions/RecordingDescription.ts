/** Recording → Get: a call's recording link (GetRecodeFile), and optionally the audio itself. */
import type { INodeProperties } from 'n8n-workflow';

import { timeZoneOption } from '../../shared/callbacks/callbackDescription';

const shownFor = { show: { resource: ['recording'], operation: ['get'] } };

export const recordingOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['recording'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a call recording\'s download link (kept about three months), or the audio as binary data',
				action: 'Get a recording',
			},
		],
		default: 'get',
	},
];

export const recordingFields: INodeProperties[] = [
	{
		displayName: 'Record File Name',
		name: 'recordFileName',
		type: 'string',
		default: '={{ $json.recordfilename }}',
		description: 'The recording\'s name: the recordfilename of a call record (from the trigger or Call Record → Get Many)',
		displayOptions: shownFor,
	},
	{
		displayName: 'Download Audio',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the recording as binary data (for Drive, S3, transcription); otherwise only its link, which expires within minutes. Only http: and https: links are followed, up to 100 MB, and without the platform credentials; a plain-HTTP download is as safe as the platform\'s link.',
		displayOptions: shownFor,
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: { show: { ...shownFor.show, download: [true] } },
	},
	{
		displayName: 'Options',
		name: 'recordingOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: shownFor,
		options: [
			{
				displayName: 'Skip Records Without Recording',
				name: 'skipMissing',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out, without an error, items whose call has no recording (an empty name, or one the platform does not keep)',
			},
			timeZoneOption,
		],
	},
];
