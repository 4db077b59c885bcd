'use strict';
/** Workflows and credentials the e2e scenarios and the demo create in a real n8n, through its public API. */
const { randomUUID } = require('node:crypto');

const { http } = require('./n8nInstance');

const SIP_CALL = 'n8n-nodes-sipcall.sipCall';
const SIP_CALL_TRIGGER = 'n8n-nodes-sipcall.sipCallTrigger';

/** Every event the trigger emits (the TypeScript tests take it from the node's CALLBACK_EVENTS). */
const ALL_EVENTS = ['extensionRinging', 'extensionAnswered', 'extensionHungUp', 'callEnded'];

async function createCredential(n8n, name, data) {
	let answer = await n8n.api('POST', '/api/v1/credentials', { name, type: 'sipCallApi', data });
	if (answer.status === 400 && /requires property/.test(answer.text)) {
		// n8n 1.x's public API requires every "required" field, even one hidden by the chosen
		// authentication; the editor's own endpoint does not.
		answer = await n8n.api('POST', '/rest/credentials', { name, type: 'sipCallApi', data });
		if (answer.json?.data) answer.json = answer.json.data;
	}
	if (answer.status !== 200) throw new Error(`credential "${name}" not created: ${answer.status} ${answer.text.slice(0, 400)}`);
	return { id: answer.json.id, name };
}

/** Creates and publishes a workflow; returns its id once its production webhooks answer. */
async function publishWorkflow(n8n, workflow, webhookPaths = []) {
	const created = await n8n.api('POST', '/api/v1/workflows', { settings: { executionOrder: 'v1' }, ...workflow });
	if (created.status !== 200) throw new Error(`workflow "${workflow.name}" not created: ${created.status} ${created.text.slice(0, 600)}`);
	const id = created.json.id;
	let published = await n8n.api('POST', `/api/v1/workflows/${id}/publish`);
	// n8n 1.x calls it "activate".
	if (published.status === 404 || published.status === 405) published = await n8n.api('POST', `/api/v1/workflows/${id}/activate`);
	if (published.status !== 200) throw new Error(`workflow "${workflow.name}" not activated: ${published.status} ${published.text.slice(0, 600)}`);
	for (const path of webhookPaths) await waitForWebhook(n8n, path);
	return id;
}

async function waitForWebhook(n8n, path) {
	const started = Date.now();
	while (Date.now() - started < 20000) {
		// In queue mode production webhooks are served by the webhook processors, not the main process.
		const probe = await http('GET', `${n8n.webhookBaseUrl ?? n8n.baseUrl}/webhook/${path}`);
		// Registered for POST only: n8n answers a GET with 404 naming the method, or 405/500 depending on version.
		if (!/not registered/i.test(probe.text) || /POST/.test(probe.text)) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`webhook ${path} never registered`);
}

/** Webhook (POST rows) → Split Out → SIP Call; answers with SIP Call's items. */
function dialWorkflow({ name, path, credential, continueOnFail = false, callParameters = {} }) {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Rows In',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: randomUUID(),
				name: 'One Item per Row',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.rows', options: {} },
			},
			{
				id: randomUUID(),
				name: 'SIP Call',
				type: SIP_CALL,
				typeVersion: 1,
				position: [440, 0],
				credentials: { sipCallApi: credential },
				...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
				parameters: {
					resource: 'call',
					operation: 'playVoiceMenu',
					destinationNumber: '={{ $json.phone }}',
					voiceType: '={{ $json.voiceType }}',
					voiceFile: '={{ $json.voiceFile }}',
					transferMode: 'keyToGroup',
					transferKey: '={{ $json.key }}',
					extensionGroup: '={{ $json.group }}',
					chengshudu: '1',
					additionalFields: { customData: '={{ $json.ref }}' },
					...callParameters,
				},
			},
		],
		connections: {
			'Rows In': { main: [[{ node: 'One Item per Row', type: 'main', index: 0 }]] },
			'One Item per Row': { main: [[{ node: 'SIP Call', type: 'main', index: 0 }]] },
		},
	};
}

