/**
 * On Error → Continue (using error output), in process against the simulator over real HTTP: n8n-core
 * (WorkflowExecute's handleNodeErrorOutput) sorts the node's items, and the rows that failed leave on
 * the error output (the node's last), paired to their inputs, as `{ error: { message, …row } }`; with Continue
 * (regular output) the same rows stay where they were, flat, `error` among their fields.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, playVoiceRequests, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sim: Simulator;
let waiting: WaitingExecution | undefined;
afterEach(async () => {
	await waiting?.stop();
	waiting = undefined;
	await sim?.stop();
});

/** A good row, one on the simulator's block list (the platform refuses it), one the node refuses. */
const rows = [{ json: { phone: '13800000001' } }, { json: { phone: '00012345678' } }, { json: { phone: 'oops' } }];
const dialEach = playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { callsPerSecond: 0, maxInFlight: 1 } });
const messageOf = (error: unknown) => (error && typeof error === 'object' ? (error as IDataObject).message : error) ?? null;
const summary = (items: INodeExecutionData[]) => items.map((item) => [item.pairedItem, messageOf(item.json.error)]);

describe('Play Voice Menu', () => {
	test('refused rows leave on the error output, paired, with the row in its error object; good rows on the success output', async () => {
		sim = await withSimulator();
		const { outputs, error } = await runNode({ parameters: dialEach, items: rows, credentials: tokenCredentials(sim), errorOutput: true });
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(2);
		const [success, failed] = outputs;
		expect(summary(success)).toEqual([[{ item: 0 }, null]]);
		expect(success[0].json).toMatchObject({ accepted: true, destnumber: '13800000001' });
		expect(summary(failed)).toEqual([
			[{ item: 1 }, 'The platform refused the call (error code 1006): 目标号码在黑名单中'],
			[{ item: 2 }, 'Destination Number "oops" is not a phone number'],
		]);
		for (const item of failed) expect(Object.keys(item.json)).toEqual(['error']);
		expect(failed[0].json.error).toMatchObject({ accepted: false, mayHaveBeenPlaced: false, code: 1006, destnumber: '00012345678', errorDescription: expect.any(String) });
		expect(failed[1].json.error).toMatchObject({ accepted: false, destnumber: 'oops', errorDescription: expect.stringContaining('digits only') });
		expect(playVoiceRequests(sim)).toHaveLength(2);
	});

	test('with Continue (regular output) the same rows stay on the one output, flat, as before', async () => {
		sim = await withSimulator();
		const { outputs } = await runNode({ parameters: dialEach, items: rows, credentials: tokenCredentials(sim), continueOnFail: true });
		expect(outputs).toHaveLength(1);
		expect(summary(outputs[0])).toEqual([
			[{ item: 0 }, null],
			[{ item: 1 }, expect.stringContaining('error code 1006')],
			[{ item: 2 }, expect.stringContaining('is not a phone number')],
		]);
		expect(outputs[0][1].json).toMatchObject({ accepted: false, code: 1006, destnumber: '00012345678' });
		expect(typeof outputs[0][1].json.error).toBe('string');
	});
});

test('Get Results: a row it cannot look up leaves on the error output (after Completed and Pending)', async () => {
	sim = await withSimulator({ dropCallbacks: true });
	const { outputs } = await runNode({
		parameters: { resource: 'call', operation: 'getResults' },
		items: [{ json: {} }],
		credentials: tokenCredentials(sim),
		errorOutput: true,
	});
	expect(outputs.map((output) => output.length)).toEqual([0, 0, 1]);
	expect(outputs[2][0]).toMatchObject({
		json: { error: { message: 'This row has no customuuid to look its call up by', errorDescription: expect.stringContaining('customuuid') } },
		pairedItem: { item: 0 },
	});
});

