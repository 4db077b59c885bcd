/** End-to-end tests: a real n8n (installed on first run into a cache folder) and a real browser. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 120000,
	// One n8n at a time by default: the machine has two cores. `npm run test:e2e` runs the files that
	// mostly wait (on wait limits, a calling window's opening) two at a time, then alone the CPU-heavy
	// ones (queue mode, the 1,000-row campaign) and the installer's repair test (it deletes the cached
	// n8n's sqlite3 build while it runs: an n8n started beside it fails to open its database).
	maxWorkers: 1,
	forceExit: true,
};
