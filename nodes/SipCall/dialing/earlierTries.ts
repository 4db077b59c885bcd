/**
 * What earlier tries of this very run of the node placed, so that n8n's *Retry On Fail* never rings
 * a row twice. n8n runs a failed node again with the same execute-data object (the same run of the
 * same node in the same execution, in the same process); a loop's next run of the node, or another
 * execution, gets another one. So the memory is keyed by that object in a WeakMap: only a retry of
 * this run can read it, and it goes when n8n lets the run go.
 *
 * Remembered: calls the platform accepted, and calls that may have gone out (no answer, or an
 * ambiguous one): neither is sent again. A row is known by its position and its request as read
 * (without the reference each try assigns anew), so a retry that reads another row there dials it.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { VoiceMenuRequest } from './readVoiceMenuRequest';

interface Remembered {
	request: string;
	json: IDataObject;
}

const placedByRun = new WeakMap<object, Map<number, Remembered>>();

export interface EarlierTries {
	/** The dial answer an earlier try got for this row, when it placed (or may have placed) its call. */
	recall(itemIndex: number, request: VoiceMenuRequest): IDataObject | undefined;
	remember(itemIndex: number, request: VoiceMenuRequest, json: IDataObject): void;
}

/** The request as the user's row makes it: the reference a try assigns is left out. */
const asRead = (request: VoiceMenuRequest) => JSON.stringify(request);

export function earlierTriesOf(context: IExecuteFunctions): EarlierTries {
	const run = context.getExecuteData();
	let placed = placedByRun.get(run);
	if (!placed) placedByRun.set(run, (placed = new Map()));
	const memory = placed;
	return {
		recall(itemIndex, request) {
			const remembered = memory.get(itemIndex);
			return remembered && remembered.request === asRead(request) ? remembered.json : undefined;
		},
		remember(itemIndex, request, json) {
			memory.set(itemIndex, { request: asRead(request), json });
		},
	};
}
