/**
 * No result lost by call and wait: rows whose CDR callback never came are looked up in the
 * platform's call records (GetBill) with every hand-over, and at the limit before the execution
 * resumes. Only a call the platform has no record of comes out timed out.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { playVoiceMenu, requestsOf, tokenCredentials, withSimulator, type Simulator } from '../harness/fixtures';
import { ALL_EVENTS, postCallback } from '../harness/postCallback';
import { startWaitingExecution, type WaitingExecution } from '../harness/waitingExecution';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BEHAVIOURS } = require('../simulator/calleeScripts');

let sim: Simulator;
let trigger: TriggerServer;
let waiting: WaitingExecution;
afterEach(async () => {
	await trigger?.deactivate();
	await waiting?.stop();
	await trigger?.stop();
	await sim?.stop();
});

const json = (items: INodeExecutionData[] | undefined) => (items ?? []).map((item) => item.json);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

test('a row whose CDR callback was lost gets its result from the call records; a call with no record times out', async () => {
	sim = await withSimulator({ speed: 1000 });
	sim.scriptCallee('13900000402', BEHAVIOURS.cdrCallbackLost);
	sim.scriptCallee('13900000403', BEHAVIOURS.noRecord);
	const rows = [{ phone: '13900000401', ref: 'kept' }, { phone: '13900000402', ref: 'lost' }, { phone: '13900000403', ref: 'none' }];
	waiting = await startWaitingExecution({
		parameters: playVoiceMenu({
			operation: 'playVoiceMenuAndWait',
			destinationNumber: '={{ $json.phone }}',
			additionalFields: { customData: '={{ $json.ref }}' },
			waitLimit: 0.05,
		}),
		items: rows.map((json) => ({ json })),
		credentials: tokenCredentials(sim),
	});
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', events: ALL_EVENTS, output: 'single', options: { waitingBaseUrl: waiting.waitingBaseUrl } },
	});
	await sleep(500);
	// Only the first call's CDR callback arrives; the others send none.
	const cdrs = sim.record.calls.flatMap((call: { events: Array<{ kind: string; body: IDataObject; notSent?: boolean }> }) =>
		call.events.filter((event) => event.kind === 'cdr' && !event.notSent).map((event) => event.body),
	);
	expect(cdrs.map((cdr: IDataObject) => cdr.destnumber)).toEqual(['13900000401']);
	expect((await postCallback(trigger.url, cdrs[0])).status).toBe(200);
	// The hand-over looked the other two up at once: one has a record, one has none, so it waits on.
	expect(waiting.status()).toBe('waiting');
	expect(requestsOf(sim, 'App.Sip_Cdr.GetBill')).toHaveLength(1);

	// At the limit the trigger hands over what it has; the node looks again for the row still missing.
	await waiting.finished();
	const items = json(waiting.output());
	expect(items.map((item) => [item.customuuid, item.resultStatus, item.timedOut])).toEqual([
		['kept', 'answered', false],
		['lost', 'answered', false],
		['none', 'timedOut', true],
	]);
	const lostRecord = sim.callRecords().find((record: IDataObject) => record.destnumber === '13900000402');
	expect(items[1]).toMatchObject({ cdrId: lostRecord.id, callUuid: lostRecord.uuid, destnumber: '13900000402' });
	expect(sim.callRecords().some((record: IDataObject) => record.destnumber === '13900000403')).toBe(false);
	// All records (syncflag 3) each time: nothing is marked fetched for other readers.
	const sweeps = requestsOf(sim, 'App.Sip_Cdr.GetBill').map((request) => request.fields.syncflag);
	expect(sweeps.length).toBeGreaterThanOrEqual(2);
	expect(new Set(sweeps)).toEqual(new Set(['3']));
	expect(trigger.executions).toHaveLength(0);
}, 20_000);
