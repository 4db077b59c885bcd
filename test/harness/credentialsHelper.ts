/**
 * Credentials for in-process runs, behaving as n8n's own CredentialsHelper does for this package:
 * the type's authenticate() applied to each request, and preAuthentication() run when the
 * expirable field is empty or the credential is being tested, with its result stored back.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { credentialTypes } from './packageTypes';

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every update n8n would write to its database, for tests to look at. */
	readonly updates: ICredentialDataDecryptedObject[] = [];

	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions) {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	) {
		const type = credentialTypes[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!type?.preAuthentication || !expirable) return undefined;
		const testing = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const update = output as ICredentialDataDecryptedObject;
		Object.assign(credentials, update);
		Object.assign(this.store[typeName], update);
		this.updates.push({ ...update });
		return credentials;
	}

	async runPreAuthentication(helpers: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, typeName: string) {
		const type = credentialTypes[typeName];
		if (!type?.preAuthentication) return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Not used by this package');
	}

	async getDecrypted(_additionalData: unknown, _details: INodeCredentialsDetails, type: string) {
		const stored = this.store[type];
		if (!stored) throw new Error(`No credentials of type ${type} in this test`);
		return { ...stored };
	}

	async updateCredentials(_details: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		Object.assign(this.store[type], data);
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}
