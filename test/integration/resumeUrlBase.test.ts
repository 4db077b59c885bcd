/**
 * The triggers' Resume URL Base: a relative or scheme-less value is refused where the settings are
 * read (activation, each request or poll) with a sentence naming the field and the fix, and a
 * hand-over that keeps failing says so in n8n's log, without the resume token.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startPoller } from '../harness/pollTrigger';
import { ALL_EVENTS, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

const THE_FIX = /Resume URL Base must be an absolute http\(s\) URL such as http:\/\/n8n-internal:5678\/webhook-waiting/;
const UNUSABLE = ['n8n-internal:5678/webhook-waiting', '/webhook-waiting'];

let sim: Simulator | undefined;
let trigger: TriggerServer | undefined;
let waiting: WaitingExecution | undefined;
afterEach(async () => {
	jest.restoreAllMocks();
	jest.useRealTimers();
	await waiting?.stop();
	await trigger?.stop();
	await sim?.stop();
	[sim, trigger, waiting] = [undefined, undefined, undefined];
});

test.each(UNUSABLE)('SIP Call Trigger with Resume URL Base "%s": activation fails, and every callback is answered 500 naming the fix', async (base) => {
	trigger = await startTriggerServer({ parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: base } } });
	await expect(trigger.activate()).rejects.toThrow(THE_FIX);
	const answer = await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
	expect(answer.status).toBe(500);
	expect(answer.text).toMatch(THE_FIX);
	expect(trigger.executions).toEqual([]);
});

test.each(UNUSABLE)('SIP Call Record Trigger with Resume URL Base "%s": the (activation) poll fails naming the fix', async (base) => {
	sim = await withSimulator();
	const poller = startPoller({ parameters: { output: 'single', options: { waitingBaseUrl: base } }, credentials: tokenCredentials(sim) });
	await expect(poller.poll()).rejects.toThrow(THE_FIX);
});

/** A port nothing listens on: every hand-over to it fails to connect. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

test('a hand-over that keeps failing is logged as a warning naming the execution and Resume URL Base, never with the resume token', async () => {
	// Only `Date` is faked (it runs on, and jumps between polls): HTTP and the simulator keep real timers.
	jest.useFakeTimers({
		now: Date.now(),
		advanceTimers: true,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
	sim = await withSimulator({ speed: 1000, dropCallbacks: true });
	const poller = startPoller({ parameters: { output: 'single' }, credentials: tokenCredentials(sim) });
	expect(await poller.poll()).toBeNull();
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '13900000101', waitLimit: 60 }),
		items: [{ json: {} }],
		credentials: tokenCredentials(sim),
	});
	// An absolute URL, but n8n is not reachable there.
	poller.node.parameters.options = { waitingBaseUrl: `http://127.0.0.1:${await closedPort()}/webhook-waiting` };
	const warnings = () => warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('hand-overs in a row'));
	for (let poll = 0; poll < 40 && !warnings().length; poll++) {
		await poller.poll();
		jest.setSystemTime(Date.now() + 5000);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	expect(warnings()).toHaveLength(1);
	expect(warnings()[0]).toMatch(new RegExp(`to waiting execution ${waiting.id} at http://127\\.0\\.0\\.1:\\d+/webhook-waiting/${waiting.id}/sip-call-results\\?signature=… failed`));
	expect(warnings()[0]).toMatch(/Resume URL Base/);
	const token = waiting.stored().resumeToken as string;
	expect(token).toMatch(/^[0-9a-f]{64}$/);
	expect(warn.mock.calls.flat().map(String).join('\n')).not.toContain(token);
	expect(waiting.status()).toBe('waiting');
}, 30_000);
