/**
 * The simulator's pull services behave as ../shared/spec/vendor-api.md describes them, over real
 * HTTP: GetBill's window, filters, pages of at most 1,000 and syncflag; GetRecodeFile's expiring
 * link serving audio; callbacks dropped while records stay pullable.
 */
import { FormData, request } from 'undici';

import { withSimulator, TOKEN, type Simulator } from '../harness/fixtures';

async function call(sim: Simulator, fields: Record<string, string>) {
	const form = new FormData();
	for (const [name, value] of Object.entries({ token: TOKEN, ...fields })) form.append(name, value);
	const response = await request(sim.url, { method: 'POST', body: form });
	return (await response.body.json()) as { ret: number; msg: string; data: { status: number; result: { totalitems: number; bills: CallRecord[]; downurl: string; expiredtime: string } } };
}

type CallRecord = Record<string, string> & { id: number };
interface SentCallback {
	kind: string;
	dropped?: boolean;
	attempts: unknown[];
}

const bill = (sim: Simulator, fields: Record<string, string>) => call(sim, { service: 'App.Sip_Cdr.GetBill', ...fields });

describe('simulator: App.Sip_Cdr.GetBill', () => {
	let sim: Simulator;
	beforeEach(async () => {
		sim = await withSimulator();
		sim.addCallRecords(Array.from({ length: 2500 }, (_, i) => ({ destnumber: `1390000${String(i).padStart(4, '0')}`, starttime: `2026-11-20 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}` })));
	});
	afterEach(async () => await sim.stop());

	test('pages of up to 1,000 cover every record once; more than 1,000 a page is refused', async () => {
		const ids = new Set<number>();
		for (let page = 1; page <= 3; page++) {
			const answer = await bill(sim, { syncflag: '3', callmethod: '0', itemsperpage: '1000', currentpage: String(page) });
			expect(answer.data.result.totalitems).toBe(2500);
			for (const record of answer.data.result.bills) ids.add(record.id);
		}
		expect(ids.size).toBe(2500);
		const tooMany = await bill(sim, { syncflag: '3', itemsperpage: '1001' });
		expect(tooMany.ret).toBe(400);
		expect(tooMany.msg).toMatch(/itemsperpage/);
	});

	test('syncflag 1 hands each record out once, to whichever reader asks first; 2 and 3 still see it', async () => {
		const first = await bill(sim, { syncflag: '1', callmethod: '0', itemsperpage: '1000' });
		const second = await bill(sim, { syncflag: '1', callmethod: '0', itemsperpage: '1000' });
		expect(first.data.result.bills.map((record) => record.id)).not.toEqual(second.data.result.bills.map((record) => record.id));
		expect(second.data.result.totalitems).toBe(1500);
		expect((await bill(sim, { syncflag: '2', callmethod: '0' })).data.result.totalitems).toBe(2000);
		expect((await bill(sim, { syncflag: '3', callmethod: '0' })).data.result.totalitems).toBe(2500);
	});

	test('the dial-time window, the number filter and the default call method (3, API calls) apply', async () => {
		const window = await bill(sim, { syncflag: '3', callmethod: '0', starttime: '2026-11-20 10:00:00', endtime: '2026-11-20 10:00:59' });
		expect(window.data.result.totalitems).toBe(60);
		const byNumber = await bill(sim, { syncflag: '3', callmethod: '0', destnumber: '13900000042' });
		expect(byNumber.data.result.bills.map((record) => record.destnumber)).toEqual(['13900000042']);
		// The records are IVR calls (callmethod 6): the platform's default filter (3) leaves them out.
		expect((await bill(sim, { syncflag: '3' })).data.result.totalitems).toBe(0);
		expect((await bill(sim, { syncflag: '3', starttime: '2026/11/20' })).ret).toBe(400);
	});
});

describe('simulator: recordings and dropped callbacks', () => {
	test('a placed call\'s record is pullable while its callback is dropped; its recording link serves MP3 bytes, then expires', async () => {
		const sim = await withSimulator({ speed: 200, recordingLinkSeconds: 1, dropCallbacks: true, cdrUrl: 'http://127.0.0.1:9/never' });
		try {
			const placed = await call(sim, { service: 'App.Sip_Call.PlayVoice', destnumber: '13800000001', voicetype: '1', voicefile: 'welcome.wav', chengshudu: '1', userid: '1@extGroup-1', customuuid: 'row-1' });
			expect(placed.data.status).toBe(0);
			await sim.settled();
			let records: CallRecord[] = [];
			for (let tries = 0; tries < 40 && !records.length; tries++) {
				await new Promise((resolve) => setTimeout(resolve, 50));
				records = (await bill(sim, { syncflag: '3', callmethod: '0', customuuid: 'row-1' })).data.result.bills;
			}
			expect(records).toHaveLength(1);
			expect((sim.record.callbacks as SentCallback[]).filter((callback) => callback.kind === 'cdr').map((callback) => [callback.dropped, callback.attempts.length])).toEqual([[true, 0]]);

			const link = await call(sim, { service: 'App.Sip_Cdr.GetRecodeFile', filename: records[0].recordfilename });
			expect(link.data.result.expiredtime).toMatch(/^Expiration time:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			const audio = await request(link.data.result.downurl);
			const bytes = Buffer.from(await audio.body.arrayBuffer());
			expect([audio.statusCode, audio.headers['content-type']]).toEqual([200, 'audio/mpeg']);
			expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');
			expect(bytes.includes(Buffer.from(records[0].recordfilename, 'latin1'))).toBe(true);
			await new Promise((resolve) => setTimeout(resolve, 1100));
			expect((await request(link.data.result.downurl)).statusCode).toBe(403);

			const missing = await call(sim, { service: 'App.Sip_Cdr.GetRecodeFile', filename: 'none.mp3' });
			expect([missing.ret, missing.data.status]).toEqual([200, 1]);
		} finally {
			await sim.stop();
		}
	});
});
