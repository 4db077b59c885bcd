#!/usr/bin/env node
'use strict';
/* eslint-disable no-console -- prints which benchmark runs */
/**
 * `npm run bench [-- --quick]`: each benchmark file in a Jest process of its own, so that one
 * file's heap, JIT and simulator records cannot weigh on the next one's figures. `--quick` runs
 * every table at small sizes and one round: a smoke run that proves the benchmarks work (CI runs
 * it), not a measurement. Benchmarks print; they assert correctness only, never a time.
 */
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const quick = process.argv.includes('--quick');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const files = readdirSync(__dirname)
	.filter((name) => name.endsWith('.bench.ts'))
	.filter((name) => !only.length || only.some((part) => name.includes(part)))
	.sort();
const jest = require.resolve('jest/bin/jest');
const failed = [];
for (const file of files) {
	console.log(`\n== ${file}${quick ? ' (quick)' : ''}`);
	const run = spawnSync(process.execPath, ['--expose-gc', jest, '-c', 'jest.bench.config.js', '--runInBand', '--verbose=false', join('test/bench', file)], {
		stdio: 'inherit',
		env: { ...process.env, ...(quick ? { SIPCALL_BENCH_QUICK: '1' } : {}) },
	});
	if (run.status !== 0) failed.push(file);
}
if (failed.length) {
	console.error(`\nBenchmarks that failed: ${failed.join(', ')}`);
	process.exit(1);
}
