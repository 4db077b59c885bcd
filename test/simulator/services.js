'use strict';
/**
 * The platform's services as the document and the vendor's context describe them, answering in
 * PhalApi's envelope: ret 400 for a missing or bad field, 600 for a bad or expired token, 604 for
 * an IP that is not allowed, ret 200 with data.status 1 (and data.errors.code) for a business refusal.
 *
 * Refusal codes are the vendor's (vendor-api.md's code table: 1002 a parameter the platform
 * rejects, 1003 operation failed, 1029 file does not exist) where the vendor has one. Where it
 * documents none, the code is the simulator's own, chosen outside the vendor's table: 1004 (userid
 * not KEY@GROUP), 1006 (destination number on the simulator's block list), and the load refusals
 * 9011/9012 (platformSimulator.js). The vendor documents no code for a wrong App ID or Access Key
 * either: the simulator answers 1001, which the vendor's table uses for "cannot reach the call server".
 */
const { randomBytes } = require('node:crypto');

const TOKEN_LIFETIME_MS = 12 * 3600 * 1000;
const REQUIRED_PLAY_VOICE_FIELDS = ['destnumber', 'voicetype', 'voicefile', 'chengshudu', 'userid'];

const seconds = () => Math.floor(Date.now() / 1000);
const ok = (data) => ({ ret: 200, data, msg: '' });
const fail = (ret, msg) => ({ ret, data: {}, msg });
const refuse = (code, desc) => ({
	ret: 200,
	data: { status: 1, desc, errors: { code }, reqtime: seconds(), rsptime: seconds() },
	msg: '',
});

function login(state, fields) {
	for (const name of ['appid', 'accesskey']) {
		if (!fields[name]) return fail(400, `非法请求：缺少必要参数${name}`);
	}
	const app = state.apps.find((candidate) => candidate.appid === fields.appid);
	if (!app || app.accesskey !== fields.accesskey) {
		return refuse(1001, 'appid或accesskey错误');
	}
	const token = randomBytes(16).toString('hex');
	state.tokens.set(token, { expiresAt: Date.now() + TOKEN_LIFETIME_MS, appid: app.appid });
	return ok({
		status: 0,
		desc: '授权成功',
		result: {
			companycode: String(state.company.companycode),
			companyname: app.companyname || 'simulated company',
			token,
			authtime: new Date().toISOString().slice(0, 19).replace('T', ' '),
			authmodel: '',
		},
		reqtime: seconds(),
		rsptime: seconds(),
	});
}

function checkToken(state, fields) {
	const token = fields.token;
	if (!token) return fail(400, '非法请求：缺少必要参数token');
	const known = state.tokens.get(token);
	if (!known || known.expiresAt <= Date.now()) return fail(600, 'token无效或已过期，请重新获取');
	return null;
}

function playVoice(state, fields) {
	for (const name of REQUIRED_PLAY_VOICE_FIELDS) {
		if (fields[name] === undefined || fields[name] === '') return fail(400, `非法请求：缺少必要参数${name}`);
	}
	if (!/^[12]$/.test(fields.voicetype)) return fail(400, '非法请求：voicetype只能为1或2');
	if (!/^\+?\d{3,24}$/.test(fields.destnumber)) return refuse(1002, '目标号码格式错误');
	if (fields.disnumber && !/^\+?\d{3,24}$/.test(fields.disnumber)) return refuse(1003, '主叫号码格式错误');
	if (state.blockedPrefixes.some((prefix) => fields.destnumber.startsWith(prefix))) {
		return refuse(1006, '目标号码在黑名单中'); // the simulator's own code: the vendor documents no block list
	}
	// The simulator's own code: the vendor documents none for a malformed userid.
	if (!/^[^@]+@[^@]+$/.test(fields.userid)) return refuse(1004, 'userid格式错误，示例：1@extGroup-1');
	if (fields.voicetype === '1' && !state.offlineVoiceFiles.includes(fields.voicefile)) {
		return refuse(1029, `离线语音文件不存在：${fields.voicefile}`); // the vendor's 1029: file does not exist
	}
	const overload = state.checkCapacity();
	if (overload) return refuse(overload.code, overload.desc);
	const reqtime = seconds();
	state.placeCall(fields);
	return ok({ status: 0, desc: '播放命令发送成功', reqtime, rsptime: seconds() });
}

function getRecordingFile(state, fields) {
	if (!fields.filename) return fail(400, '非法请求：缺少必要参数filename');
	if (!state.recordings.has(fields.filename)) return refuse(1029, '录音文件不存在');
	return ok({ status: 0, desc: '获取成功', result: state.recordings.link(fields.filename, state.baseUrl), reqtime: seconds(), rsptime: seconds() });
}

function getBill(state, fields) {
	const answer = state.callRecords.getBill(fields);
	if (answer.error) return fail(400, `非法请求：${answer.error}`);
	return ok({ status: 0, desc: '获取成功', result: answer.result, reqtime: seconds(), rsptime: seconds() });
}

const SERVICES = {
	'App.Sip_Auth.Login': { needsToken: false, handle: login },
	'App.Sip_Call.PlayVoice': { needsToken: true, handle: playVoice },
	'App.Sip_Cdr.GetRecodeFile': { needsToken: true, handle: getRecordingFile },
	'App.Sip_Cdr.GetBill': { needsToken: true, handle: getBill },
};

function answerRequest(state, fields, remoteAddress) {
	if (state.allowedIps && !state.allowedIps.includes(remoteAddress)) {
		return fail(604, `IP未授权：${remoteAddress}`);
	}
	const name = fields.service || fields.s;
	const service = SERVICES[name];
	if (!service) return fail(400, `非法请求：接口服务${name || ''}不存在`);
	if (service.needsToken) {
		const refusal = checkToken(state, fields);
		if (refusal) return refusal;
	}
	return service.handle(state, fields);
}

module.exports = { answerRequest, SERVICES };
