/** "Play Voice Menu": places one call per item and puts out each call's dial answer. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dialBatch } from '../../dialing/dialBatch';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await dialBatch(context)];
}
