import type { INodeProperties } from 'n8n-workflow';

import { PHONE_KEYS } from '../../shared/phoneKeys';

const showForPlayVoiceMenu = { resource: ['call'], operation: ['playVoiceMenu', 'playVoiceMenuAndWait'] };

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** What the call plays and where a keypress puts the callee through to: every Voice Menu call's fields but the number and the additional fields. */
export function voiceMenuFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Voice Type',
			name: 'voiceType',
			type: 'options',
			options: [
				{
					name: 'Offline File on the Platform',
					value: 1,
					description: 'A voice file already uploaded to the platform, given by its file name',
				},
				{
					name: 'Online URL',
					value: 2,
					description: 'A voice file the platform downloads from a URL',
				},
			],
			default: 1,
			displayOptions: { show },
			description: 'Where the voice played on answer comes from (platform field "voicetype": 1 offline file, 2 URL)',
		},
		{
			displayName: 'Voice File',
			name: 'voiceFile',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'welcome.wav',
			displayOptions: { show },
			description:
				'The file name of an offline voice file, or the URL of an online one, matching Voice Type (platform field "voicefile")',
		},
		{
			displayName: 'Transfer',
			name: 'transferMode',
			type: 'options',
			options: [
				{
					name: 'Key to Extension Group',
					value: 'keyToGroup',
					description: 'Pick the key and the extension group; the node sends them as KEY@GROUP',
				},
				{
					name: 'Raw User ID',
					value: 'rawUserId',
					description: 'Send your own "userid" value as it is, for forms the document does not show',
				},
			],
			default: 'keyToGroup',
			displayOptions: { show },
			description: 'What happens when the callee presses a key after the voice (platform field "userid")',
		},
		{
			displayName: 'Transfer Key',
			name: 'transferKey',
			type: 'options',
			options: PHONE_KEYS.map((key) => ({ name: key, value: key })),
			default: '1',
			displayOptions: { show: { ...show, transferMode: ['keyToGroup'] } },
			description: 'The key the callee presses to be put through to an agent (the part before @ in "userid")',
		},
		{
			displayName: 'Extension Group',
			name: 'extensionGroup',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'extGroup-1',
			displayOptions: { show: { ...show, transferMode: ['keyToGroup'] } },
			description: 'The name of the agents\' extension group, as set up on the platform (the part after @ in "userid")',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '1@extGroup-1',
			displayOptions: { show: { ...show, transferMode: ['rawUserId'] } },
			description: 'The platform field "userid", sent exactly as written',
		},
		{
			displayName: 'Chengshudu',
			name: 'chengshudu',
			type: 'string',
			required: true,
			default: '1',
			displayOptions: { show },
			description:
				'The platform field "chengshudu", required by the platform; the document gives only the value 1, and the call detail record echoes it back',
		},
	];
}

export const playVoiceMenuFields: INodeProperties[] = [
	{
		displayName:
			'Prefer <b>Options → Max Retries</b> to n8n\'s <b>Retry On Fail</b>, which runs the node again with all its input rows: rows it placed are not called again, but a row whose call may have gone out stops every try.',
		name: 'retryOnFailNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForPlayVoiceMenu },
	},
	{
		displayName: 'Destination Number',
		name: 'destinationNumber',
		type: 'string',
		required: true,
		default: '',
		placeholder: '13333333333',
		displayOptions: { show: showForPlayVoiceMenu },
		description:
			'The phone number to call (platform field "destnumber"). Digits only, optionally starting with +, as the platform dials it.',
	},
	...voiceMenuFields(showForPlayVoiceMenu),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showForPlayVoiceMenu },
		options: [
			{
				displayName: 'Caller Number',
				name: 'callerNumber',
				type: 'string',
				default: '',
				placeholder: '2120280001',
				description:
					'The number shown to the callee (platform field "disnumber"). Leave empty and the platform picks one of your numbers.',
			},
			{
				displayName: 'Custom Data',
				name: 'customData',
				type: 'string',
				default: '',
				placeholder: 'order-10086',
				description:
					'Your own reference, such as a CRM or row ID. Play Voice Menu sends it as the platform field "customuuid", which the call detail record returns unchanged, so you can match the result to this row (left empty, the node makes a unique one). Play Voice Menu and Wait for Result sends its own wait reference as customuuid instead, keeps this value in the execution, and puts it back on the row\'s result.',
			},
		],
	},
];
