/**
 * Two SIP Call Trigger workflows in one n8n process (one for extension status, one for CDRs, as
 * the trigger's notice suggests): what one receives stays with it, in memory and in static data.
 */
import type { IDataObject } from 'n8n-workflow';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

let sim: Simulator;
let waiting: WaitingExecution;
let first: TriggerServer;
let second: TriggerServer;
afterEach(async () => {
	await first?.deactivate();
	await second?.deactivate();
	await waiting?.stop();
	await first?.stop();
	await second?.stop();
	await sim?.stop();
});

async function twoTriggersAndAWaitingExecution(waitLimit: number, recordDelayMs = 3_600_000) {
	// Records readable late (an hour by default): only the callbacks bring results, so what each trigger keeps shows.
	sim = await withSimulator({ speed: 1000, recordDelayMs });
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit }),
		items: [{ json: { phone: '13900001201' } }, { json: { phone: '13900001202' } }],
		credentials: tokenCredentials(sim),
	});
	const parameters = { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } };
	first = await startTriggerServer({ parameters });
	second = await startTriggerServer({ parameters });
	return sim.requestsFor('App.Sip_Call.PlayVoice').map((request: { fields: Record<string, string> }) => request.fields.customuuid);
}

function cdrOf(customuuid: string): IDataObject {
	const call = sim.record.calls.find((candidate: { customuuid: string }) => candidate.customuuid === customuuid);
	return call.events.find((candidate: { kind: string }) => candidate.kind === 'cdr').body;
}

const emittedBy = (trigger: TriggerServer) => trigger.executions.flat(2).map((item) => item.json);

test('a CDR one trigger workflow gathered is never stored in, nor emitted by, another', async () => {
	const [firstCall] = await twoTriggersAndAWaitingExecution(0.05);
	expect((await postCallback(first.url, cdrOf(firstCall))).status).toBe(200);
	// Static data names the waiting execution (its batch), not the CDRs: they stay in memory.
	expect(JSON.stringify(first.staticData)).toContain(waiting.id);
	expect(JSON.stringify(first.staticData)).not.toContain(firstCall);

	expect((await postCallback(second.url, DOCUMENT_STATUS_CALLBACK)).status).toBe(200);
	expect(JSON.stringify(second.staticData)).not.toContain(firstCall);
	expect(JSON.stringify(second.staticData)).not.toContain(waiting.id);

	// The execution goes on without it: the first trigger's hand-over at the limit is refused,
	// and the CDR is given out by the first trigger, never by the second.
	await waiting.expire();
	await new Promise((resolve) => setTimeout(resolve, 4500));
	await postCallback(second.url, { ...DOCUMENT_STATUS_CALLBACK, uuid: 'second-again' });
	expect(emittedBy(second).map((item) => item.event)).toEqual(['extensionRinging', 'extensionRinging']);
	await postCallback(first.url, DOCUMENT_STATUS_CALLBACK);
	expect(emittedBy(first).map((item) => [item.event, item.waitingExecutionId])).toEqual([
		['extensionRinging', undefined],
		['callEnded', waiting.id],
	]);
}, 20000);

test('a deactivated workflow\'s gathered CDRs are not picked up by another; activated again, its batch goes on', async () => {
	const [firstCall, secondCall] = await twoTriggersAndAWaitingExecution(10, 3000);
	await postCallback(first.url, cdrOf(firstCall));
	expect(waiting.handOvers()).toBe(1);
	await first.deactivate();

	await postCallback(second.url, DOCUMENT_STATUS_CALLBACK);
	expect(JSON.stringify(second.staticData)).not.toContain(firstCall);
	expect(waiting.handOvers()).toBe(1);
	expect(emittedBy(second).map((item) => item.event)).toEqual(['extensionRinging']);

	// As after a restart: memory is gone, the workflow's static data still names the batch; the
	// first call's record is read from the platform once readable.
	await first.activate();
	await new Promise((resolve) => setTimeout(resolve, 3500));
	await postCallback(first.url, cdrOf(secondCall));
	await waiting.finished();
	expect(waiting.output()!.map((item) => item.json.destnumber)).toEqual(['13900001201', '13900001202']);
	expect(emittedBy(first)).toEqual([]);
});

test('the same event sent to two trigger workflows starts each once: duplicate windows are not shared', async () => {
	await twoTriggersAndAWaitingExecution(10);
	for (const trigger of [first, second, first, second]) await postCallback(trigger.url, DOCUMENT_STATUS_CALLBACK);
	expect(emittedBy(first)).toHaveLength(1);
	expect(emittedBy(second)).toHaveLength(1);
});

test('ending a test listen of the same workflow closes only its own memory: the published trigger keeps its gathered CDRs', async () => {
	// Records readable an hour late: the first CDR exists only in the published trigger's memory.
	const [firstCall, secondCall] = await twoTriggersAndAWaitingExecution(10);
	await postCallback(first.url, cdrOf(firstCall));
	expect(waiting.handOvers()).toBe(1);

	// A test listen ("Listen for Test Event") of the first workflow gets a callback, then ends.
	const testListen = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
		mode: 'test',
		workflowId: first.workflowId,
	});
	try {
		await testListen.activate();
		expect((await postCallback(testListen.url, DOCUMENT_STATUS_CALLBACK)).status).toBe(200);
		await testListen.deactivate();
	} finally {
		await testListen.stop();
	}

	// The second CDR completes the batch the published trigger still holds: one hand-over, both rows.
	await postCallback(first.url, cdrOf(secondCall));
	expect(waiting.handOvers()).toBe(2);
	await waiting.finished();
	expect(waiting.output()!.map((item) => [item.json.destnumber, item.json.timedOut])).toEqual([
		['13900001201', false],
		['13900001202', false],
	]);
});
