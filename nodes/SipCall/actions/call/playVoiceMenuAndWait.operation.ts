/**
 * "Play Voice Menu and Wait for Result": places the calls, each with a reference of its own in
 * customuuid (waitReference.ts), keeps the rows in the execution, and puts it to wait; the rows'
 * results are then read from the platform's call records by this process until all are in or the
 * limit passes (campaign.ts), and sent to the waiting node (waitingNode.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { dialBatch } from '../../dialing/dialBatch';
import type { VoiceMenuRequest } from '../../dialing/readVoiceMenuRequest';
import { callHashIn, newCallReference } from '../../../shared/waitReference';
import { waitForResults } from '../../waitForResult/campaign';
import { newSweepKey } from '../../waitForResult/waitProtocol';
import { readWaitSettings, waitingRow } from '../../waitForResult/waitRows';
import { readRedialSettings, redialReferencesFor } from '../../waitForResult/redial';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readWaitSettings(context);
	const redial = readRedialSettings(context, settings.limitMinutes);
	const userReferences = new Map<number, string | undefined>();

	const assignReference = (request: VoiceMenuRequest, itemIndex: number) => {
		userReferences.set(itemIndex, request.customuuid);
		return { request: { ...request, customuuid: newCallReference().customuuid }, generated: false };
	};

	const dialedFromMs = Date.now();
	const dialed = await dialBatch(context, { assignReference, callsPerRow: redial?.maxCalls ?? 1 });
	const deadlineMs = Date.now() + settings.limitMinutes * 60_000;
	const sweepKey = newSweepKey();
	const facts = { deadlineMs, dialedFromMs, sweepKeyHash: sweepKey.keyHash };
	const rows = dialed.map((item) => {
		const itemIndex = (item.pairedItem as { item: number }).item;
		// The reference the call went out with (in this try, or an earlier one of this run).
		const callHash = callHashIn(item.json.customuuid);
		// A row refused before it got a reference (not a phone number) carries the user's own value already.
		const customuuid = userReferences.has(itemIndex) ? userReferences.get(itemIndex) : item.json.customuuid;
		const json: IDataObject = { ...item.json, customuuid: customuuid ?? null };
		delete json.customuuidGenerated;
		// A call that may have gone out despite the error is waited for too: its record says.
		const mayHaveBeenPlaced = item.json.accepted === true || item.json.mayHaveBeenPlaced === true;
		const waitsForCall = mayHaveBeenPlaced && callHash !== undefined;
		return waitingRow({ json, pairedItem: item.pairedItem }, waitsForCall ? callHash : undefined, facts, settings, waitsForCall && redial ? redialReferencesFor(redial) : undefined);
	});

	// Rows left outside the Calling Window wait with the others and come out with them, marked, on the one
	// output: n8n 1.x forwards only the first output of a resumed node, and n8n's own timer passes the kept rows on there too.
	if (!rows.some((row) => row.json.waitCallHash)) return [rows];
	await waitForResults(context, rows, { deadlineMs, dialedFromMs, sweepKey: sweepKey.key, settings });
	// A copy of the kept rows: with On Error → Continue (using error output), n8n empties the arrays
	// of the output it sorts, and the execution would then keep no row to wait for.
	return [rows.map((row) => ({ ...row }))];
}
