/**
 * Parse Callback, for callbacks received by n8n's own Webhook node: the same items as the SIP Call
 * Trigger from the same bodies, routing included.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useInMemoryDeduplication } from '../harness/deduplicationStore';
import { ALL_EVENTS, DOCUMENT_CDR, DOCUMENT_STATUS_CALLBACK, postCallback } from '../harness/postCallback';
import { runNode } from '../harness/runNode';
import { startTriggerServer, type TriggerServer } from '../harness/webhookServer';

let trigger: TriggerServer | undefined;
beforeAll(async () => {
	await useInMemoryDeduplication();
});
afterEach(async () => {
	await trigger?.stop();
	trigger = undefined;
});

/** What n8n's Webhook node gives the next node for a JSON request. */
const webhookItem = (body: unknown) => ({ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body } as IDataObject });

async function parse(bodies: unknown[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runNode({
		parameters: { resource: 'callback', operation: 'parse', body: '={{ $json.body }}', events: ALL_EVENTS, output: 'single', parseOptions: {}, ...parameters },
		items: bodies.map(webhookItem),
		continueOnFail,
	});
}

const BODIES = [
	DOCUMENT_STATUS_CALLBACK,
	{ ...DOCUMENT_STATUS_CALLBACK, status: 'answer' },
	[{ ...DOCUMENT_CDR, id: 1, userkey: '1' }, { ...DOCUMENT_CDR, id: 2, userkey: '' }],
	{ ...DOCUMENT_CDR, id: 3, answertime: '', billsec: 0 },
	{ ...DOCUMENT_CDR, id: 4, userkey: '9' },
	{ something: 'else' },
];

test.each([
	['single output', { output: 'single' }],
	['routed by key', { output: 'routeByKey', routedKeys: '1, 9' }],
	['raw items, other time zone', { output: 'routeByKey', routedKeys: '1', options: { itemFormat: 'raw', timeZone: 'UTC' } }],
])('gives exactly the items the trigger emits (%s)', async (_name, settings: IDataObject) => {
	const { options = {}, ...top } = settings;
	trigger = await startTriggerServer({
		parameters: { authentication: 'none', allowedIps: '', events: ALL_EVENTS, ...top, options: { dropDuplicates: false, ...(options as IDataObject) } },
	});
	for (const body of BODIES) expect((await postCallback(trigger.url, body)).status).toBe(200);
	const fromTrigger = trigger.executions.reduce<IDataObject[][]>((all, outputs) => {
		outputs.forEach((items, index) => (all[index] = [...(all[index] ?? []), ...items.map((item) => item.json)]));
		return all;
	}, []);

	const parsed = await parse(BODIES, { ...top, parseOptions: { dropDuplicates: false, ...(options as IDataObject) } });
	expect(parsed.error).toBeUndefined();
	const fromParse = parsed.run.data.resultData.runData['SIP Call'][0].data!.main.map((items) => (items ?? []).map((item) => item.json));
	expect(fromParse).toEqual(fromTrigger);
});

test('each item keeps the pairing to the webhook item it came from', async () => {
	const parsed = await parse(BODIES.slice(0, 3));
	expect(parsed.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 2 }]);
});

test('a body given as JSON text (a text/plain webhook) is parsed too', async () => {
	const parsed = await parse([JSON.stringify(DOCUMENT_CDR)], { body: '={{ $json.body }}' });
	expect(parsed.items[0].json).toMatchObject({ event: 'callEnded', id: 220739, answered: true });
});

test('duplicates are left out across executions, with n8n\'s deduplication helper', async () => {
	const first = await parse([{ ...DOCUMENT_CDR, id: 777 }, { ...DOCUMENT_CDR, id: 777 }]);
	expect(first.items).toHaveLength(1);
	const again = await parse([{ ...DOCUMENT_CDR, id: 777 }, { ...DOCUMENT_CDR, id: 778 }]);
	expect(again.items.map((item) => item.json.id)).toEqual([778]);
});

test('Parse Callback: a look-alike with the same CDR id but another field is not a duplicate (#20, finding 2)', async () => {
	const forged = await parse([{ ...DOCUMENT_CDR, id: 779, destnumber: '10000000000' }]);
	expect(forged.items.map((item) => item.json.destnumber)).toEqual(['10000000000']);
	const real = await parse([{ ...DOCUMENT_CDR, id: 779 }, Object.fromEntries(Object.entries({ ...DOCUMENT_CDR, id: 779 }).reverse())]);
	expect(real.items.map((item) => [item.json.id, item.json.destnumber])).toEqual([[779, '85781218893']]);
});

test('a body that is not a callback fails its item in words, or comes out as an error item with Continue On Fail', async () => {
	const failed = await parse(['not json at all']);
	expect(failed.error?.message).toContain('not valid JSON');
	const continued = await parse(['not json at all', DOCUMENT_CDR], { parseOptions: { dropDuplicates: false } }, true);
	expect(continued.items.map((item) => [item.pairedItem, item.json.error ?? item.json.event])).toEqual([
		[{ item: 0 }, expect.stringContaining('not valid JSON')],
		[{ item: 1 }, 'callEnded'],
	]);
});

test('unknown payloads can be made to fail', async () => {
	const parsed = await parse([{ hello: 1 }], { parseOptions: { unknownPayloads: 'fail' } });
	expect(parsed.error?.message).toBe('1 of 1 payloads are neither an extension status nor a call detail record');
});
