/**
 * Two SIP Call Trigger workflows in one n8n process (one for extension status, one for CDRs, as
 * the trigger's notice suggests): what one receives stays with it, in memory and in static data.
 */
import { tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

let sim: Simulator;
let first: TriggerServer;
let second: TriggerServer;
afterEach(async () => {
	await first?.deactivate();
	await second?.deactivate();
	await first?.stop();
	await second?.stop();
	await sim?.stop();
});

async function twoTriggers() {
	sim = await withSimulator({ speed: 1000 });
	void tokenCredentials(sim);
	const parameters = { authentication: 'none', events: ALL_EVENTS, output: 'single' };
	first = await startTriggerServer({ parameters });
	second = await startTriggerServer({ parameters });
}

const emittedBy = (trigger: TriggerServer) => trigger.executions.flat(2).map((item) => item.json);

test('the same event sent to two trigger workflows starts each once: duplicate windows are not shared', async () => {
	await twoTriggers();
	for (const trigger of [first, second, first, second]) await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
	expect(emittedBy(first)).toHaveLength(1);
	expect(emittedBy(second)).toHaveLength(1);
});

test('what one trigger workflow receives is never stored in another\'s static data', async () => {
	await twoTriggers();
	await postCallback(first.url, { ...DOCUMENT_STATUS_CALLBACK, uuid: 'only-for-the-first' });
	expect(JSON.stringify(first.staticData).length).toBeGreaterThan(2);
	expect(second.staticData).toEqual({});
	await postCallback(second.url, DOCUMENT_STATUS_CALLBACK);
	expect(emittedBy(second)).toHaveLength(1);
});
