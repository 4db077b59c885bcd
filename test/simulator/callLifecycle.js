'use strict';
/**
 * Turns one accepted call and its callee's behaviour into the callbacks the platform sends:
 * extension-status events (every value a string, as the document's example) when the keypress
 * puts the call through to an extension group, then the CDR (mixed numbers and strings, as the
 * document's example). Returns them with the simulated second at which each is sent.
 */
const { randomUUID } = require('node:crypto');

const { DEFAULT_TIMING } = require('./calleeScripts');

// After the vendor's tables (vendor-api.md): causes 10001 normal clearing, 10006 busy, 10016 no answer;
// directions 10040 caller (the platform's side) hung up, 10041 callee hung up.
const HANGUP = {
	normal: { cause: 10001, calleeHungUp: 10041, systemHungUp: 10040 },
	busy: 10006,
	noAnswer: 10016,
};

function planCall({ call, behaviour, timing = DEFAULT_TIMING, company, agentExtensions, cdrId }) {
	const t = { ...DEFAULT_TIMING, ...timing };
	const events = [];
	const [transferKey, group] = splitUserId(call.userid);
	let answeredAt = null;
	let endAt;
	let userkey = '';
	let extnumber = '';
	let hangupdirection = HANGUP.normal.systemHungUp;
	let hangupcause = HANGUP.normal.cause;

	if (behaviour.busy) {
		endAt = t.busySeconds;
		hangupcause = HANGUP.busy;
	} else if (!behaviour.answers) {
		endAt = t.noAnswerTimeoutSeconds;
		hangupcause = HANGUP.noAnswer;
	} else {
		answeredAt = t.ringSeconds;
		if (behaviour.hangsUpDuringPlayback) {
			endAt = answeredAt + Math.max(1, Math.floor(t.playbackSeconds / 2));
			hangupdirection = HANGUP.normal.calleeHungUp;
		} else if (!behaviour.key) {
			endAt = answeredAt + t.playbackSeconds + t.silenceBeforeHangupSeconds;
		} else {
			userkey = behaviour.key;
			const keyAt = answeredAt + t.playbackSeconds + t.keyAfterPlaybackSeconds;
			if (behaviour.key === transferKey && group) {
				extnumber = agentExtensions(group)[0];
				const leg = {
					buuid: randomUUID(),
					callee: call.destnumber,
					caller: extnumber,
					companycode: String(company.companycode),
					direction: 'callout',
					disnumber: call.disnumber,
					extnumber,
					isbleg: 'true',
					method: '3',
					starttime: String(Math.floor(call.startedAtMs / 1000) + keyAt),
					uuid: call.uuid,
					ip: company.ip,
				};
				const agentAnswerAt = keyAt + t.agentRingSeconds;
				endAt = agentAnswerAt + t.talkSeconds;
				events.push({ at: keyAt, kind: 'status', body: { ...leg, status: 'ring' } });
				events.push({ at: agentAnswerAt, kind: 'status', body: { ...leg, status: 'answer' } });
				events.push({ at: endAt, kind: 'status', body: { ...leg, status: 'hangup' } });
				hangupdirection = HANGUP.normal.calleeHungUp;
			} else {
				endAt = keyAt + 1;
			}
		}
	}

	const start = call.startedAtMs;
	const cdr = {
		answertime: answeredAt === null ? '' : localTime(start + answeredAt * 1000),
		hangupcause,
		duration: answeredAt === null ? endAt : answeredAt,
		id: cdrId,
		extnumber,
		uuid: call.uuid,
		downloadip: company.ip,
		customuuid: call.customuuid,
		chengshudu: call.chengshudu,
		callmethod: 6,
		recordfilename: answeredAt === null ? '' : `${call.uuid}.mp3`,
		companycode: Number(company.companycode),
		memberid: '0',
		hangupdirection,
		billsec: answeredAt === null ? 0 : endAt - answeredAt,
		endtime: localTime(start + endAt * 1000),
		starttime: localTime(start),
		type: 'callout',
		disnumber: call.disnumber,
		crmid: '0',
		userkey,
		destnumber: call.destnumber,
	};
	events.push({ at: endAt, kind: 'cdr', body: cdr, notSent: Boolean(behaviour.sendsNoCdr), noRecord: Boolean(behaviour.keepsNoRecord) });
	return events;
}

function splitUserId(userid) {
	const at = String(userid).indexOf('@');
	return at < 0 ? [String(userid), ''] : [userid.slice(0, at), userid.slice(at + 1)];
}

/** "YYYY-MM-DD HH:mm:ss" in China Standard Time, as the platform writes CDR times. */
function localTime(epochMs) {
	const cst = new Date(epochMs + 8 * 3600 * 1000);
	return cst.toISOString().slice(0, 19).replace('T', ' ');
}

module.exports = { planCall, splitUserId, localTime, HANGUP };
