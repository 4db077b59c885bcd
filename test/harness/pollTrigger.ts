/**
 * Runs the SIP Call Record Trigger's `poll` through n8n-core's real PollContext over a real
 * Workflow, and persists its static data as n8n 2.41's legacy poller does: after the activation
 * poll, and after every poll that emits. A "restart" builds a new Workflow and a new node instance
 * from what was persisted (through JSON, as from the database), so what a poll changed without
 * emitting is lost, as it is in n8n.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IPollFunctions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';

import { SipCallRecordTrigger } from '../../nodes/SipCallRecordTrigger/SipCallRecordTrigger.node';
import { TestCredentialsHelper } from './credentialsHelper';
import { additionalDataFor, nodeUnderTest } from './runNode';
import { nodeTypes, SIP_CALL_RECORD_TRIGGER } from './packageTypes';

export interface Poller {
	/** One scheduled poll (the first one after `activate` is the activation poll). */
	poll(mode?: WorkflowExecuteMode): Promise<INodeExecutionData[][] | null>;
	/** n8n starts again: static data as last saved, a fresh node instance and workflow. */
	restart(): void;
	/** The static data as n8n's database holds it. */
	persisted(): IDataObject;
	/** Every item emitted so far, in order, from all outputs. */
	emitted: IDataObject[];
	/** The node as the workflow holds it (its parameters may be edited between polls). */
	node: INode;
}

export function startPoller(options: {
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	staticData?: IDataObject;
}): Poller {
	const credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
	const node = { ...nodeUnderTest(options.parameters, false, SIP_CALL_RECORD_TRIGGER), name: 'SIP Call Record Trigger' };
	let database = JSON.stringify(options.staticData ?? {});
	let workflow: Workflow;
	let nodeType: SipCallRecordTrigger;
	let polls = 0;
	const emitted: IDataObject[] = [];

	const load = () => {
		workflow = new Workflow({
			id: 'poll-workflow',
			nodes: [node],
			connections: {},
			nodeTypes,
			active: true,
			staticData: JSON.parse(database) as IDataObject,
			settings: { timezone: 'Asia/Shanghai' },
		});
		nodeType = new SipCallRecordTrigger();
		polls = 0;
	};
	const save = () => {
		database = JSON.stringify(workflow.staticData);
	};
	load();

	return {
		emitted,
		node,
		async poll(mode: WorkflowExecuteMode = 'trigger') {
			const hooks = new ExecutionLifecycleHooks(mode, 'poll-execution', {
				id: 'poll-workflow',
				name: 'poll',
				nodes: [node],
				connections: {},
				active: true,
				activeVersionId: null,
				isArchived: false,
				createdAt: new Date(),
				updatedAt: new Date(),
			});
			const context = new PollContext(workflow, node, additionalDataFor(credentialsHelper, hooks), mode, 'activate');
			const activationPoll = polls === 0;
			polls += 1;
			const answer = await nodeType.poll.call(context as unknown as IPollFunctions);
			if (mode === 'manual') return answer;
			if (answer) for (const output of answer) emitted.push(...output.map((item) => item.json));
			// n8n saves after the activation poll, and after a poll that emits.
			if (activationPoll || answer) save();
			return answer;
		},
		restart: load,
		persisted: () => JSON.parse(database) as IDataObject,
	};
}
