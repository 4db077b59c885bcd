'use strict';
/**
 * A minimal MCP client over Streamable HTTP, as an MCP host (Claude Desktop, n8n's MCP Client Tool)
 * talks to n8n's MCP Server Trigger: initialize, then tools/list and tools/call in that session.
 */
let nextId = 1;

async function post(url, headers, message) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
		body: JSON.stringify(message),
	});
	const text = await response.text();
	// A Streamable HTTP answer is either JSON or server-sent events whose data lines hold it.
	const events = text
		.split('\n')
		.filter((line) => line.startsWith('data:'))
		.map((line) => JSON.parse(line.slice(5)));
	let json = events.find((event) => event.id === message.id);
	if (!json && text && !events.length) {
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
	}
	return { status: response.status, session: response.headers.get('mcp-session-id'), json, text };
}

/** Connects to `url` (retrying while n8n still registers the trigger); returns the session's calls. */
async function connectMcp(url, { token, timeoutMs = 20000 } = {}) {
	const auth = token ? { authorization: `Bearer ${token}` } : {};
	const started = Date.now();
	let init;
	for (;;) {
		init = await post(url, auth, {
			jsonrpc: '2.0',
			id: nextId++,
			method: 'initialize',
			params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'n8n-nodes-sipcall-test', version: '1' } },
		});
		if (init.status !== 404 || Date.now() - started > timeoutMs) break;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	if (init.status !== 200 || !init.session) throw new Error(`MCP initialize answered ${init.status}: ${init.text.slice(0, 300)}`);
	const headers = { ...auth, 'mcp-session-id': init.session };
	await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
	const request = async (method, params) => {
		const answer = await post(url, headers, { jsonrpc: '2.0', id: nextId++, method, params });
		if (answer.status !== 200 || !answer.json) throw new Error(`MCP ${method} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
		if (answer.json.error) throw new Error(`MCP ${method}: ${answer.json.error.message}`);
		return answer.json.result;
	};
	return {
		listTools: async () => (await request('tools/list', {})).tools,
		/** The tool's answer: its text, and whether the tool failed. */
		callTool: async (name, args) => {
			const result = await request('tools/call', { name, arguments: args });
			return { isError: result.isError === true, text: result.content.map((part) => part.text ?? '').join('\n') };
		},
	};
}

/** The status an MCP request gets without the trigger's token (or with a wrong one), once n8n has registered the trigger. */
async function initializeStatus(url, token, timeoutMs = 20000) {
	const started = Date.now();
	for (;;) {
		const answer = await post(url, token ? { authorization: `Bearer ${token}` } : {}, {
			jsonrpc: '2.0',
			id: nextId++,
			method: 'initialize',
			params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'n8n-nodes-sipcall-test', version: '1' } },
		});
		if (answer.status !== 404 || Date.now() - started > timeoutMs) return answer.status;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

module.exports = { connectMcp, initializeStatus };
