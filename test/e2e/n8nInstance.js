'use strict';
/**
 * A real n8n for end-to-end runs: a temporary user folder with this package unpacked where n8n
 * puts community packages, n8n started headless on loopback, the owner and an API key created
 * through n8n's REST API. Used by the e2e tests and by `npm run demo`.
 */
const { spawn, execFileSync } = require('node:child_process');
const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { request } = require('undici');

const { ensureN8n, N8N_VERSION } = require('./n8nInstall');
const { packTarball } = require('../package/packTarball');

const PACKAGE_NAME = 'n8n-nodes-sipcall';
const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Sipcall-demo-1' };

const DISABLED_MODULES =
	'mcp-registry,insights,agents,agent-evals,chat-hub,instance-ai,workflow-builder,mcp,quick-connect,breaking-changes,instance-registry,instance-version-history,favorites,redaction';

function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolvePort(port));
		});
	});
}

/** Packs the built package as npm would publish it and unpacks it where n8n installs community packages. */
function installPackageInto(userFolder) {
	const packDir = mkdtempSync(join(tmpdir(), 'sipcall-pack-'));
	const tarball = packTarball(packDir);
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(target, { recursive: true });
	execFileSync('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
	writeFileSync(
		join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: 'file' } }),
	);
	rmSync(packDir, { recursive: true, force: true });
}

async function http(method, url, { body, headers = {} } = {}) {
	const response = await request(url, {
		method,
		headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		headersTimeout: 120000,
		bodyTimeout: 120000,
	});
	const text = await response.body.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.statusCode, headers: response.headers, text, json };
}

/** Copies a package folder (benchmarks' helpers) beside this one, as another installed community package. */
function installExtraPackage(userFolder, { name, dir }) {
	const target = join(userFolder, '.n8n', 'nodes', 'node_modules', name);
	mkdirSync(target, { recursive: true });
	execFileSync('cp', ['-r', `${dir}/.`, target]);
}

/** A fresh user folder with this package (and any extra ones) installed as community packages. */
function prepareUserFolder(extraPackages = []) {
	const userFolder = mkdtempSync(join(tmpdir(), 'sipcall-n8n-user-'));
	installPackageInto(userFolder);
	for (const extra of extraPackages) installExtraPackage(userFolder, extra);
	return userFolder;
}

/** What every n8n process of a test run shares: headless, quiet, on loopback. */
function n8nEnv({ installed, userFolder, port, brokerPort, baseUrl }) {
	return {
		...installed.env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'sipcall-e2e-encryption-key',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		N8N_WEBHOOK_URL: `${baseUrl}/`,
		N8N_RUNNERS_MODE: 'external',
		N8N_RUNNERS_AUTH_TOKEN: 'sipcall-e2e-runners',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// n8n 1.x refuses module names it does not know.
		N8N_DISABLED_MODULES: installed.version.startsWith('1.') ? '' : DISABLED_MODULES,
		N8N_LOG_LEVEL: 'warn',
		// Jest sets NODE_ENV=test, under which n8n exits at start without a word.
		NODE_ENV: 'production',
		GENERIC_TIMEZONE: 'Asia/Shanghai',
		DB_SQLITE_POOL_SIZE: '2',
	};
}

