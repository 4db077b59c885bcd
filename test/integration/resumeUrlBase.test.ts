/**
 * Wait for Result's Resume URL Base: a relative or scheme-less value stops the node before it
 * dials, naming the field and the fix; sweeps that keep failing (n8n not reachable there) say so
 * in n8n's log, without the resume token.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

const THE_FIX = /Resume URL Base ".*" must be an absolute http\(s\) URL such as http:\/\/localhost:5678\/webhook-waiting/;

let sim: Simulator | undefined;
let waiting: WaitingExecution | undefined;
afterEach(async () => {
	jest.restoreAllMocks();
	await waiting?.stop();
	await sim?.stop();
	[sim, waiting] = [undefined, undefined];
});

test.each(['n8n-internal:5678/webhook-waiting', '/webhook-waiting'])('Resume URL Base "%s": the node stops before dialing, naming the fix', async (base) => {
	sim = await withSimulator();
	const run = await runNode({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '13900000101', waitOptions: { resumeUrlBase: base } }),
		credentials: tokenCredentials(sim),
	});
	expect(String(run.error?.message)).toMatch(THE_FIX);
	expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(0);
});

/** A port nothing listens on: every request to it fails to connect. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

test('sweeps that keep failing are logged as a warning naming the address and Resume URL Base, never with the resume token', async () => {
	const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
	sim = await withSimulator({ speed: 1000 });
	// An absolute URL, but n8n is not reachable there.
	const base = `http://127.0.0.1:${await closedPort()}/webhook-waiting`;
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '13900000101', waitLimit: 60, waitOptions: { resumeUrlBase: base } }),
		items: [{ json: {} }],
		credentials: tokenCredentials(sim),
	});
	const warnings = () => warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('requests in a row'));
	// The first sweep at 5 s, then a retry every 3 s: the fourth failure is the first warning.
	for (let waited = 0; waited < 25_000 && !warnings().length; waited += 500) await new Promise((resolve) => setTimeout(resolve, 500));
	expect(warnings()).toHaveLength(1);
	expect(warnings()[0]).toMatch(new RegExp(`4 requests in a row to the waiting execution at ${base.replace(/\./g, '\\.')}/${waiting.id}/sip-call-results\\?signature=… failed`));
	expect(warnings()[0]).toMatch(/Resume URL Base/);
	const token = waiting.stored().resumeToken as string;
	expect(token).toMatch(/^[0-9a-f]{64}$/);
	expect(warn.mock.calls.flat().map(String).join('\n')).not.toContain(token);
	expect(waiting.status()).toBe('waiting');
}, 40_000);
