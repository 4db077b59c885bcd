/**
 * Serves the SIP Call Trigger over real HTTP the way n8n's live webhooks do: n8n's own request
 * parsing (parseIncomingMessage from n8n-core; raw body kept; JSON, urlencoded and text/plain
 * parsed as n8n's body parser does, 422 on broken JSON), a fresh Workflow with the static data
 * saved from the last request, n8n-core's WebhookContext, and the node's answer sent back.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	INodeType,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, HookContext, WebhookContext } from 'n8n-core';
import { parseIncomingMessage } from '@n8n/backend-network';

import { TestCredentialsHelper } from './credentialsHelper';
import { additionalDataFor } from './runNode';
import { nodeTypes, SIP_CALL_TRIGGER } from './packageTypes';

type ParsedRequest = IncomingMessage & {
	rawBody?: Buffer;
	body?: unknown;
	ip?: string;
	contentType?: string;
	encoding?: BufferEncoding;
	readRawBody?: () => Promise<void>;
};

export interface TriggerServer {
	url: string;
	/** The workflow it stands for: pass it to a second server to serve the same workflow in the other mode. */
	workflowId: string;
	/** The items each started execution got, per output: one entry per request that started one. */
	executions: INodeExecutionData[][][];
	staticData: IDataObject;
	/** Deactivates the workflow as n8n does (the node's webhook `delete` method); static data stays. */
	deactivate(): Promise<void>;
	/** Activates it again (the node's `create` method), as after a restart of n8n. */
	activate(): Promise<void>;
	stop(): Promise<void>;
}

export const TRIGGER_NAME = 'SIP Call Trigger';
const DATABASE_ROUND_TRIP_MS = 5;

/** n8n 2.41's parseRequestBody: at typeVersion 1 every body is read and parsed; above it, only the content types n8n parses. */
async function parseLikeN8n(req: ParsedRequest, typeVersion: number): Promise<void> {
	parseIncomingMessage(req as never);
	req.readRawBody = async () => {
		if (req.rawBody) return;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
	};
	const type = req.contentType ?? '';
	const parsable = type.startsWith('application/json') || type.startsWith('text/plain') || type.startsWith('application/x-www-form-urlencoded') || type.endsWith('/xml') || type.endsWith('+xml');
	if (typeVersion > 1 && !parsable) return;
	await req.readRawBody();
	req.rawBody ??= Buffer.alloc(0);
	req.body = {};
	if (!req.rawBody.length) return;
	const text = req.rawBody.toString(req.encoding ?? 'utf8');
	if (req.contentType === 'application/json') req.body = JSON.parse(text);
	else if (req.contentType === 'application/x-www-form-urlencoded') req.body = parseQueryString(text);
	else if (req.contentType === 'text/plain') req.body = text;
}

/** n8n-core's WebhookContext for one request to a node's webhook, as n8n builds it. */
export function webhookContextFor(options: {
	workflow: Workflow;
	node: INode;
	description: IWebhookDescription;
	additionalData: IWorkflowExecuteAdditionalData;
	req: IncomingMessage;
	res: ServerResponse;
	runExecutionData?: IRunExecutionData;
	mode?: WorkflowExecuteMode;
}): WebhookContext {
	const { workflow, node, description, additionalData } = options;
	additionalData.httpRequest = options.req as never;
	additionalData.httpResponse = options.res as never;
	const webhookData = webhookDataFor(workflow, node, description, additionalData, options.mode === 'manual');
	return new WebhookContext(workflow, node, additionalData, options.mode ?? 'webhook', webhookData, [], options.runExecutionData ?? null);
}