describe('Play Voice Menu and Wait for Result, On Timeout → Output Error Item', () => {
	async function dialAndWait(items: IDataObject[], waitLimit: number, noRecordOf: string[] = []) {
		sim = await withSimulator({ speed: 1000 });
		for (const phone of noRecordOf) sim.scriptCallee(phone, BEHAVIOURS.noRecord);
		waiting = await startWaitingExecution({
			parameters: playVoiceMenu({
				operation: 'playVoiceMenuAndWait',
				destinationNumber: '={{ $json.phone }}',
				additionalFields: { customData: '={{ $json.ref }}' },
				waitLimit,
				waitOptions: { onTimeout: 'errorItem' },
			}),
			items: items.map((json) => ({ json })),
			credentials: tokenCredentials(sim),
			errorOutput: true,
		});
		return waiting;
	}

	test('an answered row on the success output; the timed-out and the refused rows on the error output, paired, across the wait', async () => {
		await dialAndWait(
			[
				{ phone: '13900000201', ref: 'answered' },
				{ phone: '13900000205', ref: 'lost' },
				{ phone: '00012345678', ref: 'blocked' },
			],
			0.15,
			['13900000205'],
		);
		expect(waiting!.status()).toBe('waiting');
		// The execution keeps every row while it waits: n8n's sorting of the output must not empty them.
		expect(waiting!.stored().executionData!.nodeExecutionStack[0].data.main[0]).toHaveLength(3);
		await waiting!.finished();
		const [success, failed] = waiting!.outputs()!;
		expect(success.map((item) => [item.pairedItem, item.json.customuuid, item.json.resultStatus])).toEqual([[{ item: 0 }, 'answered', 'answered']]);
		expect(summary(failed)).toEqual([
			[{ item: 1 }, 'No call record arrived within the wait limit of 0.15 minutes.'],
			[{ item: 2 }, expect.stringContaining('error code 1006')],
		]);
		expect(failed[0].json.error).toMatchObject({ customuuid: 'lost', resultStatus: 'timedOut', timedOut: true, waitCallHash: expect.any(String) });
		expect(failed[0].json.error).not.toHaveProperty('waitErrorOutput');
		expect(failed[0].json.error).not.toHaveProperty('waitSweepKeyHash');
		expect(failed[1].json.error).toMatchObject({ customuuid: 'blocked', resultStatus: 'notPlaced', accepted: false });

		// Get Results reads the error output's rows as the rows they were: the timed-out one by its call, the refused one as never placed.
		const later = await runNode({ parameters: { resource: 'call', operation: 'getResults' }, items: failed, credentials: tokenCredentials(sim) });
		const [completed, pending] = later.outputs;
		expect(completed.map((item) => [item.pairedItem, item.json.customuuid, item.json.resultStatus])).toEqual([[{ item: 1 }, 'blocked', 'notPlaced']]);
		expect(pending.map((item) => [item.pairedItem, item.json.customuuid, item.json.resultStatus, item.json.waitCallHash])).toEqual([
			[{ item: 0 }, 'lost', 'pending', failed[0].json.error && (failed[0].json.error as IDataObject).waitCallHash],
		]);
	}, 30000);

	test("if n8n's own timer resumes it (the dialing process stopped), a timed-out row stays on the success output, flat, error among its fields", async () => {
		await dialAndWait([{ phone: '13900000305', ref: 'silent' }, { phone: '00012345678', ref: 'blocked' }], 10);
		await waiting!.expire();
		const [success, failed] = waiting!.outputs()!;
		// No node code runs when n8n's timer resumes: the kept row goes on as it was kept, which must stay flat for the sweeps.
		expect(success.map((item) => [item.pairedItem, item.json.customuuid, item.json.resultStatus, item.json.error])).toEqual([
			[{ item: 0 }, 'silent', 'timedOut', 'No call record arrived within the wait limit of 10 minutes.'],
		]);
		expect(summary(failed)).toEqual([[{ item: 1 }, expect.stringContaining('error code 1006')]]);
	});
});
