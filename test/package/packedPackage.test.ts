/**
 * The tarball n8n installs: what it contains, that it declares no runtime dependency, and that
 * n8n's community package scanner rules pass on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
let unpacked: string;

beforeAll(() => {
	const target = mkdtempSync(join(tmpdir(), 'sipcall-pack-'));
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', target], { cwd: root, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('['))) as Array<{ filename: string }>;
	execFileSync('tar', ['xzf', join(target, filename), '-C', target]);
	unpacked = join(target, 'package');
}, 60000);

test('has no runtime dependencies and only n8n-workflow as a peer', () => {
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[script]).toBeUndefined();
});

test('ships every file the n8n section lists, with icons and codex beside the nodes', () => {
	const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
	const listed = [...manifest.n8n.nodes, ...manifest.n8n.credentials] as string[];
	for (const file of listed) expect(existsSync(join(unpacked, file))).toBe(true);
	for (const asset of ['dist/nodes/shared/icons/sipCall.svg', 'dist/nodes/shared/icons/sipCall.dark.svg', 'dist/nodes/SipCall/SipCall.node.json']) {
		expect(existsSync(join(unpacked, asset))).toBe(true);
	}
	// Every icon a node or credential points to (file: paths are relative to its own file) ships.
	for (const file of listed) {
		const icons = [...readFileSync(join(unpacked, file), 'utf8').matchAll(/'file:([^']+\.svg)'/g)].map((match) => match[1]);
		expect(icons).toHaveLength(2);
		for (const icon of icons) expect(existsSync(join(unpacked, dirname(file), icon))).toBe(true);
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
