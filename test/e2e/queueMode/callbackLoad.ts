/**
 * Load for the queue-mode scenarios: rows to dial, callbacks to send (once, or to both webhook
 * processors at once), and counting what reached the far side.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

import { round } from '../../bench/report';

export const rows = (count: number, prefix: string) =>
	Array.from({ length: count }, (_, i) => ({ phone: `136${String(i).padStart(8, '0')}`, voiceType: 1, voiceFile: 'welcome.wav', key: '1', group: 'extGroup-1', ref: `${prefix}-${i}` }));

export async function send(urls: string[], bodies: object[], connections = 10) {
	const pools = urls.map((url) => new Pool(new URL(url).origin, { connections }));
	const started = Date.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: connections * urls.length }, async (_, worker) => {
			while (next < bodies.length) {
				const index = next++;
				const target = urls.length === 1 ? 0 : index % urls.length;
				const response = await pools[target].request({
					path: new URL(urls[target]).pathname,
					method: 'POST',
					body: JSON.stringify(bodies[index]),
					headers: { 'content-type': 'application/json' },
				});
				await response.body.text();
				expect(response.statusCode).toBe(200);
			}
			return worker;
		}),
	);
	const seconds = (Date.now() - started) / 1000;
	await Promise.all(pools.map(async (pool) => await pool.close()));
	return seconds;
}

/** Waits until the far side has at least `expected` receipts in all and nothing more arrives for 3 s. */
export async function settle(received: Map<string, number>, expected: number) {
	let last = -1;
	for (let quiet = 0, i = 0; i < 240 && quiet < 6; i++) {
		const total = [...received.values()].reduce((sum, count) => sum + count, 0);
		quiet = total === last && total >= expected ? quiet + 1 : 0;
		last = total;
		await new Promise((r) => setTimeout(r, 500));
	}
}

/** `calls` calls, each: ring, answer, hang-up, CDR (four events a call). */
export function callbackEvents(idBase: number, calls: number) {
	const events: Array<{ key: string; body: object }> = [];
	for (let call = 0; call < calls; call++) {
		const uuid = randomUUID();
		const buuid = randomUUID();
		for (const status of ['ring', 'answer', 'hangup']) {
			events.push({ key: `${uuid}:${buuid}:${status}`, body: { buuid, callee: '13800000001', caller: '20281001', companycode: '2028', direction: 'callout', disnumber: '2120280001', extnumber: '20281001', isbleg: 'true', method: '3', starttime: '1795600000', status, uuid, ip: '149.129.249.47' } });
		}
		const id = idBase + call;
		events.push({ key: `cdr:${id}`, body: { answertime: '2026-11-25 10:00:05', hangupcause: 10001, duration: 5, id, extnumber: '20281001', uuid, downloadip: '149.129.249.47', customuuid: `c-${call}`, chengshudu: '1', callmethod: 6, recordfilename: '', companycode: 2028, memberid: '0', hangupdirection: 10015, billsec: 12, endtime: '2026-11-25 10:00:17', starttime: '2026-11-25 10:00:00', type: 'callout', disnumber: '2120280001', crmid: '0', userkey: '1', destnumber: '13800000001' } });
	}
	return events;
}

/**
 * Half the events are sent once to one processor, then the other half to both processors at the
 * same moment, then the first half again to the other processor, well after. Counts what reached
 * the far side (an HTTP Request node after the receiver, run by the workers).
 */
export async function deliverTwice(received: Map<string, number>, urls: string[], events: Array<{ key: string; body: object }>) {
	const atOnce = events.filter((_, i) => i % 2 === 0);
	const apart = events.filter((_, i) => i % 2 === 1);
	const receiptsBefore = [...received.values()].reduce((sum, count) => sum + count, 0);
	const oneProcessorSeconds = await send([urls[0]], apart.map((event) => event.body));
	const startedBoth = Date.now();
	const pools = urls.map((url: string) => new Pool(new URL(url).origin, { connections: 10 }));
	let nextPair = 0;
	await Promise.all(
		Array.from({ length: 10 }, async () => {
			while (nextPair < atOnce.length) {
				const event = atOnce[nextPair++];
				await Promise.all(
					urls.map(async (url: string, index: number) => {
						const response = await pools[index].request({ path: new URL(url).pathname, method: 'POST', body: JSON.stringify(event.body), headers: { 'content-type': 'application/json' } });
						await response.body.text();
						expect(response.statusCode).toBe(200);
					}),
				);
			}
		}),
	);
	const twoProcessorSeconds = (Date.now() - startedBoth) / 1000;
	await Promise.all(pools.map(async (pool) => await pool.close()));
	await settle(received, receiptsBefore + events.length);
	const gapSeconds = Math.round((Date.now() - startedBoth) / 1000);
	await send([urls[1]], apart.map((event) => event.body));
	await settle(received, receiptsBefore + events.length);
	const duplicated = (list: typeof events) => list.filter((event) => (received.get(event.key) ?? 0) > 1).length;
	return {
		lost: events.filter((event) => !received.has(event.key)).length,
		atOnce: atOnce.length,
		atOnceDuplicates: duplicated(atOnce),
		apart: apart.length,
		apartDuplicates: duplicated(apart),
		gapSeconds,
		oneProcessorRate: apart.length / oneProcessorSeconds,
		twoProcessorRate: (2 * atOnce.length) / twoProcessorSeconds,
	};
}

export const percent = (part: number, whole: number) => `${round((100 * part) / whole, 1)}%`;
