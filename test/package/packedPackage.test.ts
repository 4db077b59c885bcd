/**
 * The tarball n8n installs: what it contains, that it declares no runtime dependency, and that
 * n8n's community package scanner (@n8n/scan-community-package, its own code: scanPackage.mjs
 * says what it runs and what only the published package can show) passes on it and its source.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packTarball } = require('./packTarball');

const root = resolve(__dirname, '../..');
let target: string;
let unpacked: string;

type IconHolder = { icon?: unknown; description?: { icon?: unknown } };

beforeAll(() => {
	target = mkdtempSync(join(tmpdir(), 'sipcall-pack-'));
	execFileSync('tar', ['xzf', packTarball(target), '-C', target]);
	unpacked = join(target, 'package');
}, 60000);

afterAll(() => rmSync(target, { recursive: true, force: true }));

test('has no runtime dependencies and only n8n-workflow as a peer', () => {
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script]).toBeUndefined();
});

test('ships every file the n8n section lists, with icons and codex beside the nodes', async () => {
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	const listed = [...manifest.n8n.nodes, ...manifest.n8n.credentials] as string[];
	for (const file of listed) expect(existsSync(join(unpacked, file))).toBe(true);
	for (const asset of ['dist/nodes/shared/icons/sipCall.svg', 'dist/nodes/shared/icons/sipCall.dark.svg', 'dist/nodes/SipCall/SipCall.node.json']) {
		expect(existsSync(join(unpacked, asset))).toBe(true);
	}
	// Every icon a node or credential points to (file: paths are relative to its own file) ships.
	for (const file of listed) {
		const exported = Object.values((await import(join(root, file))) as Record<string, new () => IconHolder>);
		const instance = new exported[0]();
		const icon = (instance.description?.icon ?? instance.icon) as { light: string; dark: string };
		for (const path of [icon.light, icon.dark]) {
			expect(path).toMatch(/^file:.+\.svg$/);
			expect(existsSync(join(unpacked, dirname(file), path.slice('file:'.length)))).toBe(true);
		}
	}
	expect(existsSync(join(unpacked, 'test'))).toBe(false);
});

type ScanLeg = { passed: boolean; message?: string; details?: string };

/**
 * n8n's scanner on a source folder and an unpacked package, in the environment the scanner runs in:
 * not Jest's NODE_ENV=test, which switches eslint-plugin-n8n-nodes-base into its own test mode (it
 * then checks file names and package.json against its test fixtures). Its temporary folder goes in ours.
 */
function scan(sourceDir: string, packageDir: string): { source: ScanLeg; tarball: ScanLeg } {
	const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: target };
	delete env.NODE_ENV;
	const output = execFileSync('node', [join(__dirname, 'scanPackage.mjs'), sourceDir, packageDir], { cwd: root, encoding: 'utf8', env });
	return JSON.parse(output);
}

test("n8n's community package scanner passes the source and the tarball", () => {
	const { source, tarball } = scan(root, unpacked);
	// A leg that found no file to lint passes with a message; a passing leg here has none.
	expect(source).toEqual({ passed: true });
	expect(tarball).toEqual({ passed: true });
}, 120000);

test('the scanner fails a source and a tarball that break its rules (inline disables do not help)', () => {
	const source = join(target, 'planted-source');
	for (const part of ['package.json', 'nodes', 'credentials']) cpSync(join(root, part), join(source, part), { recursive: true });
	const packageDir = join(target, 'planted-package');
	cpSync(unpacked, packageDir, { recursive: true });
	appendFileSync(join(source, 'nodes/SipCall/SipCall.node.ts'), "\n// eslint-disable-next-line\nconsole.log('planted');\n");
	appendFileSync(join(packageDir, 'dist/nodes/SipCall/SipCall.node.js'), "\n// eslint-disable-next-line\nconsole.log('planted');\n");
	const { source: sourceLeg, tarball } = scan(source, packageDir);
	for (const leg of [sourceLeg, tarball]) {
		expect(leg).toMatchObject({ passed: false, message: 'ESLint violations found' });
		expect(leg.details).toMatch(/SipCall\.node\.[jt]s[\s\S]*no-console/);
	}
}, 120000);
