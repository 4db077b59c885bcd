#!/usr/bin/env node
'use strict';
/* eslint-disable no-console -- a command-line tool prints */
const { parseArgs } = require('node:util');

const { startSimulator } = require('./platformSimulator');

const { values } = parseArgs({
	options: {
		port: { type: 'string', default: '8080' },
		host: { type: 'string', default: '127.0.0.1' },
		'status-url': { type: 'string' },
		'cdr-url': { type: 'string' },
		speed: { type: 'string', default: '1' },
		token: { type: 'string', multiple: true },
		'allowed-ip': { type: 'string', multiple: true },
		'duplicate-delivery': { type: 'string', default: '0' },
		'drop-callbacks': { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h' },
	},
});

if (values.help) {
	console.log(`Usage: npm run simulator -- [--port 8080] [--status-url URL] [--cdr-url URL] [--speed 1]
       [--token ABCDEFG ...] [--allowed-ip 127.0.0.1 ...] [--duplicate-delivery 0] [--drop-callbacks]
--drop-callbacks: send no callbacks at all (n8n unreachable); records stay pullable with App.Sip_Cdr.GetBill.
Callee behaviour by the destination number's last digit: 0 no answer, 9 busy, 8 answers and presses
nothing, 7 hangs up during playback, any other digit d answers and presses d.
Login: appid demo-app, accesskey demo-access-key. Offline voice files: welcome.wav menu.wav notice.mp3 test.mp3.`);
	process.exit(0);
}

startSimulator({
	port: Number(values.port),
	host: values.host,
	statusUrl: values['status-url'] || null,
	cdrUrl: values['cdr-url'] || null,
	speed: Number(values.speed),
	tokens: values.token && values.token.length ? values.token : undefined,
	allowedIps: values['allowed-ip'] && values['allowed-ip'].length ? values['allowed-ip'] : null,
	duplicateDelivery: Number(values['duplicate-delivery']),
	dropCallbacks: values['drop-callbacks'],
}).then((simulator) => {
	console.log(`Platform simulator listening at ${simulator.url}`);
	console.log(`Token: ${simulator.config.tokens.join(', ')} | App ID: demo-app | Access Key: demo-access-key`);
	const stop = () => simulator.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	let logged = 0;
	setInterval(() => {
		for (const entry of simulator.record.requests.slice(logged)) {
			console.log(`${new Date(entry.at).toISOString()} ${entry.service} ${entry.fields.destnumber || ''} -> ret ${entry.answer ? entry.answer.ret : '-'}`);
		}
		logged = simulator.record.requests.length;
	}, 500).unref();
});
