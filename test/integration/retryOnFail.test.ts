/**
 * n8n's Retry On Fail runs the node again (n8n-core's WorkflowExecute, as in n8n): no try rings a
 * row an earlier try of the same run placed, or may have placed (#21, item 1).
 */
import { playVoiceMenu, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

let sim: Simulator;
afterEach(async () => await sim?.stop());

const PHONES = ['13800000001', '13800000002', '13800000003', '13800000004'];
const parameters = (overrides = {}) =>
	playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { callsPerSecond: 0, maxInFlight: 1 }, ...overrides });
const retryOnFail = { maxTries: 3, waitBetweenTries: 0 };

test('the platform answers HTTP 500 for row 3 after placing its call: no try rings anyone twice, and the node says why it stops', async () => {
	sim = await withSimulator({ speed: 1000 });
	// The first two calls go through; the third is placed, then answered 500 (it may have gone out).
	sim.injectFault({ kind: 'latency', service: 'App.Sip_Call.PlayVoice', delayMs: 0, times: 2 });
	sim.injectFault({ kind: 'status', status: 500, placesCall: true, service: 'App.Sip_Call.PlayVoice' });
	const run = await runNode({ parameters: parameters(), items: PHONES.map((phone) => ({ json: { phone } })), credentials: tokenCredentials(sim), retryOnFail });
	expect(PHONES.map((phone) => sim.callsTo(phone))).toEqual([1, 1, 1, 0]);
	expect(run.error?.message).toMatch(/^Row 3's call may have been placed by an earlier try of this run .*it is not sent again/);
	expect(run.error?.description).toMatch(/Call → Get Results/);
});

test('with Continue On Fail, n8n retries a run whose first item is an error: the rows placed come out once, marked, and nobody is rung twice', async () => {
	sim = await withSimulator({ speed: 1000 });
	const items = [{ json: { phone: '12-34' } }, ...PHONES.slice(0, 2).map((phone) => ({ json: { phone } }))];
	const run = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim), retryOnFail, continueOnFail: true });
	expect(PHONES.slice(0, 2).map((phone) => sim.callsTo(phone))).toEqual([1, 1]);
	expect(sim.requestsFor('App.Sip_Call.PlayVoice')).toHaveLength(2);
	expect(run.items.map((item) => [item.pairedItem, item.json.accepted, item.json.placedInEarlierTry])).toEqual([
		[{ item: 0 }, false, undefined],
		[{ item: 1 }, true, true],
		[{ item: 2 }, true, true],
	]);
});

test('a run that places every call is not retried, and the next run of the same list rings again (the memory is one run\'s)', async () => {
	sim = await withSimulator({ speed: 1000 });
	const items = PHONES.slice(0, 2).map((phone) => ({ json: { phone } }));
	for (let run = 0; run < 2; run++) {
		const done = await runNode({ parameters: parameters(), items, credentials: tokenCredentials(sim), retryOnFail });
		expect(done.items.map((item) => item.json.placedInEarlierTry)).toEqual([undefined, undefined]);
	}
	expect(PHONES.slice(0, 2).map((phone) => sim.callsTo(phone))).toEqual([2, 2]);
});
