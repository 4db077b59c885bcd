/**
 * "Play Voice Menu": places one call per item and puts out each call's dial answer; with a Calling
 * Window, the rows it left for the window's next opening on a second output.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dialBatch } from '../../dialing/dialBatch';
import { splitByCallingWindow } from '../../dialing/outsideCallingWindow';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return splitByCallingWindow(await dialBatch(context));
}
