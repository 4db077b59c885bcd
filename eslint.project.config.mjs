// The house's own lint, run by `npm run lint` after `n8n-node lint` (eslint.config.mjs, n8n's default
// config, which strict mode requires unchanged): the import-boundaries rule, no-console everywhere,
// typescript-eslint's recommended rules for the tests, simulator and bench (test/), and n8n's
// package rules as the community package scanner configures them, on the TypeScript and on the
// nodes' codex JSON (n8n's default config lints package.json only).
import { defineConfig, globalIgnores } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

import { importBoundaries } from './eslint/importBoundaries.mjs';

const nodeGlobals = Object.fromEntries(
	['require', 'module', 'exports', 'process', 'console', 'Buffer', '__dirname', '__filename', 'URL', 'URLSearchParams',
		'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'fetch', 'AbortController', 'TextDecoder', 'TextEncoder', 'structuredClone']
		.map((name) => [name, 'readonly']),
);

export default defineConfig(
	globalIgnores(['dist/**', 'node_modules/**', 'coverage/**', 'package-lock.json', 'examples/**', 'docs/**', 'test-results/**']),
	{
		files: ['**/*.ts', 'package.json', '{nodes,credentials}/**/*.json'],
		languageOptions: { parser: tsParser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { house: { rules: { 'import-boundaries': importBoundaries } } },
		rules: { 'house/import-boundaries': 'error' },
	},
	{ files: ['**/*.ts', 'package.json', '{nodes,credentials}/**/*.json'], ignores: ['test/**'], extends: [n8nCommunityNodesPlugin.configs.recommended] },
	{ rules: { 'no-console': 'error' } },
	{
		files: ['test/**/*.{ts,js,mjs}', 'eslint/**/*.mjs', '*.{js,mjs}'],
		extends: [tseslint.configs.recommended],
		languageOptions: { globals: nodeGlobals },
	},
	{
		// The real-n8n tests and the bench read n8n's REST API answers (untyped JSON) through CommonJS helpers.
		files: ['test/e2e/**/*.ts', 'test/bench/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	{
		files: ['test/**/*.js', '*.js'],
		languageOptions: { sourceType: 'commonjs' },
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
