/**
 * The simulator's counting mode (`keepRecords: false`, for benchmarks): it answers as usual and
 * keeps counters only, so nothing it holds grows with the number of requests; what reads records
 * is refused rather than answered from empty ones. A simulator that keeps records counts too.
 */
import { FormData, Agent, request } from 'undici';

import { withSimulator, TOKEN, type Simulator } from '../harness/fixtures';

async function playVoice(sim: Simulator, destnumber: string, dispatcher?: Agent) {
	const form = new FormData();
	const fields = { service: 'App.Sip_Call.PlayVoice', token: TOKEN, destnumber, voicetype: '1', voicefile: 'welcome.wav', chengshudu: '1', userid: '1@extGroup-1' };
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	const response = await request(sim.url, { method: 'POST', body: form, dispatcher });
	return (await response.body.json()) as { ret: number; data: { status: number } };
}

describe('simulator: counting mode (keepRecords: false)', () => {
	let sim: Simulator;
	afterEach(async () => await sim?.stop());

	test('answers every call and keeps counts, not records', async () => {
		sim = await withSimulator({ keepRecords: false });
		const agent = new Agent({ connections: 3 });
		const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => playVoice(sim, `1390000${String(i).padStart(4, '0')}`, agent)));
		await agent.close();
		expect(answers.map((answer) => [answer.ret, answer.data.status])).toEqual(Array(12).fill([200, 0]));
		const counts = sim.counts();
		expect(counts.requests).toEqual({ 'App.Sip_Call.PlayVoice': 12 });
		expect(counts.calls).toBe(12);
		expect(counts.mostConnectionsOpen).toBeGreaterThanOrEqual(1);
		expect(counts.mostConnectionsOpen).toBeLessThanOrEqual(3);
		expect(sim.record).toEqual({ requests: [], calls: [], callbacks: [], connections: [] });
		expect(sim.callRecords()).toEqual([]);
		expect(() => sim.requestsFor('App.Sip_Call.PlayVoice')).toThrow(/counters only/);
		expect(() => sim.callsTo('13900000000')).toThrow(/counters only/);
	});

	test('refuses the options that need records', async () => {
		await expect(withSimulator({ keepRecords: false, cdrUrl: 'http://127.0.0.1:9/cdr' })).rejects.toThrow(/counters only/);
		await expect(withSimulator({ keepRecords: false, maxCallsPerSecond: 5 })).rejects.toThrow(/counters only/);
	});

	test('a simulator that keeps records counts the same way', async () => {
		sim = await withSimulator();
		await playVoice(sim, '13900000001');
		await playVoice(sim, '13900000002');
		expect(sim.counts()).toMatchObject({ requests: { 'App.Sip_Call.PlayVoice': 2 }, calls: 2 });
		expect(sim.record.requests).toHaveLength(2);
		expect(sim.record.calls).toHaveLength(2);
		sim.resetMostConnectionsOpen();
		expect(sim.counts().mostConnectionsOpen).toBe(sim.counts().connectionsOpen);
	});
});
