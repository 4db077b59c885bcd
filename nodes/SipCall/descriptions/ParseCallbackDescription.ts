import type { INodeProperties } from 'n8n-workflow';

import * as callbackFields from '../../shared/callbacks/callbackDescription';

const showForParse = { resource: ['callback'], operation: ['parse'] };

export const callbackOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callback'] } },
		options: [
			{
				name: 'Parse',
				value: 'parse',
				description:
					'Turn a callback body received by n8n\'s Webhook node into the same items the SIP Call Trigger emits',
				action: 'Parse a platform callback',
			},
		],
		default: 'parse',
	},
];

export const parseCallbackFields: INodeProperties[] = [
	{
		displayName:
			'For high callback volumes on an n8n with default settings: receive the platform\'s callbacks with n8n\'s own Webhook node and put this operation right after it. With N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true the SIP Call Trigger is faster.',
		name: 'parseNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForParse },
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '={{ $json.body }}',
		displayOptions: { show: showForParse },
		description:
			'The callback body: a JSON object, an array of them, or JSON text. The default expression reads the "body" field of the incoming item, where n8n\'s Webhook node puts it.',
	},
	...callbackFields.callbackRoutingFields({ show: showForParse }),
	{
		displayName: 'Options',
		name: 'parseOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showForParse },
		options: [
			callbackFields.dropDuplicatesOption(
				'Whether to leave out an identical copy of an event already parsed by this node (every field the same, in any order; the same CDR ID with any field different is not a duplicate), using n8n\'s own deduplication store',
			),
			callbackFields.duplicateWindowOption,
			callbackFields.itemFormatOption,
			callbackFields.timeZoneOption,
			callbackFields.unknownPayloadsOption({ name: 'Fail the Item', value: 'fail' }, 'payload'),
		],
	},
];
