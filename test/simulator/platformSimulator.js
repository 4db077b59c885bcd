'use strict';
/**
 * A stand-in for the SIP call-center platform, over real HTTP, for tests, benchmarks and users'
 * sandboxes. It records every request and callback, injects faults on request, and plays each
 * accepted call through to its callbacks at a chosen speed (simulated seconds per real second).
 * With `keepRecords: false` (benchmarks) it keeps counters only (`counts()`), so that its memory
 * and time per request do not grow with the number of requests.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const { behaviourForNumber, DEFAULT_TIMING } = require('./calleeScripts');
const { planCall, localTime } = require('./callLifecycle');
const { deliverCallback } = require('./callbackSender');
const { readFields } = require('./requestBody');
const { answerRequest } = require('./services');
const { createCallRecordStore, completeCallRecord } = require('./callRecords');
const { createRecordingStore } = require('./recordings');
const { createRequestCounts } = require('./requestCounts');

const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	tokens: ['ABCDEFG'],
	apps: [{ appid: 'demo-app', accesskey: 'demo-access-key', companyname: 'Demo Co' }],
	allowedIps: null,
	offlineVoiceFiles: ['welcome.wav', 'menu.wav', 'notice.mp3', 'test.mp3'],
	blockedPrefixes: ['000'],
	statusUrl: null,
	cdrUrl: null,
	speed: 1,
	timing: DEFAULT_TIMING,
	callbackRetries: 3,
	callbackRetryDelayMs: 200,
	duplicateDelivery: 0,
	// n8n unreachable: callbacks are recorded but never sent. The records stay pullable with GetBill.
	dropCallbacks: false,
	// How long after a call ends the platform writes its record (GetBill sees it then).
	recordDelayMs: 0,
	recordingLinkSeconds: 300,
	company: { companycode: '2028', ip: '149.129.249.47' },
	callerNumbers: ['2120280001', '2120280002'],
	// The account's limits (0 = none): over them a call is refused with 9011 (too fast) or 9012 (too many at once).
	// The vendor publishes no such codes (its 1011/1012 are extension errors): these are the simulator's own, out of its range.
	maxCallsPerSecond: 0,
	maxConcurrentCalls: 0,
	// A platform that stores customuuid cut to this many characters (0 = whole). The vendor documents
	// no maximum; its newest example is 32 characters long.
	customuuidMaxLength: 0,
	// false: keep counters only (requests per service, calls, connections), no record of each
	// request, call, connection or callback. Calls are answered but not played through (no
	// callbacks, no call records), so the options and methods that need records are refused.
	keepRecords: true,
	// A real call center's account: other systems' and agents' outbound calls' records in every
	// window (`otherRecords` dialed in the last minutes, then `otherRecordsPerSecond` more as time
	// goes on), each GetBill page taking `pageDelayMs`, and GetBill refused (ret 500) past
	// `getBillPerMinute` requests in any minute. The vendor documents no rate limit: this is a stand-in.
	busyAccount: { otherRecords: 0, otherRecordsPerSecond: 0, pageDelayMs: 0, getBillPerMinute: 0 },
};

const TOO_FAST = { code: 9011, desc: '呼叫频率过快，请稍后再试' };
const TOO_MANY = { code: 9012, desc: '并发呼叫数超过限制' };

async function startSimulator(options = {}) {
	const config = { ...DEFAULTS, ...options, company: { ...DEFAULTS.company, ...options.company }, busyAccount: { ...DEFAULTS.busyAccount, ...options.busyAccount } };
	const record = { requests: [], calls: [], callbacks: [], connections: [] };
	const counts = createRequestCounts();
	const keepRecords = config.keepRecords !== false;
	if (!keepRecords && (config.statusUrl || config.cdrUrl || config.maxCallsPerSecond || config.maxConcurrentCalls)) {
		throw new Error('keepRecords: false keeps counters only: callback URLs and call limits need records; leave them out or keep records.');
	}
	/** Refuses what reads the records when none are kept, rather than answering from empty ones. */
	function needsRecords(what) {
		if (!keepRecords) throw new Error(`${what} reads the simulator's records, and this one keeps counters only (keepRecords: false): use counts().`);
	}
	const faults = [];
	const scripts = new Map();
	function scriptedBehaviour(destnumber) {
		const script = scripts.get(destnumber);
		if (!Array.isArray(script)) return script;
		const earlierCalls = record.calls.filter((call) => call.destnumber === destnumber).length;
		return script[Math.min(earlierCalls, script.length - 1)];
	}
	const timers = new Set();
	const deliveries = new Set();
	let nextCdrId = 220739;

	const state = {
		apps: config.apps,
		company: config.company,
		offlineVoiceFiles: config.offlineVoiceFiles,
		blockedPrefixes: config.blockedPrefixes,
		allowedIps: config.allowedIps,
		tokens: new Map(config.tokens.map((token) => [token, { expiresAt: Number.POSITIVE_INFINITY }])),
		recordings: createRecordingStore({ linkLifetimeMs: config.recordingLinkSeconds * 1000 }),
		callRecords: createCallRecordStore(),
		baseUrl: '',
		placeCall,
		checkCapacity,
	};

	function checkCapacity() {
		const now = Date.now();
		if (config.maxCallsPerSecond > 0) {
			const lastSecond = record.calls.filter((call) => call.startedAtMs > now - 1000).length;
			if (lastSecond >= config.maxCallsPerSecond) return TOO_FAST;
		}
		if (config.maxConcurrentCalls > 0) {
			const active = record.calls.filter((call) => call.endsAtMs > now).length;
			if (active >= config.maxConcurrentCalls) return TOO_MANY;
		}
		return undefined;
	}

	function placeCall(fields) {
		counts.call();
		if (!keepRecords) return undefined;
		const call = {
			uuid: randomUUID(),
			destnumber: fields.destnumber,
			voicetype: Number(fields.voicetype),
			voicefile: fields.voicefile,
			chengshudu: fields.chengshudu,
			userid: fields.userid,
			disnumber: fields.disnumber || config.callerNumbers[record.calls.length % config.callerNumbers.length],
			customuuid: config.customuuidMaxLength > 0 ? (fields.customuuid || '').slice(0, config.customuuidMaxLength) : fields.customuuid || '',
			startedAtMs: Date.now(),
			behaviour: scriptedBehaviour(fields.destnumber) || behaviourForNumber(fields.destnumber),
		};
		call.events = planCall({
			call,
			behaviour: call.behaviour,
			timing: config.timing,
			company: config.company,
			agentExtensions: (group) => [`${config.company.companycode}${String(hash(group) % 9000 + 1000)}`],
			cdrId: nextCdrId++,
		});
		call.endsAtMs = call.startedAtMs + (call.events.at(-1).at * 1000) / config.speed;
		record.calls.push(call);
		scheduleCallbacks(call);
		return call;
	}

	function scheduleCallbacks(call) {
		let chain = Promise.resolve();
		for (const event of call.events) {
			const dueAt = call.startedAtMs + (event.at * 1000) / config.speed;
			if (event.kind === 'cdr' && !event.noRecord) {
				state.recordings.add(event.body.recordfilename);
				state.callRecords.add(event.body, dueAt + config.recordDelayMs);
			}
			const url = event.kind === 'cdr' ? config.cdrUrl : config.statusUrl;
			if (!url || event.notSent) continue;
			chain = chain.then(() => waitUntil(dueAt)).then(() => {
				const callback = { kind: event.kind, url, body: event.body, attempts: [], delivered: 0, callUuid: call.uuid };
				record.callbacks.push(callback);
				if (config.dropCallbacks) {
					callback.dropped = true;
					return undefined;
				}
				return deliverCallback(callback, {
					retries: config.callbackRetries,
					retryDelayMs: config.callbackRetryDelayMs,
					duplicates: config.duplicateDelivery,
				});
			});
		}
		deliveries.add(chain);
		chain.finally(() => deliveries.delete(chain));
	}

	function waitUntil(epochMs) {
		const delay = Math.max(0, epochMs - Date.now());
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, delay);
			timers.add(timer);
		});
	}

	function takeFault(service) {
		const index = faults.findIndex((fault) => !fault.service || fault.service === service);
		if (index < 0) return undefined;
		const fault = faults[index];
		fault.times -= 1;
		if (fault.times <= 0) faults.splice(index, 1);
		return fault;
	}

	const getBillTimes = [];
	function busyAccountRefuses(arrivedAt) {
		const limit = config.busyAccount.getBillPerMinute;
		if (!limit) return false;
		while (getBillTimes.length && getBillTimes[0] <= arrivedAt - 60_000) getBillTimes.shift();
		if (getBillTimes.length >= limit) return true;
		getBillTimes.push(arrivedAt);
		return false;
	}

	/** Other calls' records: outbound API calls to other numbers, with Custom Data of other systems. */
	function addOtherRecords(count, dialedBeforeMs) {
		for (let i = 0; i < count; i++) {
			const dialedAt = Date.now() - Math.floor(Math.random() * dialedBeforeMs);
			const cdr = completeCallRecord(
				{ starttime: localTime(dialedAt), endtime: localTime(dialedAt + 30_000), destnumber: `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, customuuid: `crm-${nextCdrId}`, callmethod: 3, hangupcause: 10005 },
				nextCdrId++,
				config,
			);
			state.callRecords.add(cdr);
		}
	}
	if (config.busyAccount.otherRecords) addOtherRecords(config.busyAccount.otherRecords, 120_000);
	if (config.busyAccount.otherRecordsPerSecond) {
		const every = setInterval(() => addOtherRecords(config.busyAccount.otherRecordsPerSecond, 30_000), 1000);
		every.unref();
		timers.add(every);
	}

	async function handle(req, res) {
		// When the request arrived, before its body is read: what a platform's rate limit counts.
		const arrivedAt = Date.now();
		const url = new URL(req.url, 'http://simulator');
		if (req.method === 'GET' && url.pathname.startsWith('/recordings/')) return state.recordings.serve(url.pathname, res, req);
		if (req.method !== 'POST') {
			res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ ret: 405, data: {}, msg: 'POST only' }));
			return;
		}
		const { fields, contentType } = await readFields(req, url);
		const remoteAddress = String(req.socket.remoteAddress || '').replace(/^::ffff:/, '');
		const entry = { at: arrivedAt, service: fields.service || fields.s || '', fields, contentType, remoteAddress };
		counts.request(entry.service);
		if (keepRecords) record.requests.push(entry);

		if (entry.service === 'App.Sip_Cdr.GetBill' && busyAccountRefuses(arrivedAt)) {
			entry.fault = 'rateLimit';
			res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ret: 500, data: {}, msg: '请求过于频繁，请稍后再试' }));
			return;
		}
		if (entry.service === 'App.Sip_Cdr.GetBill' && config.busyAccount.pageDelayMs) await waitUntil(Date.now() + config.busyAccount.pageDelayMs);
		const fault = takeFault(entry.service);
		entry.fault = fault ? fault.kind : undefined;
		if (fault && fault.delayMs) await waitUntil(Date.now() + fault.delayMs);
		if (fault && fault.kind !== 'latency') {
			// A fault either stands in for the platform's work (placesCall false) or follows it.
			if (fault.placesCall) entry.answer = answerRequest(state, fields, remoteAddress);
			return sendFault(fault, res, req);
		}
		const answer = answerRequest(state, fields, remoteAddress);
		entry.answer = answer;
		res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
	}

	function sendFault(fault, res, req) {
		if (fault.kind === 'ret') {
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ret: fault.ret, data: {}, msg: fault.msg || '' }));
		} else if (fault.kind === 'reset') {
			req.socket.destroy();
		} else if (fault.kind === 'status') {
			res.writeHead(fault.status || 502, { 'content-type': 'text/html' }).end(fault.body || '<html>Bad Gateway</html>');
		} else if (fault.kind === 'nonJson') {
			res.writeHead(200, { 'content-type': 'text/html' }).end(fault.body || '<html><body>Welcome</body></html>');
		} else if (fault.kind === 'hang') {
			// Never answers: the client's timeout decides.
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ret: 500, data: {}, msg: String(error && error.message) }));
		});
	});
	const sockets = new Set();
	server.on('connection', (socket) => {
		sockets.add(socket);
		counts.connectionOpened();
		const connection = { at: Date.now(), closedAt: undefined };
		if (keepRecords) record.connections.push(connection);
		socket.on('close', () => {
			sockets.delete(socket);
			counts.connectionClosed();
			connection.closedAt = Date.now();
		});
	});
	await new Promise((resolve) => server.listen(config.port, config.host, resolve));
	const { port } = server.address();
	const baseUrl = `http://${config.host}:${port}`;
	state.baseUrl = baseUrl;

	return {
		url: baseUrl,
		port,
		record,
		config,
		/** Requests per service, calls placed, connections accepted and the most open at once (since `resetMostConnectionsOpen`). */
		counts: () => counts.snapshot(),
		resetMostConnectionsOpen: () => counts.resetMostOpen(),
		/** Queues a fault for the next matching request(s): kind latency | status | reset | nonJson | ret | hang. */
		injectFault(fault) {
			faults.push({ times: 1, placesCall: fault.kind === 'latency', ...fault });
		},
		/** Faults injected and not yet used up are dropped. */
		clearFaults() {
			faults.length = 0;
		},
		/** How the callee at this number behaves; a list: on its first call, its second, … (the last one from then on). */
		scriptCallee(destnumber, behaviour) {
			needsRecords('scriptCallee');
			scripts.set(String(destnumber), behaviour);
		},
		expireToken(token) {
			const known = state.tokens.get(token);
			if (known) known.expiresAt = 0;
		},
		issuedTokens() {
			return [...state.tokens.keys()];
		},
		setAllowedIps(ips) {
			state.allowedIps = ips;
		},
		/** While on, callbacks are recorded (`dropped: true`) but never sent: n8n cannot be reached. */
		/** Records of calls placed from now on become readable this long after their call ends. */
		setRecordDelayMs(delayMs) {
			config.recordDelayMs = delayMs;
		},
		setDropCallbacks(drop) {
			config.dropCallbacks = Boolean(drop);
		},
		/** Records the platform holds of calls placed elsewhere (another system, before the test). */
		addCallRecords(records, { visibleAtMs } = {}) {
			for (const partial of records) {
				const cdr = completeCallRecord(partial, nextCdrId++, config);
				state.recordings.add(cdr.recordfilename);
				state.callRecords.add(cdr, visibleAtMs);
			}
		},
		callRecords: () => state.callRecords.all(),
		/** The records GetBill answers with now (written, and past their record delay). */
		visibleCallRecords: () => state.callRecords.visible(),
		recordingDownloads: () => state.recordings.downloads,
		/** The next recording links live these many ms each (0: expired at once), then the default again. */
		expireNextRecordingLinks(lifetimesMs) {
			state.recordings.setNextLinkLifetimes(lifetimesMs);
		},
		/** The next GetRecodeFile answers give these links as `downurl` (any text: a data: or file: URL, another host). */
		giveNextRecordingLinks(downurls) {
			state.recordings.setNextDownurls(downurls);
		},
		/** The next recording downloads are this many bytes longer, with or without a Content-Length. */
		oversizeNextRecordings(shapes) {
			state.recordings.setNextShapes(shapes);
		},
		setCallbackUrls({ statusUrl, cdrUrl }) {
			needsRecords('setCallbackUrls');
			if (statusUrl !== undefined) config.statusUrl = statusUrl;
			if (cdrUrl !== undefined) config.cdrUrl = cdrUrl;
		},
		requestsFor(service) {
			needsRecords('requestsFor');
			return record.requests.filter((entry) => entry.service === service);
		},
		/** Resolves with the requests of a service once there are `count` of them (throws after `timeoutMs`). */
		async requestsArrived(service, count, timeoutMs = 30000) {
			needsRecords('requestsArrived');
			const started = Date.now();
			while (record.requests.filter((entry) => entry.service === service).length < count) {
				if (Date.now() - started > timeoutMs) throw new Error(`${count} ${service} requests did not arrive within ${timeoutMs} ms`);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			return record.requests.filter((entry) => entry.service === service);
		},
		/** How many calls were placed to a number (and customuuid, when given): the duplicate-call check. */
		callsTo(destnumber, customuuid) {
			needsRecords('callsTo');
			return record.calls.filter(
				(call) => call.destnumber === destnumber && (customuuid === undefined || call.customuuid === customuuid),
			).length;
		},
		/** Resolves when every scheduled callback has been delivered (or has given up). */
		async settled() {
			while (deliveries.size) await Promise.allSettled([...deliveries]);
		},
		async stop() {
			for (const timer of timers) clearInterval(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

function hash(text) {
	let value = 0;
	for (const char of String(text)) value = (value * 31 + char.codePointAt(0)) >>> 0;
	return value;
}

module.exports = { startSimulator, DEFAULTS };