function webhookDataFor(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	additionalData: IWorkflowExecuteAdditionalData,
	isTest = false,
): IWebhookData {
	return {
		// n8n marks a test listen's webhook (its URL is then the /webhook-test/ one).
		...(isTest ? { isTest } : {}),
		httpMethod: 'POST',
		node: node.name,
		path: description.path as string,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
}

export async function startTriggerServer(options: {
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** "test": a test listen in the editor (n8n runs its webhook and hooks in manual mode). Default: the published workflow. */
	mode?: 'production' | 'test';
	/** The node's typeVersion: new nodes are 1.1; 1 is a workflow saved before it. */
	typeVersion?: number;
	workflowId?: string;
}): Promise<TriggerServer> {
	const testListen = options.mode === 'test';
	const credentialsHelper = new TestCredentialsHelper({ ...(options.credentials ?? {}) });
	const node: INode = {
		id: 'trigger-1',
		name: TRIGGER_NAME,
		type: SIP_CALL_TRIGGER,
		typeVersion: options.typeVersion ?? 1.1,
		position: [0, 0],
		parameters: options.parameters,
		webhookId: 'b2f4c3a0-0000-4000-8000-000000000001',
		credentials: {
			sipCallCallbackHeaderAuthApi: { id: 'h', name: 'header' },
			sipCallCallbackBasicAuthApi: { id: 'b', name: 'basic' },
		},
	};
	const nodeType = nodeTypes.getByNameAndVersion(SIP_CALL_TRIGGER, node.typeVersion) as INodeType;
	const description = nodeType.description.webhooks![0] as IWebhookDescription;
	const executions: INodeExecutionData[][][] = [];
	let savedStaticData: IDataObject = {};
	// Each server stands for a workflow of its own, as each test's trigger would be in n8n.
	const workflowId = options.workflowId ?? randomUUID();

	const workflowOf = (staticData: IDataObject) =>
		new Workflow({ id: workflowId, nodes: [node], connections: {}, nodeTypes, active: true, staticData, settings: { timezone: 'Asia/Shanghai' } });

	/** Runs one of the node's webhook methods as n8n's ActiveWorkflowManager does on (de)activation. */
	async function runWebhookMethod(method: 'create' | 'delete') {
		const workflow = workflowOf(JSON.parse(JSON.stringify(savedStaticData)) as IDataObject);
		// As n8n 2.41 runs them: a test listen's `create` in manual mode, the published workflow's in
		// trigger mode; every `delete` (a test listen ending, a deactivation) in internal mode.
		const [mode, activation] =
			method === 'delete' ? (['internal', 'update'] as const) : testListen ? (['manual', 'manual'] as const) : (['trigger', 'activate'] as const);
		const additionalData = additionalDataFor(credentialsHelper, new ExecutionLifecycleHooks(mode, 'activation', {} as never));
		const webhookData = webhookDataFor(workflow, node, description, additionalData, testListen);
		const context = new HookContext(workflow, node, additionalData, mode, activation, webhookData);
		await nodeType.webhookMethods!.default![method]!.call(context);
	}

	async function handle(req: ParsedRequest, res: ServerResponse) {
		// As in n8n: the workflow and its static data are loaded first (a database read, which takes
		// a moment), the body is read after, and the static data is saved at the end.
		const staticData = JSON.parse(JSON.stringify(savedStaticData)) as IDataObject;
		await new Promise((resolve) => setTimeout(resolve, DATABASE_ROUND_TRIP_MS));
		try {
			await parseLikeN8n(req, node.typeVersion);
		} catch (error) {
			res.writeHead(422, { 'content-type': 'application/json' }).end(
				JSON.stringify({ code: 422, message: 'Failed to parse request body', hint: (error as Error).message }),
			);
			return;
		}
		req.ip = String(req.socket.remoteAddress ?? '');
		const workflow = workflowOf(staticData);
		const hooks = new ExecutionLifecycleHooks(testListen ? 'manual' : 'webhook', 'webhook-execution', {} as never);
		const additionalData = additionalDataFor(credentialsHelper, hooks);
		const context = webhookContextFor({ workflow, node, description, additionalData, req, res, mode: testListen ? 'manual' : 'webhook' });
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (error as Error).message }));
			return;
		}
		if (workflow.staticData.__dataChanged === true) {
			const toSave = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			delete toSave.__dataChanged;
			savedStaticData = toSave;
		}
		if (result.noWebhookResponse) return;
		const answer = result.webhookResponse ?? { message: 'Workflow was started' };
		res.writeHead(200, { 'content-type': 'application/json' }).end(typeof answer === 'string' ? answer : JSON.stringify(answer));
		if (result.workflowData) executions.push(result.workflowData);
	}

	const server = createServer((req, res) => {
		handle(req as ParsedRequest, res).catch((error: Error) => {
			// A failure here is n8n's own 500: the test sees it as the answer.
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `Harness error: ${error.message}` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/${testListen ? 'webhook-test' : 'webhook'}/${node.webhookId}/${description.path as string}`,
		workflowId,
		executions,
		get staticData() {
			return savedStaticData;
		},
		deactivate: async () => await runWebhookMethod('delete'),
		activate: async () => await runWebhookMethod('create'),
		async stop() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