/** Webhook (POST rows) → Split Out → SIP Call, waiting for each call's result → After the Call. */
function dialAndWaitWorkflow({ name, path, credential, waitLimit = 10, waitOptions = {}, options }) {
	const workflow = dialWorkflow({
		name,
		path,
		credential,
		callParameters: { operation: 'playVoiceMenuAndWait', voiceType: 1, waitLimit, waitOptions, ...(options ? { options } : {}) },
	});
	// The list is answered at once with the execution's id (customuuid leads to no execution, and
	// n8n 1.x's API lists a waiting execution only once it has finished).
	workflow.nodes[0].parameters.responseMode = 'responseNode';
	delete workflow.nodes[0].parameters.responseData;
	workflow.nodes.push({
		id: randomUUID(),
		name: 'Answer With Execution Id',
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [110, 200],
		parameters: { respondWith: 'json', responseBody: '={{ { "executionId": $execution.id } }}', options: {} },
	});
	workflow.connections['Rows In'] = { main: [[{ node: 'Answer With Execution Id', type: 'main', index: 0 }]] };
	workflow.connections['Answer With Execution Id'] = { main: [[{ node: 'One Item per Row', type: 'main', index: 0 }]] };
	workflow.nodes.push({
		id: randomUUID(),
		name: 'After the Call',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [660, 0],
		parameters: {},
	});
	workflow.connections['SIP Call'] = { main: [[{ node: 'After the Call', type: 'main', index: 0 }]] };
	return workflow;
}

/**
 * Webhook (POST rows, answered at once with the execution id) → Split Out → SIP Call with On Error →
 * Continue (using error output): its success output to "Succeeded", its error output to "Failed".
 */
function errorOutputWorkflow({ name, path, credential, callParameters = {} }) {
	const workflow = dialAndWaitWorkflow({ name, path, credential });
	const sipCall = workflow.nodes.find((node) => node.name === 'SIP Call');
	sipCall.onError = 'continueErrorOutput';
	sipCall.parameters = { ...sipCall.parameters, operation: 'playVoiceMenu', ...callParameters };
	if (sipCall.parameters.operation !== 'playVoiceMenuAndWait') {
		delete sipCall.parameters.waitLimit;
		delete sipCall.parameters.waitOptions;
	}
	workflow.nodes = workflow.nodes.filter((node) => node.name !== 'After the Call');
	for (const [index, nodeName] of ['Succeeded', 'Failed'].entries()) {
		workflow.nodes.push({ id: randomUUID(), name: nodeName, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [660, index * 200], parameters: {} });
	}
	workflow.connections['SIP Call'] = { main: [[{ node: 'Succeeded', type: 'main', index: 0 }], [{ node: 'Failed', type: 'main', index: 0 }]] };
	return workflow;
}

/** A workflow of one SIP Call Trigger, at the typeVersion new nodes get (1.1) unless a saved workflow's is given. */
function triggerWorkflow({ name, webhookId, parameters = {}, typeVersion = 1.1 }) {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'SIP Call Trigger',
				type: SIP_CALL_TRIGGER,
				typeVersion,
				position: [0, 0],
				webhookId,
				parameters: {
					authentication: 'none',
					events: ALL_EVENTS,
					output: 'single',
					options: {},
					...parameters,
				},
			},
		],
		connections: {},
	};
}

/** SIP Call Record Trigger polling every minute (its node is named 'SIP Call Record Trigger'). */
function recordTriggerWorkflow({ name, credential }) {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'SIP Call Record Trigger',
				type: 'n8n-nodes-sipcall.sipCallRecordTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: { sipCallApi: credential },
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, output: 'single', options: {} },
			},
		],
		connections: {},
	};
}