/** Starts one n8n process (`start`, `worker` or `webhook`) and waits until `readyUrl` answers 200. */
async function spawnN8n({ installed, command = 'start', args = [], env, readyUrl, logs, log = () => {} }) {
	const child = spawn(installed.nodeBin, [installed.n8nBin, command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const keep = (chunk) => {
		const text = chunk.toString();
		logs.push(text);
		if (logs.length > 400) logs.shift();
		log(text);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const started = Date.now();
	while (Date.now() - started < 180000) {
		if (child.exitCode !== null) {
			throw new Error(`n8n ${command} exited with code ${child.exitCode}:\n${logs.join('').slice(-4000)}`);
		}
		try {
			const ready = await http('GET', readyUrl);
			if (ready.status === 200) return child;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	child.kill('SIGKILL');
	throw new Error(`n8n ${command} did not become ready in 180 s:\n${logs.join('').slice(-4000)}`);
}

/** Asks a child process to end (SIGTERM, or the signal given), and kills it if it has not within 15 s. */
async function stopProcess(child, signal = 'SIGTERM') {
	// A process killed by a signal has exitCode null and signalCode set: it is gone all the same.
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((r) => child.once('exit', r));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
	await exited;
	clearTimeout(timer);
}

/** Creates the owner through n8n's REST API and an API key for its public API. */
async function setUpOwner(instance) {
	// n8n 1.x reports ready a moment before its REST routes answer.
	let setup = await http('POST', `${instance.baseUrl}/rest/owner/setup`, { body: OWNER });
	for (let tries = 0; setup.status === 404 && tries < 60; tries++) {
		await new Promise((r) => setTimeout(r, 500));
		setup = await http('POST', `${instance.baseUrl}/rest/owner/setup`, { body: OWNER });
	}
	if (setup.status !== 200) throw new Error(`n8n owner setup failed: ${setup.status} ${setup.text.slice(0, 300)}`);
	instance.cookie = String(setup.headers['set-cookie'] ?? '').split(';')[0];
	const scopes = await instance.api('GET', '/rest/api-keys/scopes');
	const key = await instance.api('POST', '/rest/api-keys', { label: 'sipcall-e2e', scopes: scopes.json.data, expiresAt: null });
	if (key.status !== 200) throw new Error(`n8n API key creation failed: ${key.status} ${key.text.slice(0, 300)}`);
	instance.apiKey = key.json.data.rawApiKey;
}

async function startN8n({ version = N8N_VERSION, env = {}, log = () => {}, extraPackages = [] } = {}) {
	const installed = await ensureN8n(version);
	const userFolder = prepareUserFolder(extraPackages);
	const port = await freePort();
	const brokerPort = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const processEnv = { ...n8nEnv({ installed, userFolder, port, brokerPort, baseUrl }), ...env };
	const instance = {
		version: installed.version,
		baseUrl,
		port,
		userFolder,
		owner: OWNER,
		logs: [],
		child: undefined,
		cookie: '',
		apiKey: '',
	};

	instance.startProcess = async () => {
		instance.child = await spawnN8n({ installed, env: processEnv, readyUrl: `${baseUrl}/healthz/readiness`, logs: instance.logs, log });
	};
	instance.stopProcess = async () => await stopProcess(instance.child);
	instance.restart = async () => {
		await instance.stopProcess();
		await instance.startProcess();
		await instance.logIn();
	};
	instance.logIn = async () => {
		const body = { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password };
		let answer = await http('POST', `${baseUrl}/rest/login`, { body });
		for (let tries = 0; answer.status === 404 && tries < 60; tries++) {
			await new Promise((r) => setTimeout(r, 500));
			answer = await http('POST', `${baseUrl}/rest/login`, { body });
		}
		if (answer.status !== 200) throw new Error(`n8n login failed: ${answer.status} ${answer.text.slice(0, 300)}`);
		instance.cookie = String(answer.headers['set-cookie'] ?? '').split(';')[0];
	};
	/** Calls n8n's internal REST API (/rest) as the owner, or its public API (/api/v1) with the API key. */
	instance.api = async (method, path, body) => {
		const headers = path.startsWith('/api/') ? { 'X-N8N-API-KEY': instance.apiKey } : { cookie: instance.cookie };
		return await http(method, `${baseUrl}${path}`, { body, headers });
	};
	instance.stop = async () => {
		await instance.stopProcess();
		rmSync(userFolder, { recursive: true, force: true });
	};

	await instance.startProcess();
	await setUpOwner(instance);
	return instance;
}

module.exports = { startN8n, http, freePort, prepareUserFolder, n8nEnv, spawnN8n, stopProcess, setUpOwner, PACKAGE_NAME, OWNER };
