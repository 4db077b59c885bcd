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
};

function readExample(folder) {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, folder, 'workflow.json'), 'utf8'));
}

function withCredential(workflow, credential) {
	for (const node of workflow.nodes) {
		if (node.credentials?.sipCallApi) node.credentials.sipCallApi = { id: credential.id, name: credential.name };
	}
	return workflow;
}

/** The path a workflow is started at: its Webhook node's, or its SIP Call Trigger's; none for a polling trigger. */
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
	for (const key of only) {
		const workflow = withCredential(readExample(EXAMPLES[key]), credential);
		edit[key]?.(workflow);
		const path = startPath(workflow);
		const id = await publishWorkflow(n8n, workflow, path ? [path] : []);
		loaded[key] = { id, name: workflow.name, url: path ? `${n8n.baseUrl}/webhook/${path}` : undefined };
	}
	return loaded;
}

module.exports = { loadExamples, readExample, withCredential, EXAMPLES };
