/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	setupFiles: ['<rootDir>/test/harness/setupEnvironment.ts'],
	testMatch: ['**/*.test.ts'],
	// The end-to-end tests have their own config (jest.e2e.config.js).
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	// n8n-core keeps handles (DI container, loggers) that outlive a test file.
	forceExit: true,
	// Most of these tests wait on timers and sockets (sweeps, callbacks, the simulator's calls), not
	// on the CPU: three files at a time on two cores halves the run (300 s → about 160 s).
	maxWorkers: 3,
};
