import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { credentialIcon } from '../nodes/shared/icons/sipCallIcon';

/** A header the platform sends with each callback, checked by the SIP Call Trigger. */
export class SipCallCallbackHeaderAuthApi implements ICredentialType {
	name = 'sipCallCallbackHeaderAuthApi';

	displayName = 'SIP Call Callback Header Auth API';

	icon: Icon = credentialIcon;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-sipcall#sip-call-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Callback-Token',
			required: true,
		},
		{
			displayName: 'Header Value',
			name: 'headerValue',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret the platform must send in that header',
		},
	];
}
