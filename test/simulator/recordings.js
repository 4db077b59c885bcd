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
			return { downurl: `${baseUrl}/recordings/${token}/${encodeURIComponent(filename)}`, expiredtime: expirationText(expiresAtMs) };
		},
		/** GET /recordings/<token>/<name>: the audio while the link lives, 403 after. */
		serve(pathname, res) {
			const token = pathname.split('/')[2] ?? '';
			const link = links.get(token);
			const outcome = !link ? 404 : link.expiresAtMs <= Date.now() ? 403 : 200;
			downloads.push({ at: Date.now(), token, filename: link?.filename, status: outcome });
			if (outcome !== 200) {
				res.writeHead(outcome, { 'content-type': 'text/plain' }).end(outcome === 403 ? 'link expired' : 'no such link');
				return;
			}
			const audio = silentMp3(link.filename);
			res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) }).end(audio);
		},
		downloads,
		setNextLinkLifetimes(lifetimesMs) {
			nextLifetimesMs.splice(0, nextLifetimesMs.length, ...lifetimesMs);
		},
	};
}

module.exports = { createRecordingStore, silentMp3, expirationText };
