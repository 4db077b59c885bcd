'use strict';
/** Packs the built package as npm would publish it: used by the package test and by every real n8n the tests start. */
const { execFileSync } = require('node:child_process');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '../..');

/** Runs `npm pack` into the folder and returns the tarball's path. */
function packTarball(destination) {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: ROOT, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(output.slice(output.indexOf('[')));
	return join(destination, filename);
}

module.exports = { packTarball };
