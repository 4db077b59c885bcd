/**
 * The triggers' Resume URL Base: a relative or scheme-less value is refused where the settings are
 * read (activation, each request or poll) with a sentence naming the field and the fix.
 */
import { tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startPoller } from '../harness/pollTrigger';
import { ALL_EVENTS, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import type { WaitingExecution } from '../harness/waitingExecution';
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
