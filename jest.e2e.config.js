/** End-to-end tests: a real n8n (installed on first run into a cache folder) and a real browser. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 120000,
	// One n8n at a time: the machine has two cores.
	maxWorkers: 1,
	forceExit: true,
};
