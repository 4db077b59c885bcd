'use strict';
/** Debian's Chromium driven by playwright-core, started as this machine needs it (no sandbox, no background network). */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Installs Debian's Chromium when it is missing and this user may (root with apt); otherwise says how. */
function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!isRoot || !existsSync('/usr/bin/apt-get')) {
		throw new Error(`Chromium is needed for the editor tests and is not at ${CHROMIUM}: install it (sudo apt-get install chromium) or set CHROMIUM_PATH.`);
	}
	// eslint-disable-next-line no-console
	console.log('-> installing Debian\'s chromium for the editor tests (about a minute)');
	for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
	}
}

async function launchBrowser() {
	ensureChromium();
	return await chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-quic',
			'--no-first-run',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

/** A page logged in to n8n as the owner, through n8n's own login form. */
async function openLoggedIn(browser, n8n) {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.getByLabel(/email/i).fill(n8n.owner.email);
	await page.getByLabel(/password/i).fill(n8n.owner.password);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30000 });
	return page;
}

module.exports = { launchBrowser, openLoggedIn, ensureChromium, CHROMIUM };
