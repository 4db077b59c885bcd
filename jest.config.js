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
};
