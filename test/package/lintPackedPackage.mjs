// Lints a packed package as n8n's community package scanner does: its rules, on the built
// JavaScript and package.json inside the tarball, with inline eslint-disable comments ignored.
import { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const packageDir = process.argv[2];
const config = defineConfig(
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{ files: ['**/*.json', '**/*.js'], languageOptions: { parser: tsParser } },
);
const eslint = new ESLint({ cwd: packageDir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: config });
const results = await eslint.lintFiles(['**/*.js', 'package.json']);
const errors = results.flatMap((result) =>
	result.messages.filter((m) => m.severity === 2).map((m) => `${result.filePath}:${m.line} ${m.ruleId} ${m.message}`),
);
process.stdout.write(JSON.stringify({ files: results.length, errors }));
