/**
 * The n8n installer the demo and the end-to-end tests use. `npm run …` exports every npm setting
 * (the project's ignore-scripts=true among them) to its children: the installer's own npm must not
 * inherit them, and an install whose native modules do not load must never pass its check.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const installer = require('../e2e/n8nInstall');

/** The variables `npm run demo` really gives its child, read from npm itself. */
function environmentUnderNpmRun(): Record<string, string> {
	const answer = spawnSync('npm', ['exec', '--', 'node', '-e', 'process.stdout.write(JSON.stringify(process.env))'], {
		cwd: join(__dirname, '../..'),
		encoding: 'utf8',
	});
	return JSON.parse(answer.stdout);
}

describe('the installer runs npm with an environment of its own', () => {
	const underNpmRun = environmentUnderNpmRun();

	test('npm run really passes the project .npmrc ignore-scripts=true to children', () => {
		expect(underNpmRun.npm_config_ignore_scripts).toBe('true');
	});

	test('nothing npm adds reaches the installer\'s npm: no npm_config_*, lifecycle or package variables', () => {
		const env = installer.node24Env('/opt/node24/bin', underNpmRun);
		const leaked = Object.keys(env).filter((name) => /^npm_/i.test(name) && !['npm_config_nodedir', 'npm_config_update_notifier'].includes(name));
		expect(leaked).toEqual([]);
		expect(env.npm_config_nodedir).toBe('/opt/node24');
		expect(env.PATH.split(':')[0]).toBe('/opt/node24/bin');
		expect(env.HOME).toBe(underNpmRun.HOME);
	});
});

describe('the install check', () => {
	let tree: string;
	beforeEach(() => {
		tree = mkdtempSync(join(tmpdir(), 'sipcall-install-check-'));
	});
	afterEach(() => rmSync(tree, { recursive: true, force: true }));

	test('an install without n8n fails the check', () => {
		expect(installer.checkNativeModules(tree, process.execPath, process.env)).toMatch(/n8n is not installed/);
	});

	test('an n8n whose sqlite3 is missing (a build that never ran) fails the check and says so', () => {
		mkdirSync(join(tree, 'node_modules', 'n8n'), { recursive: true });
		writeFileSync(join(tree, 'node_modules', 'n8n', 'package.json'), '{"name":"n8n","version":"2.41.1"}');
		expect(installer.checkNativeModules(tree, process.execPath, process.env)).toMatch(/^sqlite3 does not load: Cannot find module 'sqlite3'/);
	});
});

describe('one install of a version at a time (the 1.x install runs in the background while the 2.x tests run)', () => {
	test('a second installer waits for the first, and never runs beside it', async () => {
		const dir = join(mkdtempSync(join(tmpdir(), 'sipcall-lock-')), 'n8n-0.0.0');
		const events: string[] = [];
		const install = (name: string, ms: number) =>
			installer.withInstallLock(dir, async () => {
				events.push(`${name} starts`);
				await new Promise((resolve) => setTimeout(resolve, ms));
				events.push(`${name} ends`);
			});
		await Promise.all([install('first', 300), install('second', 10)]);
		expect(events).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
		rmSync(join(dir, '..'), { recursive: true, force: true });
	});

	test('a lock left by a process that died is taken over', async () => {
		const dir = join(mkdtempSync(join(tmpdir(), 'sipcall-lock-')), 'n8n-0.0.0');
		const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
		writeFileSync(`${dir}.lock`, dead);
		expect(await installer.withInstallLock(dir, async () => 'installed')).toBe('installed');
		rmSync(join(dir, '..'), { recursive: true, force: true });
	});
});
