/**
 * The tarball n8n installs: what it contains, that it declares no runtime dependency, and that
 * n8n's community package scanner rules pass on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packTarball } = require('./packTarball');

const root = resolve(__dirname, '../..');
let unpacked: string;

type IconHolder = { icon?: unknown; description?: { icon?: unknown } };

beforeAll(() => {
	const target = mkdtempSync(join(tmpdir(), 'sipcall-pack-'));
	execFileSync('tar', ['xzf', packTarball(target), '-C', target]);
	unpacked = join(target, 'package');
}, 60000);

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

test('passes the community package scanner rules with no errors', () => {
	const report = JSON.parse(
		execFileSync('node', [join(__dirname, 'lintPackedPackage.mjs'), unpacked], { cwd: root, encoding: 'utf8' }),
	) as { files: number; errors: string[] };
	expect(report.errors).toEqual([]);
	expect(report.files).toBeGreaterThan(5);
}, 60000);
