import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { checkToken, logIn, CREDENTIAL_CHECK_RECORDING, TOKEN_CHECK_SERVICE, withTokenInForm } from '../nodes/shared/platform/platformAuth';
import { credentialIcon } from '../nodes/shared/icons/sipCallIcon';

export class SipCallApi implements ICredentialType {
	name = 'sipCallApi';

	displayName = 'SIP Call API';

	icon: Icon = credentialIcon;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-sipcall#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: '',
			placeholder: 'http://203.0.113.10:8080',
			required: true,
			description:
				'Address of the platform\'s API, as the vendor gave it to you. The platform only answers servers whose IP it allows: ask the vendor to add the public IP of your n8n server.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Token',
					value: 'token',
					description: 'A token you already have from the platform',
				},
				{
					name: 'App ID + Access Key',
					value: 'appIdAccessKey',
					description: 'n8n logs in (App.Sip_Auth.Login) and renews the 12-hour token by itself',
				},
			],
			default: 'token',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['token'] } },
			description: 'The token sent as the "token" form field of every request',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['appIdAccessKey'] } },
			description: 'The "appid" the platform vendor issued to your company',
		},
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['appIdAccessKey'] } },
			description: 'The "accesskey" that belongs to the App ID',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Runs before a request when the session token is empty and on every credential test: logs in
	 * with App ID + Access Key, or checks a fixed token with a read-only request. The platform's own
	 * message reaches the user when it refuses.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication === 'appIdAccessKey') {
			return { sessionToken: await logIn(this.helpers, credentials) };
		}
		await checkToken(this.helpers, credentials);
		return { sessionToken: String(credentials.token ?? '') };
	}

	/** The platform takes the token as a form field, not a header. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return withTokenInForm(requestOptions, credentials);
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiUrl}}',
			url: '',
			method: 'POST',
			headers: { 'Content-Type': 'multipart/form-data' },
			body: { service: TOKEN_CHECK_SERVICE, filename: CREDENTIAL_CHECK_RECORDING },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'ret', value: 600, message: 'The token is invalid or has expired (ret 600)' },
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'ret',
					value: 604,
					message: 'The platform does not allow this n8n server\'s IP address (ret 604): ask the vendor to add it',
				},
			},
		],
	};
}
