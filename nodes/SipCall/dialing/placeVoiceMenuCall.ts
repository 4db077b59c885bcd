import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { assertAccepted } from '../../shared/platform/platformAnswer';
import { sendToPlatform, type PlatformContext, type SendOptions } from '../../shared/platform/sendToPlatform';
import { toZonedIso } from '../../shared/zonedTime';
import type { VoiceMenuRequest } from './readVoiceMenuRequest';

export const PLAY_VOICE_SERVICE = 'App.Sip_Call.PlayVoice';

/** Places one Voice Menu call and returns what the user sees: the answer plus the fields that identify the call. */
export async function placeVoiceMenuCall(
	context: PlatformContext,
	credentials: ICredentialDataDecryptedObject,
	request: VoiceMenuRequest,
	options: SendOptions,
): Promise<IDataObject> {
	const form: Record<string, string> = { service: PLAY_VOICE_SERVICE };
	for (const [field, value] of Object.entries(request)) {
		if (value !== undefined) form[field] = value;
	}
	const answer = await sendToPlatform(context, credentials, form, options);
	assertAccepted(answer);

	const timeZone = context.getTimezone();
	const reqtime = Number(answer.data.reqtime);
	const rsptime = Number(answer.data.rsptime);
	return {
		accepted: true,
		desc: String(answer.data.desc ?? ''),
		reqtime: Number.isFinite(reqtime) ? reqtime : null,
		rsptime: Number.isFinite(rsptime) ? rsptime : null,
		requestedAt: Number.isFinite(reqtime) ? toZonedIso(reqtime * 1000, timeZone) : null,
		respondedAt: Number.isFinite(rsptime) ? toZonedIso(rsptime * 1000, timeZone) : null,
		...describeRequest(request),
	};
}

/** The request fields a user needs to match this call to its callbacks; never the token. */
export function describeRequest(request: VoiceMenuRequest): IDataObject {
	const [transferKey, ...group] = request.userid.split('@');
	return {
		destnumber: request.destnumber,
		voicetype: Number(request.voicetype),
		voicefile: request.voicefile,
		chengshudu: request.chengshudu,
		userid: request.userid,
		transferKey: group.length ? transferKey : null,
		extensionGroup: group.length ? group.join('@') : null,
		disnumber: request.disnumber ?? null,
		customuuid: request.customuuid ?? null,
	};
}
