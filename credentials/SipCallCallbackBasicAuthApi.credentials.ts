import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { credentialIcon } from '../nodes/shared/icons/sipCallIcon';

/** A user and password the platform puts in the callback URL, checked by the SIP Call Trigger. */
export class SipCallCallbackBasicAuthApi implements ICredentialType {
	name = 'sipCallCallbackBasicAuthApi';

	displayName = 'SIP Call Callback Basic Auth API';

	icon: Icon = credentialIcon;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-sipcall#sip-call-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];
}
