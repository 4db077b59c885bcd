/**
 * The installer repairs a cache it cannot trust. The state an older installer left on users'
 * machines: n8n installed, sqlite3 never built, the cache marked complete. Run the installer the way
 * `npm run demo` runs it (npm's settings in the environment, ignore-scripts=true among them) and it
 * must notice, rebuild, and leave an n8n whose sqlite3 opens a database.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const installer = require('./n8nInstall');

test('a cache whose sqlite3 was never built is detected and repaired, even under npm run\'s settings', async () => {
	const installed = await installer.ensureN8n();
	const dir = join(installer.CACHE, `n8n-${installer.N8N_VERSION}`);
	expect(installer.checkNativeModules(dir, installed.nodeBin, installed.env)).toBeUndefined();

	const sqliteBuild = join(dir, 'node_modules', 'sqlite3', 'build');
	expect(existsSync(sqliteBuild)).toBe(true);
	rmSync(sqliteBuild, { recursive: true, force: true });
	expect(existsSync(join(dir, '.complete'))).toBe(true);
	expect(installer.checkNativeModules(dir, installed.nodeBin, installed.env)).toMatch(/^sqlite3 does not load/);

	const asUnderNpmRun = {
		...process.env,
		npm_config_ignore_scripts: 'true',
		npm_lifecycle_event: 'demo',
		npm_lifecycle_script: 'node test/e2e/demo.js',
		npm_package_name: 'n8n-nodes-sipcall',
	};
	const run = spawnSync(process.execPath, [join(__dirname, 'n8nInstall.js'), installer.N8N_VERSION], { env: asUnderNpmRun, encoding: 'utf8', timeout: 600000 });
	if (run.status !== 0) throw new Error(`the installer failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
	expect(run.stdout).toMatch(/fails its check \(sqlite3 does not load[^)]*\): repairing it/);
	expect(run.stdout).toMatch(/n8n 2\.41\.1 repaired/);
	expect(installer.checkNativeModules(dir, installed.nodeBin, installed.env)).toBeUndefined();
}, 900000);
