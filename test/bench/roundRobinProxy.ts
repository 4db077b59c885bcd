/**
 * A load balancer in front of webhook processors, as small as it gets: each request goes to the
 * next target in turn, its body and answer passed through unchanged.
 */
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startRoundRobinProxy(targets: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
	const agent = new Agent({ keepAlive: true, maxSockets: 256 });
	let next = 0;
	const server: Server = createServer((incoming, outgoing) => {
		const target = new URL(targets[next++ % targets.length]);
		const forwarded = request(
			{ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
			(answer: IncomingMessage) => {
				outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(outgoing);
			},
		);
		forwarded.on('error', () => {
			if (!outgoing.headersSent) outgoing.writeHead(502);
			outgoing.end();
		});
		incoming.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async stop() {
			agent.destroy();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
