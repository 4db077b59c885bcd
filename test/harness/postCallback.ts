import { request } from 'undici';

import { CALLBACK_EVENTS } from '../../nodes/shared/callbacks/classifyCallback';

/** Every event the trigger can emit, as a user ticks them all. */
export const ALL_EVENTS = [...CALLBACK_EVENTS];

/** Posts a callback as the platform (or an attacker) would, and returns the answer. */
export async function postCallback(
	url: string,
	body: string | object,
	{ contentType = 'application/json', headers = {} }: { contentType?: string; headers?: Record<string, string> } = {},
) {
	const response = await request(url, {
		method: 'POST',
		body: typeof body === 'string' ? body : JSON.stringify(body),
		headers: { 'content-type': contentType, ...headers },
	});
	const text = await response.body.text();
	let json: Record<string, unknown> | undefined;
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		json = undefined;
	}
	return { status: response.statusCode, text, json, headers: response.headers };
}

/** The document's own examples. */
export const DOCUMENT_STATUS_CALLBACK = {
	buuid: 'f4ffad68-4a0f-11ea-812d-fbc8753285b6',
	callee: '85322888486',
	caller: '20280003',
	companycode: '2028',
	direction: 'callout',
	disnumber: '2120280001',
	extnumber: '20280003',
	isbleg: 'true',
	method: '2',
	starttime: '1581124302',
	status: 'ring',
	uuid: 'f4ee8e7a-4a0f-11ea-8126-fbc8753285b6',
	ip: '149.129.249.47',
};

export const DOCUMENT_CDR = {
	answertime: '2020-02-09 12:32:51',
	hangupcause: 10001,
	duration: 13,
	id: 220739,
	extnumber: '',
	uuid: '3418035c-4af5-11ea-afb2-fbc8753285b6',
	downloadip: '149.129.249.47',
	customuuid: '110001168',
	chengshudu: '0',
	callmethod: 6,
	recordfilename: '1111.mp3',
	companycode: 9017,
	memberid: '0',
	hangupdirection: 10040,
	billsec: 10,
	endtime: '2020-02-09 12:33:01',
	starttime: '2020-02-09 12:32:38',
	type: 'callout',
	disnumber: '2190170001',
	crmid: '0',
	userkey: '',
	destnumber: '85781218893',
};