/** Executions of a workflow with their data, oldest first. */
async function executionsOf(n8n, workflowId) {
	const answer = await n8n.api('GET', `/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=250`);
	if (answer.status !== 200) throw new Error(`executions not listed: ${answer.status} ${answer.text.slice(0, 300)}`);
	return answer.json.data.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Every execution of a workflow with its data, over all of n8n's pages (its public API pages by cursor). */
async function allExecutionsOf(n8n, workflowId, pageSize = 100) {
	const executions = [];
	let cursor = '';
	do {
		const answer = await n8n.api('GET', `/api/v1/executions?workflowId=${workflowId}&includeData=true&limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
		if (answer.status !== 200) throw new Error(`executions not listed: ${answer.status} ${answer.text.slice(0, 300)}`);
		executions.push(...answer.json.data);
		cursor = answer.json.nextCursor ?? '';
	} while (cursor);
	return executions;
}

async function waitForExecutions(n8n, workflowId, count, timeoutMs = 30000) {
	const started = Date.now();
	let executions = [];
	while (Date.now() - started < timeoutMs) {
		executions = await executionsOf(n8n, workflowId);
		if (executions.length >= count && executions.every((execution) => execution.finished || execution.stoppedAt)) return executions;
		await new Promise((r) => setTimeout(r, 300));
	}
	return executions;
}

/** The ids of the executions waiting now (customuuid leads to none: it is a random reference). */
async function waitingExecutionIds(n8n) {
	const answer = await n8n.api('GET', '/api/v1/executions?status=waiting&limit=250');
	if (answer.status !== 200) throw new Error(`executions not listed: ${answer.status} ${answer.text.slice(0, 300)}`);
	return new Set(answer.json.data.map((execution) => String(execution.id)));
}

/** The id of an execution that began waiting after `before` (waitingExecutionIds) was read. */
async function newWaitingExecution(n8n, before, timeoutMs = 60000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const fresh = [...(await waitingExecutionIds(n8n))].filter((id) => !before.has(id));
		if (fresh.length) return fresh.sort((x, y) => Number(x) - Number(y))[0];
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error(`no execution began waiting within ${timeoutMs} ms`);
}

/** Polls one execution until it has finished (a waiting one resumes first). */
async function waitForExecution(n8n, id, timeoutMs = 60000) {
	const started = Date.now();
	while (Date.now() - started < timeoutMs) {
		const answer = await n8n.api('GET', `/api/v1/executions/${id}?includeData=true`);
		if (answer.json?.finished || ['success', 'error', 'crashed'].includes(answer.json?.status)) return answer.json;
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`execution ${id} did not finish within ${timeoutMs} ms`);
}

/** Every item a node put out in one execution, over all its runs (a node fed by several branches runs once per branch). */
function allRunItems(execution, nodeName) {
	return (execution.data.resultData.runData[nodeName] ?? []).flatMap((task) => (task.data?.main ?? []).flat().map((item) => item.json));
}

/** The items a node put on each of its outputs in one execution. */
function nodeOutputs(execution, nodeName) {
	const task = execution.data.resultData.runData[nodeName]?.[0];
	if (task?.error) throw new Error(`${nodeName} failed in execution ${execution.id}: ${task.error.message}`);
	if (!task) throw new Error(`${nodeName} did not run in execution ${execution.id} (status ${execution.status})`);
	return (task.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
}

/**
 * The bytes of a binary field as n8n stored it: inline (base64, n8n's "default" mode) or, in
 * filesystem or database mode, fetched from n8n's own binary-data endpoint as the editor does.
 */
async function binaryBytes(n8n, binary) {
	if (!binary) throw new Error('no binary data');
	if (!binary.id) return Buffer.from(binary.data, 'base64');
	const response = await fetch(`${n8n.baseUrl}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`, { headers: { cookie: n8n.cookie } });
	if (!response.ok) throw new Error(`binary ${binary.id} not served: ${response.status} ${await response.text()}`);
	return Buffer.from(await response.arrayBuffer());
}

/** Every item a node put out in one execution, with its binary fields, over all its runs. */
function allRunItemsWithBinary(execution, nodeName) {
	return (execution.data.resultData.runData[nodeName] ?? []).flatMap((task) => (task.data?.main ?? []).flat());
}

module.exports = {
	binaryBytes,
	allRunItemsWithBinary,
	ALL_EVENTS,
	SIP_CALL,
	SIP_CALL_TRIGGER,
	createCredential,
	publishWorkflow,
	waitForWebhook,
	dialWorkflow,
	dialAndWaitWorkflow,
	errorOutputWorkflow,
	triggerWorkflow,
	recordTriggerWorkflow,
	executionsOf,
	allExecutionsOf,
	waitForExecutions,
	waitForExecution,
	waitingExecutionIds,
	newWaitingExecution,
	allRunItems,
	nodeOutputs,
};
