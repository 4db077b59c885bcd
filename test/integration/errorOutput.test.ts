/**
 * On Error → Continue (using error output), in process against the simulator over real HTTP: n8n-core
 * (WorkflowExecute's handleNodeErrorOutput) sorts the node's items, and the rows that failed leave on
 * the error output (the node's last), paired to their inputs, as `{ error, details }`; with Continue
 * (regular output) the same rows stay where they were, flat, `error` among their fields.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, playVoiceRequests, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { runNode } from '../harness/runNode';

let sim: Simulator;
afterEach(async () => {
	await sim?.stop();
});

/** A good row, one on the simulator's block list (the platform refuses it), one the node refuses. */
const rows = [{ json: { phone: '13800000001' } }, { json: { phone: '00012345678' } }, { json: { phone: 'oops' } }];
const dialEach = playVoiceMenu({ destinationNumber: '={{ $json.phone }}', options: { callsPerSecond: 0, maxInFlight: 1 } });
const summary = (items: INodeExecutionData[]) => items.map((item) => [item.pairedItem, item.json.error ?? null]);

describe('Play Voice Menu', () => {
	test('refused rows leave on the error output, paired, with the row under details; good rows on the success output', async () => {
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
		for (const item of failed) expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(failed[0].json.details).toMatchObject({ accepted: false, mayHaveBeenPlaced: false, code: 1006, destnumber: '00012345678', errorDescription: expect.any(String) });
		expect(failed[1].json.details).toMatchObject({ accepted: false, destnumber: 'oops', errorDescription: expect.stringContaining('digits only') });
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
		expect(outputs[0][1].json.details).toBeUndefined();
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
		json: { error: 'This row has no customuuid to look its call up by', details: { errorDescription: expect.stringContaining('customuuid') } },
		pairedItem: { item: 0 },
	});
});
