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

/** Imports and publishes the examples; returns their ids and the URLs to call them at. */
async function loadExamples(n8n, credential) {
	const dial = withCredential(readExample(EXAMPLES.dial), credential);
	const callAndWait = withCredential(readExample(EXAMPLES.callAndWait), credential);
	const getResults = withCredential(readExample(EXAMPLES.getResults), credential);
	const cdrToSheet = readExample(EXAMPLES.cdrToSheet);
	const statusNotify = readExample(EXAMPLES.statusNotify);
	const webhookPath = (workflow) => workflow.nodes.find((node) => node.type === 'n8n-nodes-base.webhook').parameters.path;
	const dialPath = webhookPath(dial);
	const callAndWaitPath = webhookPath(callAndWait);
	const getResultsPath = webhookPath(getResults);
	const triggerPath = (workflow) => `${workflow.nodes.find((node) => node.type.endsWith('.sipCallTrigger')).webhookId}/sip-call`;

	const loaded = {};
	loaded.dial = { id: await publishWorkflow(n8n, dial, [dialPath]), url: `${n8n.baseUrl}/webhook/${dialPath}`, name: dial.name };
	loaded.cdrToSheet = {
		id: await publishWorkflow(n8n, cdrToSheet, [triggerPath(cdrToSheet)]),
		url: `${n8n.baseUrl}/webhook/${triggerPath(cdrToSheet)}`,
		name: cdrToSheet.name,
	};
	loaded.statusNotify = {
		id: await publishWorkflow(n8n, statusNotify, [triggerPath(statusNotify)]),
		url: `${n8n.baseUrl}/webhook/${triggerPath(statusNotify)}`,
		name: statusNotify.name,
	};
	loaded.callAndWait = {
		id: await publishWorkflow(n8n, callAndWait, [callAndWaitPath]),
		url: `${n8n.baseUrl}/webhook/${callAndWaitPath}`,
		name: callAndWait.name,
	};
	loaded.getResults = {
		id: await publishWorkflow(n8n, getResults, [getResultsPath]),
		url: `${n8n.baseUrl}/webhook/${getResultsPath}`,
		name: getResults.name,
	};
	return loaded;
}

module.exports = { loadExamples, readExample, withCredential, EXAMPLES };
