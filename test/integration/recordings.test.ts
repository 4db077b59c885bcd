/**
 * Recording → Get against the simulator over real HTTP: the link and its expiry, the audio as n8n
 * binary data, an expired link renewed once, and calls without a recording.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { appIdCredentials, tokenCredentials, requestsOf, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

const LINK = 'App.Sip_Cdr.GetRecodeFile';
let sim: Simulator;
afterEach(async () => await sim?.stop());

const getRecording = (overrides: Record<string, unknown> = {}) => ({ resource: 'recording', operation: 'get', ...overrides });
const cdr = (recordfilename: string) => ({ json: { id: 1, recordfilename } });

async function simulatorWithRecordings() {
	sim = await withSimulator();
	sim.addCallRecords([{ recordfilename: '2028/20261120/rec-a.mp3' }, { recordfilename: '2028/20261120/rec-b.mp3' }]);
}

test('the link and its expiry, read from the item\'s recordfilename by default', async () => {
	await simulatorWithRecordings();
	const run = await runNode({ parameters: getRecording(), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(requestsOf(sim, LINK).map((request) => request.fields.filename)).toEqual(['2028/20261120/rec-a.mp3']);
	const [item] = run.items;
	expect(item.json.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/recordings\//);
	const minutes = (Date.parse(String(item.json.expiresAt)) - Date.now()) / 60000;
	expect(minutes).toBeGreaterThan(4);
	expect(minutes).toBeLessThanOrEqual(5);
	expect(String(item.json.expiresAt)).toMatch(/\+08:00$/);
	expect(item.binary).toBeUndefined();
});

test('with Download Audio the recording arrives as binary data in the chosen field', async () => {
	await simulatorWithRecordings();
	const run = await runNode({
		parameters: getRecording({ download: true, binaryPropertyName: 'audio' }),
		items: [cdr('2028/20261120/rec-a.mp3'), cdr('2028/20261120/rec-b.mp3')],
		credentials: tokenCredentials(sim),
	});
	expect(run.error).toBeUndefined();
	expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	for (const [index, name] of ['rec-a.mp3', 'rec-b.mp3'].entries()) {
		const binary = run.items[index].binary!.audio;
		expect(binary).toMatchObject({ mimeType: 'audio/mpeg', fileName: name });
		const bytes = Buffer.from(binary.data, 'base64');
		expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');
		expect(bytes.toString('latin1')).toContain(`2028/20261120/${name}`);
		expect(run.items[index].json.fileSize).toBe(bytes.length);
	}
	expect(sim.recordingDownloads().map((download: { status: number }) => download.status)).toEqual([200, 200]);
});

test('a link that expired before the download is fetched anew once; the item carries the fresh link', async () => {
	await simulatorWithRecordings();
	sim.expireNextRecordingLinks([0]);
	const run = await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim) });
	expect(run.error).toBeUndefined();
	expect(requestsOf(sim, LINK)).toHaveLength(2);
	const downloads = sim.recordingDownloads();
	expect(downloads.map((download: { status: number }) => download.status)).toEqual([403, 200]);
	expect(run.items[0].json.downloadUrl).toContain(downloads[1].token);
	expect(run.items[0].binary?.data.mimeType).toBe('audio/mpeg');
});

test('a link refused twice is an error, not a stale link', async () => {
	await simulatorWithRecordings();
	sim.expireNextRecordingLinks([0, 0]);
	const run = await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim), continueOnFail: true });
	expect(requestsOf(sim, LINK)).toHaveLength(2);
	expect(run.items[0].json).toMatchObject({ error: 'Downloading the recording "2028/20261120/rec-a.mp3" answered HTTP 403' });
	expect(run.items[0].json.downloadUrl).toBeUndefined();
});

test('no recording: a clear per-item error, or left out by option', async () => {
	await simulatorWithRecordings();
	const items = [cdr(''), cdr('2028/20261120/unknown.mp3'), cdr('2028/20261120/rec-b.mp3')];
	const failed = await runNode({ parameters: getRecording(), items, credentials: tokenCredentials(sim), continueOnFail: true });
	expect(failed.items.map((item) => [item.json.error ?? item.json.recordfilename, item.pairedItem])).toEqual([
		['This record has no recording: Record File Name is empty', { item: 0 }],
		['No recording "2028/20261120/unknown.mp3" on the platform. The platform refused the recording request (error code 1029: file does not exist): 录音文件不存在', { item: 1 }],
		['2028/20261120/rec-b.mp3', { item: 2 }],
	]);
	const stopped = await runNode({ parameters: getRecording(), items, credentials: tokenCredentials(sim) });
	expect(stopped.error?.message).toBe('This record has no recording: Record File Name is empty');
	const skipped = await runNode({ parameters: getRecording({ recordingOptions: { skipMissing: true } }), items, credentials: tokenCredentials(sim) });
	expect(skipped.items.map((item) => [item.json.recordfilename, item.pairedItem])).toEqual([['2028/20261120/rec-b.mp3', { item: 2 }]]);
});

describe('following the platform\'s link with care (#20, finding 4)', () => {
	const MB = 1024 * 1024;
	const download = async () =>
		await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim), continueOnFail: true });

	test.each([
		['data:', 'data:audio/mpeg;base64,SUQzAwAAAAAAAA=='],
		['file:', 'file:///etc/passwd'],
		['ftp:', 'ftp://127.0.0.1/rec-a.mp3'],
	])('a link with the %s scheme is neither followed nor handed on, and the error names its scheme', async (scheme, downurl) => {
		await simulatorWithRecordings();
		sim.giveNextRecordingLinks([downurl, downurl]);
		const downloaded = await download();
		expect(downloaded.items[0].json.error).toBe(
			`The platform's download link for the recording "2028/20261120/rec-a.mp3" is a "${scheme}" URL; only http: and https: links are followed`,
		);
		expect(downloaded.items[0].binary).toBeUndefined();
		const linkOnly = await runNode({ parameters: getRecording(), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim), continueOnFail: true });
		expect(linkOnly.items[0].json.error).toContain(`is a "${scheme}" URL`);
		expect(linkOnly.items[0].json.downloadUrl).toBeUndefined();
	});

	test('a link that is not a URL at all is refused in words', async () => {
		await simulatorWithRecordings();
		sim.giveNextRecordingLinks(['recordings/rec-a.mp3']);
		const run = await download();
		expect(run.items[0].json.error).toBe('The platform\'s download link for the recording "2028/20261120/rec-a.mp3" is not a valid URL');
	});

	test('a recording whose Content-Length is over the 100 MB cap is refused before its body is read', async () => {
		await simulatorWithRecordings();
		sim.oversizeNextRecordings([{ paddingBytes: 150 * MB }]);
		const run = await download();
		expect(run.items[0].json.error).toMatch(
			/^The recording "2028\/20261120\/rec-a\.mp3" is 15\d{7} bytes \(150\.0 MB\), more than the 100 MB cap \(104857600 bytes\)$/,
		);
		expect(run.items[0].binary).toBeUndefined();
	});

	test('a recording with no Content-Length is read no further than the cap', async () => {
		await simulatorWithRecordings();
		sim.oversizeNextRecordings([{ paddingBytes: 150 * MB, withoutLength: true }]);
		const run = await download();
		expect(run.items[0].json.error).toBe(
			'The recording "2028/20261120/rec-a.mp3" is larger than the 100 MB cap (104857600 bytes); the download was stopped there, the server having given no size (or a compressed one)',
		);
		expect(run.items[0].binary).toBeUndefined();
	});

	test('a recording of a few MB without a Content-Length still arrives whole', async () => {
		await simulatorWithRecordings();
		sim.oversizeNextRecordings([{ paddingBytes: 2 * MB, withoutLength: true }]);
		const run = await download();
		expect(run.items[0].json.error).toBeUndefined();
		const bytes = Buffer.from(run.items[0].binary!.data.data, 'base64');
		expect(bytes.length).toBeGreaterThan(2 * MB);
		expect(run.items[0].json.fileSize).toBe(bytes.length);
		expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');
	});

	test('the download carries none of the platform credentials, token or access key', async () => {
		await simulatorWithRecordings();
		const withToken = await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim) });
		expect(withToken.error).toBeUndefined();
		const [downloadRequest] = sim.recordingDownloads();
		const token = String(tokenCredentials(sim).sipCallApi.token);
		expect(token).not.toBe('');
		expect(JSON.stringify([downloadRequest.url, downloadRequest.headers])).not.toContain(token);
		expect(Object.keys(downloadRequest.headers)).not.toContain('authorization');

		const withAccessKey = await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: appIdCredentials(sim) });
		expect(withAccessKey.error).toBeUndefined();
		const secondDownload = sim.recordingDownloads()[1];
		const { accessKey, appId } = appIdCredentials(sim).sipCallApi;
		for (const secret of [String(accessKey), String(appId), ...(sim.issuedTokens() as string[])]) {
			expect(JSON.stringify([secondDownload.url, secondDownload.headers])).not.toContain(secret);
		}
	});
});

describe('a download link reaches only the platform or the public internet', () => {
	/** A server that counts its requests; `redirectTo` makes every answer a 302 there. */
	async function countingServer(host: string, redirectTo?: () => string) {
		let hits = 0;
		const server = createServer((_request, response) => {
			hits++;
			if (redirectTo) response.writeHead(302, { location: redirectTo() }).end();
			else response.writeHead(200, { 'content-type': 'audio/mpeg' }).end('ID3 internal');
		});
		await new Promise<void>((resolve) => server.listen(0, host, resolve));
		const { port } = server.address() as AddressInfo;
		return { url: `http://${host}:${port}`, hits: () => hits, close: async () => await new Promise((resolve) => server.close(resolve)) };
	}
	const download = async () =>
		await runNode({ parameters: getRecording({ download: true }), items: [cdr('2028/20261120/rec-a.mp3')], credentials: tokenCredentials(sim), continueOnFail: true });

	test.each([
		['loopback other than the API host', (internal: string) => internal],
		['cloud metadata (link-local)', () => 'http://169.254.169.254/latest/meta-data/'],
		['a private range', () => 'http://10.1.2.3/rec-a.mp3'],
		['localhost by name', (internal: string) => internal.replace('127.0.0.2', 'localhost')],
		['a single-label name', () => 'http://metadata/computeMetadata/v1/'],
		['an IPv4-mapped IPv6 loopback', (internal: string) => internal.replace('127.0.0.2', '[::ffff:127.0.0.2]')],
		['a decimal IPv4 loopback', (internal: string) => internal.replace('127.0.0.2', '2130706434')],
	])('a link into %s is refused, naming the host, and nothing is fetched', async (_, linkTo) => {
		await simulatorWithRecordings();
		const internal = await countingServer('127.0.0.2');
		try {
			sim.giveNextRecordingLinks([`${linkTo(internal.url)}/rec-a.mp3`]);
			const run = await download();
			expect(run.items[0].json.error).toMatch(/^The platform's download link for the recording "2028\/20261120\/rec-a\.mp3" points at ".+", an internal address; it was not followed$/);
			expect(run.items[0].binary).toBeUndefined();
			expect(internal.hits()).toBe(0);
		} finally {
			await internal.close();
		}
	});

	test('a redirect into an internal address is refused before it is followed; the API host itself may serve the audio', async () => {
		await simulatorWithRecordings();
		const internal = await countingServer('127.0.0.2');
		// On the API's host (127.0.0.1, another port): allowed, and it redirects inward.
		const redirector = await countingServer('127.0.0.1', () => `${internal.url}/rec-a.mp3`);
		try {
			sim.giveNextRecordingLinks([`${redirector.url}/rec-a.mp3`]);
			const run = await download();
			expect(run.items[0].json.error).toBe(
				'The recording server redirected the download of the recording "2028/20261120/rec-a.mp3" to "127.0.0.2", an internal address; it was not followed',
			);
			expect(redirector.hits()).toBe(1);
			expect(internal.hits()).toBe(0);

			const plain = await download();
			expect(plain.items[0].json.error).toBeUndefined();
			expect(plain.items[0].binary?.data).toBeDefined();
		} finally {
			await redirector.close();
			await internal.close();
		}
	});
});
