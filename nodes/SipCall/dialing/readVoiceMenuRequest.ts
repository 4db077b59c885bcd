import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isPhoneKey } from '../../shared/phoneKeys';
import { cleanPhoneNumber } from './cleanPhoneNumber';
import { SettingProblem, settingError } from '../../shared/settingProblem';

/** The form fields of App.Sip_Call.PlayVoice, less service and token. */
export interface VoiceMenuRequest {
	destnumber: string;
	voicetype: '1' | '2';
	voicefile: string;
	chengshudu: string;
	userid: string;
	disnumber?: string;
	customuuid?: string;
}

const PHONE_NUMBER = /^\+?\d{3,24}$/;
const ONLINE_VOICE_URL = /^(?:https?:\/\/)?[^\s/?#@]+\.[^\s/?#@]+(?::\d+)?\/\S+$/i;
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\/|^www\.|\//i;

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/** The parameter that holds the number to call, and its name in the editor (for messages). */
export interface DestinationField {
	parameter: string;
	label: string;
}

const DESTINATION_NUMBER: DestinationField = { parameter: 'destinationNumber', label: 'Destination Number' };

/** Reads one item's parameters and checks them, so a bad row fails before anything is sent. */
export function readVoiceMenuRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	destination: DestinationField = DESTINATION_NUMBER,
): VoiceMenuRequest {
	const fail = (message: string, description: string): never => {
		throw settingError(context.getNode(), new SettingProblem(message, description), itemIndex);
	};
	const param = (name: string, fallback: unknown = '') => context.getNodeParameter(name, itemIndex, fallback);

	const given = text(param(destination.parameter));
	const cleanUp = (param('options', {}) as IDataObject).cleanUpNumbers === true;
	const destnumber = cleanUp ? (cleanPhoneNumber(given) ?? given) : given;
	if (!PHONE_NUMBER.test(destnumber)) {
		fail(
			given ? `${destination.label} "${given}" is not a phone number` : `${destination.label} is empty`,
			cleanUp
				? 'Clean Up Numbers could not make it a mainland mobile or landline number with certainty. Give digits only, optionally starting with +, for example 13333333333.'
				: 'Give digits only, optionally starting with +, for example 13333333333. Remove spaces, dashes and brackets, or turn on Options → Clean Up Numbers.',
		);
	}

	const voiceType = text(param('voiceType', 1));
	if (voiceType !== '1' && voiceType !== '2') {
		fail(
			`Voice Type "${voiceType}" is not valid`,
			'Choose Offline File on the Platform (1) or Online URL (2); an expression must give 1 or 2.',
		);
	}
	const voicefile = text(param('voiceFile'));
	if (!voicefile) {
		fail('Voice File is empty', 'Give the name of a voice file stored on the platform, or a URL when Voice Type is Online URL.');
	}
	if (voiceType === '2' && !ONLINE_VOICE_URL.test(voicefile)) {
		fail(
			`Voice File "${voicefile}" is not a URL, but Voice Type is Online URL`,
			'Give the address of the voice file, for example https://example.com/menu.mp3, or set Voice Type to Offline File on the Platform.',
		);
	}
	if (voiceType === '1' && LOOKS_LIKE_URL.test(voicefile)) {
		fail(
			`Voice File "${voicefile}" looks like a URL, but Voice Type is Offline File on the Platform`,
			'Set Voice Type to Online URL, or give only the name of a file stored on the platform, for example welcome.wav.',
		);
	}

	const chengshudu = text(param('chengshudu', '1'));
	if (!chengshudu) {
		fail('Chengshudu is empty', 'The platform requires it: use 1 unless your vendor told you otherwise.');
	}

	const request: VoiceMenuRequest = {
		destnumber,
		voicetype: voiceType as '1' | '2',
		voicefile,
		chengshudu,
		userid: readUserId(context, itemIndex, fail),
	};

	const additional = param('additionalFields', {}) as IDataObject;
	const disnumber = text(additional.callerNumber);
	if (disnumber) {
		if (!PHONE_NUMBER.test(disnumber)) {
			fail(
				`Caller Number "${disnumber}" is not a phone number`,
				'Give digits only, optionally starting with +, or leave Caller Number empty to let the platform pick one.',
			);
		}
		request.disnumber = disnumber;
	}
	const customuuid = text(additional.customData);
	if (customuuid) request.customuuid = customuuid;
	return request;
}

/** The fields that identify a row, read without checks: they go with an error item so it can be matched. */
export function readRowIdentity(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const read = (name: string, fallback: unknown) => {
		try {
			return context.getNodeParameter(name, itemIndex, fallback);
		} catch {
			return fallback;
		}
	};
	const additional = read('additionalFields', {}) as IDataObject;
	return {
		destnumber: text(read('destinationNumber', '')) || null,
		customuuid: text(additional.customData) || null,
	};
}

function readUserId(
	context: IExecuteFunctions,
	itemIndex: number,
	fail: (message: string, description: string) => never,
): string {
	const mode = context.getNodeParameter('transferMode', itemIndex, 'keyToGroup') as string;
	if (mode === 'rawUserId') {
		const userId = text(context.getNodeParameter('userId', itemIndex, ''));
		if (!userId) fail('User ID is empty', 'Give the "userid" value to send, for example 1@extGroup-1.');
		return userId;
	}
	const key = text(context.getNodeParameter('transferKey', itemIndex, '1'));
	if (!isPhoneKey(key)) {
		fail(`Transfer Key "${key}" is not a phone key`, 'Use one of 0–9, * or #.');
	}
	const group = text(context.getNodeParameter('extensionGroup', itemIndex, ''));
	if (!group || /[@\s]/.test(group)) {
		fail(
			group ? `Extension Group "${group}" contains "@" or a space` : 'Extension Group is empty',
			'Give the name of the extension group as set up on the platform, for example extGroup-1.',
		);
	}
	return `${key}@${group}`;
}
