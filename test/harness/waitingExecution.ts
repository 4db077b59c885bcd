/**
 * An execution of the SIP Call node that waits, hosted as n8n hosts it: n8n-core's WorkflowExecute
 * runs the node until it puts the execution to wait; the execution is kept as n8n stores it (a
 * serialized copy, so nothing survives in memory); its resume URL is served over real HTTP with
 * n8n 2.x's checks (resume token, 409 while running or once finished), the node's webhook runs in
 * n8n-core's WebhookContext, and the execution resumes through WorkflowExecute. `expire()` resumes
 * it as n8n's wait tracker does when the time runs out.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunExecutionData,
	IWebhookDescription,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { TestCredentialsHelper } from './credentialsHelper';
import { nodeTypes, SIP_CALL } from './packageTypes';
import { additionalDataFor, NODE_NAME, nodeUnderTest } from './runNode';
import { webhookContextFor } from './webhookServer';

export interface WaitingExecution {
	id: string;
	/** Where n8n would serve this execution's resume URL: <base>/<id>. */
	waitingBaseUrl: string;
	status(): 'waiting' | 'running' | 'finished' | 'canceled';
	/** The node's output once the execution finished (undefined before). */
	output(): INodeExecutionData[] | undefined;
	/** Every output of the node once the execution finished, in order (undefined before). */
	outputs(): INodeExecutionData[][] | undefined;
	/** How many requests reached the resume URL. */
	resumeRequests(): number;
	/** The stored execution data, as the database holds it. */
	stored(): IRunExecutionData;
	finished(): Promise<IRun>;
	/** Resumes the execution as n8n's wait tracker does once its time is up. */
	expire(): Promise<IRun>;
	/** The next `times` requests are answered by "n8n" itself, as under load: the node does not run. */
	answerNextWith(status: number, body: IDataObject, times: number): void;
	/** The user stops the waiting execution: n8n then answers 409 "finished with error". */
	cancel(): void;
	stop(): Promise<void>;
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export async function startWaitingExecution(options: {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	executionId?: string;
	/** n8n 1.x issues no resume token. */
	withoutResumeToken?: boolean;
	continueOnFail?: boolean;
	/** On Error → Continue (using error output). */
	errorOutput?: boolean;
}): Promise<WaitingExecution> {
	const id = options.executionId ?? String(1000 + Math.floor(Math.random() * 9000));
	const credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
	const node = nodeUnderTest(options.parameters, options.continueOnFail, SIP_CALL, undefined, options.errorOutput);
	const nodeType = nodeTypes.getByNameAndVersion(SIP_CALL, 1) as INodeType;
	const description = (nodeType.description.webhooks as IWebhookDescription[])[0];
	const newWorkflow = () =>
		new Workflow({ id: 'wait-workflow', nodes: [copy(node)], connections: {}, nodeTypes, active: true, settings: { timezone: 'Asia/Shanghai' } });

	let stored: IRunExecutionData;
	let state: 'waiting' | 'running' | 'finished' | 'canceled' = 'running';
	const n8nAnswers: Array<{ status: number; body: IDataObject }> = [];
	let lastRun: IRun | undefined;
	let resumeRequests = 0;
	let settle: (run: IRun) => void = () => {};
	let done = new Promise<IRun>((resolve) => (settle = resolve));

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `Harness error: ${error.message}` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const waitingBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting`;

	function additionalData() {
		const hooks = new ExecutionLifecycleHooks('webhook', id, {} as never);
		hooks.addHandler('workflowExecuteAfter', (run) => {
			lastRun = run;
			stored = copy(run.data);
			state = run.waitTill ? 'waiting' : 'finished';
			if (state === 'finished') settle(run);
		});
		const data = additionalDataFor(credentialsHelper, hooks);
		data.executionId = id;
		data.webhookWaitingBaseUrl = waitingBaseUrl;
		return data;
	}

	async function run(data: IRunExecutionData) {
		state = 'running';
		await new WorkflowExecute(additionalData(), 'webhook', data).processRunExecutionData(newWorkflow());
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		resumeRequests += 1;
		const url = new URL(req.url ?? '/', 'http://localhost');
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const reply = (status: number, body: IDataObject): void => {
			res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		};
		const [, endpoint, executionId, suffix = ''] = url.pathname.split('/');
		if (endpoint !== 'webhook-waiting' || executionId !== id) {
			return reply(404, { message: `The execution "${executionId}" does not exist.` });
		}
		const token = stored.resumeToken;
		if (!options.withoutResumeToken && (!token || url.searchParams.get('signature') !== token)) {
			return reply(401, { error: 'Invalid token' });
		}
		const n8nAnswer = n8nAnswers.shift();
		if (n8nAnswer) return reply(n8nAnswer.status, n8nAnswer.body);
		if (state === 'canceled') return reply(409, { code: 409, message: `The execution "${id}" has finished with error.` });
		if (state === 'running') return reply(409, { code: 409, message: `The execution "${id}" is running already.` });
		if (state === 'finished') return reply(409, { code: 409, message: `The execution "${id} has finished already.` });
		if (suffix !== description.path) {
			return reply(404, { message: `The workflow for execution "${id}" does not contain a waiting webhook with a matching path/method.` });
		}

		const data = copy(stored);
		data.waitTill = undefined;
		const request = Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown });
		const workflow = newWorkflow();
		const context = webhookContextFor({
			workflow,
			node: workflow.getNode(NODE_NAME) as INode,
			description,
			additionalData: additionalData(),
			req: request,
			res,
			runExecutionData: data,
		});
		const result = await nodeType.webhook!.call(context);
		if (!result.noWebhookResponse) reply(200, { message: 'Workflow was started' });
		if (!result.workflowData) return;
		const resuming = data.executionData!.nodeExecutionStack[0];
		resuming.node.disabled = true;
		resuming.data.main = result.workflowData;
		resuming.metadata = { ...resuming.metadata, forwardAllOutputs: true };
		void run(data);
	}

	const items = options.items;
	const initial = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: copy(node), data: { main: [items] }, source: null }] },
	});
	if (options.withoutResumeToken) delete (initial as { resumeToken?: string }).resumeToken;
	await run(initial);

	return {
		id,
		waitingBaseUrl,
		status: () => state,
		output: () => {
			if (state !== 'finished' || !lastRun) return undefined;
			const runs = lastRun.data.resultData.runData[NODE_NAME] ?? [];
			return runs.at(-1)?.data?.main?.[0] ?? [];
		},
		outputs: () => {
			if (state !== 'finished' || !lastRun) return undefined;
			const runs = lastRun.data.resultData.runData[NODE_NAME] ?? [];
			return (runs.at(-1)?.data?.main ?? []).map((output) => output ?? []);
		},
		stored: () => copy(stored),
		resumeRequests: () => resumeRequests,
		finished: async () => await done,
		async expire() {
			if (state !== 'waiting') throw new Error(`execution ${id} is ${state}, not waiting`);
			await run(copy(stored));
			return await done;
		},
		answerNextWith(status, body, times) {
			for (let i = 0; i < times; i++) n8nAnswers.push({ status, body });
		},
		cancel() {
			state = 'canceled';
		},
		async stop() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			done = Promise.resolve(lastRun as IRun);
		},
	};
}
