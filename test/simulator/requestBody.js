'use strict';
/** Reads a platform request's fields as PHP's $_POST would: multipart/form-data or urlencoded, plus the query string. */
const { Response } = require('undici');

async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks);
}

async function readFields(req, url) {
	const raw = await readBody(req);
	const contentType = String(req.headers['content-type'] || '');
	const fields = Object.fromEntries(url.searchParams);
	if (contentType.startsWith('multipart/form-data')) {
		const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
		for (const [name, value] of form) fields[name] = typeof value === 'string' ? value : `[file ${value.name}]`;
	} else if (contentType.startsWith('application/x-www-form-urlencoded')) {
		Object.assign(fields, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
	}
	return { fields, contentType, size: raw.length };
}

module.exports = { readFields };
