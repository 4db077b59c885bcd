'use strict';
/** Debian's Chromium driven by playwright-core, started as this machine needs it (no sandbox, no background network). */
const { existsSync } = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function chromiumAvailable() {
	return existsSync(CHROMIUM);
}

async function launchBrowser() {
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

module.exports = { launchBrowser, openLoggedIn, chromiumAvailable, CHROMIUM };
