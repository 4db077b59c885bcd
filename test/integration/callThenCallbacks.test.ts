/**
 * The whole loop in process: SIP Call places calls on the simulator, the simulator plays each call
 * and POSTs its real callbacks to the SIP Call Trigger, which emits one normalized item per event.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../harness/runNode';
import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';
import { ALL_EVENTS } from '../harness/postCallback';

let sim: Simulator;
let trigger: TriggerServer;
afterEach(async () => {
	await sim?.stop();
	await trigger?.stop();
});


async function dial(rows: Array<{ phone: string; ref: string }>) {
	return await runNode({
		parameters: playVoiceMenu({
			destinationNumber: '={{ $json.phone }}',
			transferKey: '1',
			additionalFields: { customData: '={{ $json.ref }}' },
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
	});
}

test('each call\'s callbacks land as exactly one item per event, routed by the key pressed', async () => {
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', allowedIps: '127.0.0.1', events: ALL_EVENTS, output: 'routeByKey', routedKeys: '1, 2', options: {} },
	});
	// Twice each callback (at-least-once delivery), fast enough for a test.
	sim = await withSimulator({ speed: 1000, statusUrl: trigger.url, cdrUrl: trigger.url, duplicateDelivery: 1 });
	const rows = [
		{ phone: '13800000001', ref: 'presses-1' }, // answers, presses 1: transferred to the group
		{ phone: '13800000002', ref: 'presses-2' }, // answers, presses 2: not the transfer key
		{ phone: '13800000008', ref: 'no-key' }, // answers, presses nothing
		{ phone: '13800000000', ref: 'no-answer' },
	];
	const { items } = await dial(rows);
	expect(items.map((item) => item.json.accepted)).toEqual([true, true, true, true]);
	await sim.settled();

	const delivered = sim.record.callbacks;
	expect(delivered.every((callback: { delivered: number }) => callback.delivered === 2)).toBe(true);
	const emitted = trigger.executions.flatMap((outputs) =>
		outputs.flatMap((output, index) => output.map((item): IDataObject => ({ output: index, ...item.json }))),
	);
	// 3 status events for the transferred call + 4 CDRs, each once although each arrived twice.
	expect(emitted).toHaveLength(delivered.length);
	expect(delivered).toHaveLength(7);

	const cdrs = emitted.filter((item) => item.event === 'callEnded');
	const byRef = Object.fromEntries(cdrs.map((cdr) => [String(cdr.customuuid), cdr]));
	expect(byRef['presses-1']).toMatchObject({ output: 0, keyPressed: '1', answered: true, destnumber: '13800000001' });
	expect(byRef['presses-2']).toMatchObject({ output: 1, keyPressed: '2', answered: true });
	expect(byRef['no-key']).toMatchObject({ output: 2, keyPressed: null, answered: true });
	expect(byRef['no-answer']).toMatchObject({ output: 3, answered: false, answertime: null, talkSeconds: 0 });

	const statuses = emitted.filter((item) => item.event !== 'callEnded');
	expect(statuses.map((item) => [item.output, item.event, item.callee, item.isbleg])).toEqual([
		[4, 'extensionRinging', '13800000001', true],
		[4, 'extensionAnswered', '13800000001', true],
		[4, 'extensionHungUp', '13800000001', true],
	]);
	for (const cdr of cdrs) {
		const call = sim.record.calls.find((candidate: { uuid: string }) => candidate.uuid === cdr.uuid);
		expect(cdr.id).toBe(call.events.at(-1).body.id);
	}
});

test('a trigger that refuses (wrong allow-list) makes the platform retry, and nothing starts', async () => {
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', allowedIps: '198.51.100.7', events: ALL_EVENTS, output: 'single', options: {} },
	});
	sim = await withSimulator({ speed: 1000, cdrUrl: trigger.url, callbackRetries: 2, callbackRetryDelayMs: 5 });
	await dial([{ phone: '13800000008', ref: 'r' }]);
	await sim.settled();
	const [cdr] = sim.record.callbacks;
	expect(cdr.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([403, 403, 403]);
	expect(trigger.executions).toHaveLength(0);
});
