'use strict';
/**
 * Call recordings and `App.Sip_Cdr.GetRecodeFile`: a download link that expires (five minutes by
 * default, as in the vendor's example), served by the simulator itself as real MP3 bytes: one
 * second of silent MPEG-1 Layer III frames behind an ID3 tag that names the recording, so a test
 * can tell whose recording it holds.
 */
const { randomBytes } = require('node:crypto');

const FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0xc0]); // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono
const FRAME_BYTES = 417;
const FRAMES_PER_SECOND = 38;

function id3Title(title) {
	const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')]);
	const frame = Buffer.alloc(10 + text.length);
	frame.write('TIT2', 0, 'latin1');
	frame.writeUInt32BE(text.length, 4);
	text.copy(frame, 10);
	const size = frame.length;
	const syncsafe = Buffer.from([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
	return Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([3, 0, 0]), syncsafe, frame]);
}

function silentMp3(title) {
	const frame = Buffer.alloc(FRAME_BYTES);
	FRAME_HEADER.copy(frame);
	return Buffer.concat([id3Title(title), ...Array.from({ length: FRAMES_PER_SECOND }, () => frame)]);
}

/**
 * The audio followed by `padding` more bytes, written as the client reads them (never held in
 * memory at once), with or without a Content-Length; stops when the client hangs up.
 */
function streamPadded(res, audio, padding, withLength) {
	const headers = { 'content-type': 'audio/mpeg' };
	if (withLength) headers['content-length'] = String(audio.length + padding);
	res.writeHead(200, headers);
	res.write(audio);
	const chunk = Buffer.alloc(64 * 1024);
	let left = padding;
	let closed = false;
	res.on('close', () => (closed = true));
	const pump = () => {
		while (left > 0 && !closed) {
			const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
			left -= part.length;
			if (!res.write(part)) {
				res.once('drain', pump);
				return;
			}
		}
		if (!closed) res.end();
	};
	pump();
}

/** "Expiration time:YYYY-MM-DD HH:mm:ss" in Beijing time, as the platform writes it. */
function expirationText(epochMs) {
	const beijing = new Date(epochMs + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
	return `Expiration time:${beijing}`;
}

function createRecordingStore({ linkLifetimeMs = 5 * 60 * 1000 } = {}) {
	const files = new Set();
	const links = new Map();
	const downloads = [];
	// Lifetimes (ms) for the next links, in order, before the default applies again: a test's way
	// to have a link expire between GetRecodeFile and the download.
	const nextLifetimesMs = [];
	// Links the next GetRecodeFile answers give instead of the simulator's own (a data: URL, say).
	const nextDownurls = [];
	// How the next downloads are served: { paddingBytes, withoutLength } makes a recording that
	// large (an oversized recording, announced by Content-Length or not).
	const nextShapes = [];

	return {
		add(filename) {
			if (filename) files.add(filename);
		},
		has: (filename) => files.has(filename),
		/** GetRecodeFile's result for a recording this platform keeps. */
		link(filename, baseUrl) {
			const token = randomBytes(12).toString('hex');
			const expiresAtMs = Date.now() + (nextLifetimesMs.length ? nextLifetimesMs.shift() : linkLifetimeMs);
			links.set(token, { filename, expiresAtMs });
			const downurl = nextDownurls.length ? nextDownurls.shift() : `${baseUrl}/recordings/${token}/${encodeURIComponent(filename)}`;
			return { downurl, expiredtime: expirationText(expiresAtMs) };
		},
		/** GET /recordings/<token>/<name>: the audio while the link lives, 403 after. */
		serve(pathname, res, req) {
			const token = pathname.split('/')[2] ?? '';
			const link = links.get(token);
			const outcome = !link ? 404 : link.expiresAtMs <= Date.now() ? 403 : 200;
			downloads.push({ at: Date.now(), token, filename: link?.filename, status: outcome, url: req?.url, headers: req?.headers });
			if (outcome !== 200) {
				res.writeHead(outcome, { 'content-type': 'text/plain' }).end(outcome === 403 ? 'link expired' : 'no such link');
				return;
			}
			const audio = silentMp3(link.filename);
			const shape = nextShapes.shift();
			if (shape) return streamPadded(res, audio, shape.paddingBytes ?? 0, !shape.withoutLength);
			res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) }).end(audio);
		},
		downloads,
		setNextLinkLifetimes(lifetimesMs) {
			nextLifetimesMs.splice(0, nextLifetimesMs.length, ...lifetimesMs);
		},
		setNextDownurls(downurls) {
			nextDownurls.splice(0, nextDownurls.length, ...downurls);
		},
		setNextShapes(shapes) {
			nextShapes.splice(0, nextShapes.length, ...shapes);
		},
	};
}

module.exports = { createRecordingStore, silentMp3, expirationText };
