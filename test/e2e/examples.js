'use strict';
/** Loads the example workflows from examples/ into a running n8n, as a user would import them. */
const { readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const { publishWorkflow } = require('./workflows');

const EXAMPLES_DIR = resolve(__dirname, '../../examples');
const EXAMPLES = {
	dial: 'new-row-voice-menu-call',
	cdrToSheet: 'cdr-keypress-to-sheet',
	statusNotify: 'extension-status-notify',
	callAndWait: 'call-and-wait-for-keypress',
	getResults: 'rows-calls-get-results',
	listToFile: 'call-list-results-to-file',
	recordsToSheet: 'call-records-to-sheet',
	recordingAudio: 'recording-for-transcription',
	campaign: 'campaign-with-redial',
	agentTool: 'ai-agent-calls-with-limits',
	form: 'form-call-me-back',
};

/** The MCP Server Trigger's bearer token of the agent example, as the examples are loaded for the demo and the tests. */
const MCP_TOKEN = 'sipcall-example-mcp-token';

function readExample(folder) {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, folder, 'workflow.json'), 'utf8'));
}

function withCredential(workflow, credential, bearer) {
	for (const node of workflow.nodes) {
		if (node.credentials?.sipCallApi) node.credentials.sipCallApi = { id: credential.id, name: credential.name };
		if (node.credentials?.httpBearerAuth && bearer) node.credentials.httpBearerAuth = { id: bearer.id, name: bearer.name };
	}
	return workflow;
}

/**
 * The nodes users import that need an account no test has (Google Sheets, OpenAI), and the
 * schedule that starts a sheet's campaign, swapped for local stand-ins of the same name, so every
 * expression that names them (`$('Campaign Sheet')`) reads the same: a Webhook that takes the rows
 * as `{ rows: [...] }`, a Split Out of them for the sheet's rows, a CSV file for a sheet written to,
 * and a No Op that passes the audio on for a transcription. The example as imported is what the
 * README shows; the test runs everything else in it as it is.
 */
function withLocalStandIns(workflow, folder) {
	const readsSheet = workflow.nodes.some((node) => node.type === 'n8n-nodes-base.googleSheets' && node.parameters.operation === 'read');
	workflow.nodes = workflow.nodes.map((node) => {
		const { id, name, position } = node;
		if (readsSheet && node.type === 'n8n-nodes-base.scheduleTrigger') {
			return { id, name, position, type: 'n8n-nodes-base.webhook', typeVersion: 2, webhookId: id, parameters: { httpMethod: 'POST', path: folder, responseMode: 'onReceived', options: {} } };
		}
		if (node.type === 'n8n-nodes-base.googleSheets' && node.parameters.operation === 'read') {
			return { id, name, position, type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.rows', options: {} } };
		}
		if (node.type === 'n8n-nodes-base.googleSheets') {
			return { id, name, position, type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, parameters: { operation: 'csv', binaryPropertyName: 'data', options: { fileName: `${folder}.csv` } } };
		}
		if (node.type === '@n8n/n8n-nodes-langchain.openAi') return { id, name, position, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
		return node;
	});
	return workflow;
}

/** The bearer-token credential an MCP Server Trigger of the examples uses. */
async function createBearerCredential(n8n) {
	const created = await n8n.api('POST', '/api/v1/credentials', { name: 'MCP Bearer Token', type: 'httpBearerAuth', data: { token: MCP_TOKEN } });
	if (created.status !== 200) throw new Error(`bearer credential not created: ${created.status} ${created.text.slice(0, 300)}`);
	return { id: created.json.id, name: 'MCP Bearer Token' };
}

/** The path a workflow is started at: its Webhook node's, or its SIP Call Trigger's; none for a polling or MCP trigger. */
function startPath(workflow) {
	const webhook = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
	if (webhook) return webhook.parameters.path;
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.sipCallTrigger'));
	return trigger ? `${trigger.webhookId}/sip-call` : undefined;
}

/**
 * Imports and publishes the examples (every one in EXAMPLES unless `only` names some); returns, by
 * key, their ids, names and the URLs to call them at (none for the polling Record Trigger's).
 * `edit[key]`, when given, changes that example's workflow before it is imported (a test's settings).
 */
async function loadExamples(n8n, credential, { only = Object.keys(EXAMPLES), edit = {} } = {}) {
	const loaded = {};
	let bearer;
	for (const key of only) {
		const example = readExample(EXAMPLES[key]);
		const mcpTrigger = example.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
		if (mcpTrigger) bearer ??= await createBearerCredential(n8n);
		const workflow = withLocalStandIns(withCredential(example, credential, bearer), EXAMPLES[key]);
		edit[key]?.(workflow);
		const path = startPath(workflow);
		const id = await publishWorkflow(n8n, workflow, path ? [path] : []);
		const formTrigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger');
		const url = path
			? `${n8n.baseUrl}/webhook/${path}`
			: mcpTrigger
				? `${n8n.baseUrl}/mcp/${mcpTrigger.parameters.path}`
				: formTrigger
					? `${n8n.baseUrl}/form/${formTrigger.parameters.options.path}`
					: undefined;
		loaded[key] = { id, name: workflow.name, url };
	}
	return loaded;
}

module.exports = { loadExamples, readExample, withCredential, withLocalStandIns, EXAMPLES, MCP_TOKEN };
