import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSimulator } = require('../simulator/platformSimulator');

export type Simulator = Awaited<ReturnType<typeof startSimulator>>;

export async function withSimulator(options: Record<string, unknown> = {}): Promise<Simulator> {
	return await startSimulator(options);
}

export const TOKEN = 'ABCDEFG';
export const APP_ID = 'demo-app';
export const ACCESS_KEY = 'demo-access-key';

export function tokenCredentials(sim: Simulator, token = TOKEN): Record<string, ICredentialDataDecryptedObject> {
	return { sipCallApi: { apiUrl: sim.url, authentication: 'token', token, sessionToken: '' } };
}

export function appIdCredentials(sim: Simulator, accessKey = ACCESS_KEY): Record<string, ICredentialDataDecryptedObject> {
	return {
		sipCallApi: { apiUrl: sim.url, authentication: 'appIdAccessKey', appId: APP_ID, accessKey, sessionToken: '' },
	};
}

export function playVoiceMenu(overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'playVoiceMenu',
		destinationNumber: '13333333331',
		voiceType: 1,
		voiceFile: 'welcome.wav',
		transferMode: 'keyToGroup',
		transferKey: '1',
		extensionGroup: 'extGroup-1',
		chengshudu: '1',
		additionalFields: {},
		...overrides,
	};
}

export interface ReceivedRequest {
	fields: Record<string, string>;
	contentType: string;
	answer: { ret: number };
}

/** The requests of one service the simulator received, as it parsed them from the wire. */
export function requestsOf(sim: Simulator, service: string): ReceivedRequest[] {
	return sim.requestsFor(service);
}

export const playVoiceRequests = (sim: Simulator): ReceivedRequest[] => requestsOf(sim, 'App.Sip_Call.PlayVoice');
