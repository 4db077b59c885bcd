/**
 * "Play Voice Menu": places one call per item and puts out each call's dial answer; with a Calling
 * Window, the rows it left for the window's next opening on a second output. With the error output
 * (On Error setting), the rows refused (by the node or the platform) leave on it.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dialBatch } from '../../dialing/dialBatch';
import { splitByCallingWindow } from '../../dialing/outsideCallingWindow';
import { forErrorOutput, usesErrorOutput } from '../../errorOutput';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const rows = await dialBatch(context);
	return splitByCallingWindow(usesErrorOutput(context) ? rows.map(forErrorOutput) : rows);
}
