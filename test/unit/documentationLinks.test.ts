/** Every documentation link in the editor (node and credential help) lands on a heading of the README, which npm shows. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** GitHub's and npm's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

function filesUnder(folder: string): string[] {
	return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
		.filter((name) => /\.(ts|json)$/.test(name))
		.map((name) => join(root, folder, name));
}

test('the README has a heading for every documentation link of the nodes and credentials', () => {
	const anchors = new Set(
		readFileSync(join(root, 'README.md'), 'utf8')
			.split('\n')
			.filter((line) => /^#{1,4} /.test(line))
			.map((line) => anchorOf(line.replace(/^#+ /, ''))),
	);
	const links = [...filesUnder('nodes'), ...filesUnder('credentials')].flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/npmjs\.com\/package\/n8n-nodes-sipcall#([\w-]+)/g)].map((match) => ({ file, anchor: match[1] })),
	);
	expect(links.length).toBeGreaterThanOrEqual(6);
	expect(links.filter((link) => !anchors.has(link.anchor))).toEqual([]);
});

test("the CHANGELOG's newest version is the package's version, with its link", () => {
	const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
	const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
	const versions = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map((match) => match[1]);
	expect(versions[0]).toBe(version);
	expect(changelog).toContain(`[${version}]: `);
});
