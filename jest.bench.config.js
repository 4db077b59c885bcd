/** Benchmarks: `npm run bench`. They print tables of ratios measured side by side; they assert only correctness. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/bench'],
	testMatch: ['**/*.bench.ts'],
	setupFiles: ['<rootDir>/test/harness/setupEnvironment.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 900000,
	maxWorkers: 1,
	forceExit: true,
};
