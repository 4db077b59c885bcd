/**
 * Open-loop load: requests sent at a fixed rate whatever the answers take, as a platform sends
 * callbacks (it does not wait for one to be answered before the next call's event is due). Each
 * request is counted refused unless it is answered 2xx within the platform's timeout.
 */
import { Agent, request } from 'undici';

import { percentile, round } from './report';

/** The simulator's timeout for one callback attempt (test/simulator/callbackSender.js). */
const TIMEOUT_MS = 5000;

export interface OpenLoopOutcome {
	sent: number;
	refused: number;
	/** Indexes of the bodies answered 2xx. */
	taken: number[];
	p99Ms: number;
}

/** Sends `bodies` in order at `rate` per second, round-robin over `urls`; resolves when every answer is in. */
export async function sendAtRate(urls: string[], bodies: object[], rate: number): Promise<OpenLoopOutcome> {
	const agent = new Agent({ connections: 512, pipelining: 0 });
	const started = performance.now();
	const taken: number[] = [];
	const durations: number[] = [];
	let refused = 0;
	const one = async (index: number) => {
		const due = started + (index * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		const sentAt = performance.now();
		try {
			const response = await request(urls[index % urls.length], {
				method: 'POST',
				body: JSON.stringify(bodies[index]),
				headers: { 'content-type': 'application/json' },
				headersTimeout: TIMEOUT_MS,
				bodyTimeout: TIMEOUT_MS,
				dispatcher: agent,
			});
			await response.body.text();
			if (response.statusCode >= 200 && response.statusCode < 300) taken.push(index);
			else refused++;
		} catch {
			refused++;
		}
		durations.push(performance.now() - sentAt);
	};
	await Promise.all(bodies.map(async (_, index) => await one(index)));
	await agent.close();
	durations.sort((a, b) => a - b);
	return { sent: bodies.length, refused, taken, p99Ms: round(percentile(durations, 99), 0) };
}
