'use strict';
/**
 * Delivers callbacks as the platform does: a JSON POST to the back-office address, retried on a
 * non-2xx answer or a network error, optionally delivered more than once (at-least-once).
 */
const { request } = require('undici');

async function deliverCallback(callback, { retries, retryDelayMs, duplicates, timeoutMs = 5000 }) {
	const payload = JSON.stringify(callback.body);
	const copies = 1 + duplicates;
	for (let copy = 0; copy < copies; copy++) {
		for (let attempt = 0; attempt <= retries; attempt++) {
			const outcome = await postOnce(callback.url, payload, timeoutMs);
			callback.attempts.push(outcome);
			if (outcome.status >= 200 && outcome.status < 300) {
				callback.delivered += 1;
				break;
			}
			if (attempt < retries) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * (attempt + 1)));
		}
	}
}

/** One POST; the outcome carries how long the answer took (`ms`), refused or not. */
async function postOnce(url, payload, timeoutMs) {
	const started = process.hrtime.bigint();
	const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
	try {
		const response = await request(url, {
			method: 'POST',
			body: payload,
			headers: { 'content-type': 'application/json' },
			headersTimeout: timeoutMs,
			bodyTimeout: timeoutMs,
		});
		const text = await response.body.text();
		return { status: response.statusCode, body: text.slice(0, 500), ms: ms() };
	} catch (error) {
		return { status: 0, error: error.code || error.message, ms: ms() };
	}
}

module.exports = { deliverCallback };
