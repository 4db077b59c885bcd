/**
 * Runs one node of this package through n8n-core's real WorkflowExecute, as n8n runs a workflow:
 * the node receives the given items, and the run's data is returned as n8n would store it.
 */
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { TestCredentialsHelper } from './credentialsHelper';
import { nodeTypes, SIP_CALL } from './packageTypes';

export interface RunOptions {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	credentialsHelper?: TestCredentialsHelper;
	continueOnFail?: boolean;
	timezone?: string;
	nodeType?: string;
	/** Stops the execution this long after it started, as the Stop button does. */
	stopAfterMs?: number;
	/** The node's Retry On Fail setting. */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** On Error → Continue (using error output): the node gets n8n's extra "Error" output (its last). */
	errorOutput?: boolean;
}

export interface NodeRun {
	run: IRun;
	/** The node's first output, or [] when the node failed. */
	items: INodeExecutionData[];
	/** Every output of the node, in order ([] when the node failed). */
	outputs: INodeExecutionData[][];
	/** The error that stopped the node, when it did. */
	error?: { message: string; description?: string | null; context?: Record<string, unknown> };
	credentialsHelper: TestCredentialsHelper;
}

export const NODE_NAME = 'SIP Call';

export function additionalDataFor(credentialsHelper: TestCredentialsHelper, hooks: ExecutionLifecycleHooks) {
	const notUsed = () => {
		throw new Error('Not used by this package');
	};
	return {
		credentialsHelper,
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		executeWorkflow: notUsed,
		getRunExecutionData: notUsed,
		getRuntimeCredential: notUsed,
		logAiEvent: () => {},
		startRunnerTask: notUsed,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The node under test, as a workflow holds it. */
export function nodeUnderTest(
	parameters: INodeParameters,
	continueOnFail = false,
	type = SIP_CALL,
	retryOnFail?: RunOptions['retryOnFail'],
	errorOutput = false,
): INode {
	return {
		...(retryOnFail ? { retryOnFail: true, ...retryOnFail } : {}),
		id: 'node-1',
		name: NODE_NAME,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { sipCallApi: { id: 'cred-1', name: 'SIP Call API' } },
		continueOnFail: continueOnFail || errorOutput,
		onError: errorOutput ? 'continueErrorOutput' : continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
}

export async function runNode(options: RunOptions): Promise<NodeRun> {
	const credentialsHelper =
		options.credentialsHelper ?? new TestCredentialsHelper({ ...(options.credentials ?? {}) });
	const node = nodeUnderTest(options.parameters, options.continueOnFail, options.nodeType, options.retryOnFail, options.errorOutput);
	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
		settings: { timezone: options.timezone ?? 'Asia/Shanghai' },
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [options.items ?? [{ json: {} }]] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalDataFor(credentialsHelper, hooks), 'manual', runExecutionData);
	try {
		const running = execute.processRunExecutionData(workflow);
		if (options.stopAfterMs !== undefined) {
			const timer = setTimeout(() => running.cancel(), options.stopAfterMs);
			void running.finally(() => clearTimeout(timer));
		}
		await running;
	} catch (refusal) {
		// n8n refuses a workflow whose node has issues (a required parameter left empty) before running it.
		return { run: undefined as unknown as IRun, items: [], outputs: [], error: { message: (refusal as Error).message }, credentialsHelper };
	}
	const run = await finished;

	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const error = task?.error ?? run.data.resultData.error;
	return {
		run,
		items: task?.data?.main?.[0] ?? [],
		outputs: (task?.data?.main ?? []).map((output) => output ?? []),
		error: error
			? {
					message: error.message,
					description: (error as { description?: string | null }).description,
					context: (error as { context?: Record<string, unknown> }).context,
				}
			: undefined,
		credentialsHelper,
	};
}
