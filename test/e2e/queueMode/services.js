'use strict';
/* eslint-disable no-console -- progress while Debian packages install */
/**
 * Debian's redis-server and PostgreSQL, installed when missing and started on loopback by the
 * test run itself, each in a temporary folder, each stopped (and its folder removed) by stop().
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, rmSync, chmodSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { createConnection } = require('node:net');

const { stopProcess } = require('../n8nInstance');

function ensureDebianPackages() {
	const missing = [];
	if (!existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (!missing.length) return;
	console.log(`-> installing Debian packages: ${missing.join(', ')} (about a minute)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status}): run as root, or install ${missing.join(' and ')} yourself`);
	}
}

function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base).filter((name) => existsSync(join(base, name, 'bin', 'postgres'))).sort();
	return versions.length ? join(base, versions.at(-1), 'bin') : undefined;
}

async function waitForPort(port, label, child, timeoutMs = 30000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode}`);
		const open = await new Promise((resolve) => {
			const socket = createConnection({ port, host: '127.0.0.1' }, () => {
				socket.end();
				resolve(true);
			});
			socket.on('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${label} did not open port ${port} in ${timeoutMs / 1000} s`);
}

async function startRedis(port) {
	const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: 'ignore',
	});
	await waitForPort(port, 'redis-server', child);
	return { port, stop: async () => await stopProcess(child) };
}

/** A throwaway PostgreSQL cluster run as the postgres user (PostgreSQL refuses to run as root). */
async function startPostgres(port, { database = 'n8n', user = 'n8n', password = 'n8n' } = {}) {
	const bin = postgresBinDir();
	const dir = mkdtempSync(join(tmpdir(), 'sipcall-pg-'));
	chmodSync(dir, 0o777);
	const dataDir = join(dir, 'data');
	// Run as the postgres user directly (not through runuser), so a signal reaches the server itself.
	const asPostgres = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
	execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync'], { stdio: 'ignore', cwd: dir, ...asPostgres });
	const child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'max_connections=200'], {
		stdio: 'ignore',
		cwd: dir,
		...asPostgres,
	});
	await waitForPort(port, 'postgres', child);
	const psql = (sql) => execFileSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
	psql(`CREATE USER ${user} WITH PASSWORD '${password}'`);
	psql(`CREATE DATABASE ${database} OWNER ${user}`);
	return {
		port,
		database,
		user,
		password,
		stop: async () => {
			// SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to leave.
			await stopProcess(child, 'SIGINT');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureDebianPackages, startRedis, startPostgres };
