#!/usr/bin/env node
'use strict';
/* eslint-disable no-console -- the demo talks to a person */
/**
 * `npm run demo`: the platform simulator and a real n8n with this package, the example workflows
 * and a credential pointing at the simulator; places a few calls, waits for their callbacks, prints
 * what each workflow produced, then keeps n8n open until Ctrl-C (`--once`: exits instead).
 */
const { startSimulator } = require('../simulator/platformSimulator');
const { loadExamples } = require('./examples');
const { startN8n, http } = require('./n8nInstance');
const { createCredential, waitForExecutions, waitForExecution, waitingExecutionIds, newWaitingExecution, allRunItems, nodeOutputs } = require('./workflows');

const once = process.argv.includes('--once');
const ROWS = [
	{ phone: '13800000001', crmId: 'CRM-1001' }, // answers, presses 1: put through to an agent
	{ phone: '13800000002', crmId: 'CRM-1002' }, // answers, presses 2
	{ phone: '13800000008', crmId: 'CRM-1003' }, // answers, presses nothing
	{ phone: '13800000000', crmId: 'CRM-1004' }, // never answers
	{ phone: '138-0000', crmId: 'CRM-1005' }, // not a phone number: refused before dialing
];

const WAIT_ROWS = [
	{ phone: '13800000011', crmId: 'CRM-2001' }, // presses 1
	{ phone: '13800000014', crmId: 'CRM-2002' }, // presses 4
	{ phone: '13800000018', crmId: 'CRM-2003' }, // answers, presses nothing
	{ phone: '13800000010', crmId: 'CRM-2004' }, // never answers
];

/** Columns line up in a terminal: CJK characters take two cells. */
const cells = (text) => [...String(text ?? '')].reduce((sum, char) => sum + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1), 0);
const pad = (text, width) => String(text ?? '') + ' '.repeat(Math.max(0, width - cells(text)));

function table(title, rows) {
	console.log(`\n${title}`);
	if (!rows.length) return console.log('  (nothing)');
	const columns = Object.keys(rows[0]);
	const widths = columns.map((column) => Math.max(cells(column), ...rows.map((row) => cells(row[column]))));
	const line = (values) => '  ' + values.map((value, i) => pad(value, widths[i])).join('  ');
	console.log(line(columns));
	console.log(line(widths.map((width) => '-'.repeat(width))));
	for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

async function main() {
	const started = Date.now();
	const phase = (text) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
	phase('Starting the platform simulator');
	const sim = await startSimulator({ speed: 20 });
	console.log(`  simulator at ${sim.url} (token ABCDEFG)`);

	phase('Starting n8n with n8n-nodes-sipcall (the first run installs n8n: several minutes)');
	const n8n = await startN8n({ env: once ? {} : { N8N_LOG_LEVEL: 'warn' } });
	let stopping = false;
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		await n8n.stop().catch(() => {});
		await sim.stop().catch(() => {});
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		phase('Creating the credential and loading the example workflows');
		const credential = await createCredential(n8n, 'SIP Call API (simulator)', {
			apiUrl: sim.url,
			authentication: 'token',
			token: 'ABCDEFG',
		});
		const examples = await loadExamples(n8n, credential);
		sim.setCallbackUrls({ statusUrl: examples.statusNotify.url, cdrUrl: examples.cdrToSheet.url });

		phase(`Placing ${ROWS.length} calls through "${examples.dial.name}"`);
		const answer = await http('POST', examples.dial.url, { body: { rows: ROWS } });
		const calls = Array.isArray(answer.json) ? answer.json : [];
		table(
			'Calls placed (SIP Call node output):',
			calls.map((item, index) => ({
				row: index + 1,
				phone: item.destnumber ?? ROWS[index].phone,
				customuuid: item.customuuid ?? ROWS[index].crmId,
				accepted: item.accepted,
				result: item.accepted ? item.desc : item.error,
			})),
		);

		phase('Waiting for the platform\'s callbacks');
		await sim.settled();
		const cdrCount = sim.record.callbacks.filter((callback) => callback.kind === 'cdr').length;
		const statusCount = sim.record.callbacks.length - cdrCount;
		const sheetRuns = await waitForExecutions(n8n, examples.cdrToSheet.id, cdrCount);
		const notifyRuns = await waitForExecutions(n8n, examples.statusNotify.id, statusCount);
		const outputNames = ['Key 1', 'Key 2', 'Answered, No Key', 'Not Answered', 'Other'];
		const sheetRows = sheetRuns.flatMap((execution) => {
			const branches = nodeOutputs(execution, 'Call Ended');
			const branch = branches.findIndex((items) => items.length);
			return nodeOutputs(execution, 'Sheet Row (swap in your sheet)')[0].map((row) => ({ branch: outputNames[branch], ...row }));
		});
		table(`"${examples.cdrToSheet.name}" (one row per CDR):`, sheetRows);
		table(
			`"${examples.statusNotify.name}" (one notification per extension event):`,
			notifyRuns.flatMap((execution) => nodeOutputs(execution, 'Notification (swap in Slack, email…)')[0].map((item) => ({ text: item.text }))),
		);

		phase(`Placing ${WAIT_ROWS.length} calls through "${examples.callAndWait.name}": one execution waits for all their results`);
		const placedBefore = sim.requestsFor('App.Sip_Call.PlayVoice').length;
		const waitingBefore = await waitingExecutionIds(n8n);
		await http('POST', examples.callAndWait.url, { body: { rows: WAIT_ROWS } });
		const executionId = await newWaitingExecution(n8n, waitingBefore).catch(() => undefined);
		const waitingCall = (await sim.requestsArrived('App.Sip_Call.PlayVoice', placedBefore + WAIT_ROWS.length))[placedBefore];
		console.log(`  execution ${executionId} waited, and read each call's result from the platform's call records (customuuid ${waitingCall?.fields.customuuid})`);
		const waited = executionId ? await waitForExecution(n8n, executionId) : undefined;
		const waitRows = waited ? allRunItems(waited, 'Result Row (swap in your sheet)') : [];
		waitRows.sort((a, b) => String(a['CRM ID']).localeCompare(String(b['CRM ID'])));
		table(`"${examples.callAndWait.name}" (execution ${executionId}, ${waited?.status ?? 'not found'}):`, waitRows);

		const ok =
			calls.length === ROWS.length &&
			sheetRows.length === cdrCount &&
			notifyRuns.length === statusCount &&
			cdrCount === 4 &&
			waited?.status === 'success' &&
			waitRows.length === WAIT_ROWS.length;
		if (!ok) {
			console.error('\nThe demo did not produce what it should: see the tables above.');
			return await shutdown(1);
		}
		if (once) {
			phase('Done (--once): stopping n8n and the simulator');
			return await shutdown(0);
		}
		console.log(`\nn8n is running at ${n8n.baseUrl}/  — log in as ${n8n.owner.email} / ${n8n.owner.password}`);
		console.log('Open the example workflows and their executions there. Press Ctrl-C to stop.');
	} catch (error) {
		console.error(`\nThe demo failed: ${error.message}`);
		await shutdown(1);
	}
}

main();
