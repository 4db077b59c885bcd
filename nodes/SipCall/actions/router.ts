/**
 * Which operation runs: resource + operation, as the user picked them, to one
 * `<operation>.operation.ts` each. An unknown pair is refused before anything is sent: no call is
 * placed for an operation this version does not know.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as playVoiceMenu from './call/playVoiceMenu.operation';
import * as playVoiceMenuAndWait from './call/playVoiceMenuAndWait.operation';
import * as getResults from './call/getResults.operation';
import * as checkSetUp from './call/checkSetUp.operation';
import * as parse from './callback/parse.operation';
import * as getMany from './callRecord/getMany.operation';
import * as getSummary from './callRecord/getSummary.operation';
import * as get from './recording/get.operation';

type Operation = { execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> };

const operations: Record<string, Record<string, Operation>> = {
	call: { playVoiceMenu, playVoiceMenuAndWait, getResults, checkSetUp },
	callback: { parse },
	callRecord: { getMany, getSummary },
	recording: { get },
};

export async function router(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = String(context.getNodeParameter('resource', 0));
	const operation = String(context.getNodeParameter('operation', 0));
	const run = Object.hasOwn(operations, resource) && Object.hasOwn(operations[resource], operation) ? operations[resource][operation] : undefined;
	if (!run) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of resource "${resource}" is not known to this version of the SIP Call node.`, {
			description: 'Pick the operation again in the node, or update the n8n-nodes-sipcall package.',
		});
	}
	return await run.execute(context);
}
