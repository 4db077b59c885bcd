// Runs n8n's community package scanner (@n8n/scan-community-package) on this package, offline.
//
// The scanner's command (`npx @n8n/scan-community-package NAME`) works on published packages only:
// it reads the package's metadata from the npm registry, fails unless the version was published
// with an npm provenance statement, downloads the source at the commit the provenance names and
// the tarball, then lints both with `analyzePackage`: the source with SOURCE_FILE_PATTERNS
// (package.json, nodes/ and credentials/), the tarball's compiled `.js` and package.json. This
// package is not published, so this script runs those two lint legs itself, with the scanner's
// own exported code, config and rule versions, on this checkout (the source) and on the unpacked
// `npm pack` tarball. The provenance check and the downloads are what it cannot do offline: the
// publish workflow (.github/workflows/publish.yml) provides the provenance, and docs/releasing.md
// runs the real command once the version is on the registry.
//
// Usage: node scanPackage.mjs SOURCE_DIR PACKAGE_DIR → { source, tarball } as JSON on stdout.
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const DIST_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** One leg, as the scanner runs it. `message` says why it did not pass, or that it found no file. */
async function leg(dir, patterns) {
	const { passed, message, details } = await analyzePackage(dir, patterns);
	return { passed, message, details };
}

const [sourceDir, packageDir] = process.argv.slice(2);
const source = await leg(sourceDir, SOURCE_FILE_PATTERNS);
const tarball = await leg(packageDir, DIST_FILE_PATTERNS);
process.stdout.write(JSON.stringify({ source, tarball }));
