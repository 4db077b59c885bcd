/**
 * Call and wait without callbacks: the simulator drops every callback (n8n unreachable), and the
 * SIP Call Record Trigger's polls hand the waited calls' records to the waiting execution.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { startPoller, type Poller } from '../harness/pollTrigger';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

let sim: Simulator;
let waiting: WaitingExecution;
afterEach(async () => {
	await waiting?.stop();
	await sim?.stop();
});

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function pollUntilFinished(poller: Poller, limitMs = 15_000) {
	const until = Date.now() + limitMs;
	while (waiting.status() !== 'finished' && Date.now() < until) {
		await poller.poll();
		await sleep(300);
	}
}

test('the poller hands the records of waited calls to the execution instead of emitting them; after a restart they may come out once, marked', async () => {
	sim = await withSimulator({ speed: 1000, dropCallbacks: true });
	const poller = startPoller({ parameters: { output: 'single' }, credentials: tokenCredentials(sim) });
	// Activated before the calls are placed: they are not history.
	expect(await poller.poll()).toBeNull();
	const rows = [{ phone: '13900000101', ref: 'crm-101' }, { phone: '13900000100', ref: 'crm-100' }];
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			waitLimit: 10,
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
	});
	// The harness serves the waiting execution on its own port, not on n8n's base URL.
	poller.node.parameters.options = { waitingBaseUrl: waiting.waitingBaseUrl };
	await pollUntilFinished(poller);
	expect(waiting.status()).toBe('finished');
	expect(json(waiting.output()).map((item) => [item.customuuid, item.resultStatus, item.timedOut])).toEqual([
		['crm-101', 'answered', false],
		['crm-100', 'notAnswered', false],
	]);
	expect(waiting.handOvers()).toBeGreaterThan(0);
	// Handed over, not emitted, and not again on later polls.
	expect(await poller.poll()).toBeNull();
	expect(poller.emitted).toEqual([]);
	// n8n saves a poller's static data only when it emits: after a restart the hand-over is not
	// remembered, the records are handed over again, refused, and come out once, marked (at least once).
	poller.restart();
	await poller.poll();
	await poller.poll();
	expect(poller.emitted.map((item) => [item.destnumber, item.waitingExecutionId, item.customuuid])).toEqual([
		['13900000101', waiting.id, null],
		['13900000100', waiting.id, null],
	]);
	expect(poller.emitted.every((item) => /no longer waiting/.test(String(item.notHandedOver)))).toBe(true);
	expect(await poller.poll()).toBeNull();
	// "Fetch Test Event" shows the newest record without the reference (it holds the resume token).
	const [sample] = (await poller.poll('manual'))![0].map((item) => item.json);
	expect(sample).toMatchObject({ destnumber: '13900000100', customuuid: null });
}, 30_000);

/** Only `Date` is faked (it runs on, and can jump): the simulator, HTTP and n8n-core keep their real timers. */
function controlClock(): (ms: number) => void {
	jest.useFakeTimers({
		now: Date.now(),
		advanceTimers: true,
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	return (ms) => jest.setSystemTime(ms);
}

test('the poller sends only during its polls: once its workflow is deactivated (no more polls), nothing more goes to the waiting execution', async () => {
	const setClock = controlClock();
	try {
		// One call answers at once, the other never ends: the batch stays incomplete.
		sim = await withSimulator({ speed: 1000, dropCallbacks: true });
		sim.scriptCallee('13900000102', { answers: true, key: '', sendsNoCdr: true, keepsNoRecord: true });
		const poller = startPoller({ parameters: { output: 'single' }, credentials: tokenCredentials(sim) });
		expect(await poller.poll()).toBeNull();
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({ operation: 'playVoiceMenuAndWait', destinationNumber: '={{ $json.phone }}', waitLimit: 60 }),
			items: [{ json: { phone: '13900000101' } }, { json: { phone: '13900000102' } }],
			credentials: tokenCredentials(sim),
		});
		poller.node.parameters.options = { waitingBaseUrl: waiting.waitingBaseUrl };
		const start = Date.now();
		for (let poll = 0; poll < 20 && !waiting.handOvers(); poll++) {
			await poller.poll();
			await sleep(300);
		}
		expect(waiting.handOvers()).toBe(1);
		expect(waiting.status()).toBe('waiting');

		// The workflow is deactivated: n8n stops polling and tells the node nothing. Two minutes on
		// (well past every sweep, before the limit), nothing has been sent.
		setClock(start + 120_000);
		await sleep(2500);
		expect(waiting.handOvers()).toBe(1);
		expect(waiting.status()).toBe('waiting');
		// While polls come, each one past the batch's next sweep sends it again.
		await poller.poll();
		expect(waiting.handOvers()).toBe(2);
	} finally {
		jest.useRealTimers();
	}
}, 30_000);
