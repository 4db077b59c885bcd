/**
 * "Play Voice Menu and Wait for Result": places the calls with references that lead each CDR back
 * here, keeps the rows in the execution, and puts it to wait. n8n stores the waiting execution; the
 * SIP Call Trigger (or Record Trigger) resumes it when the results are in, and this process asks
 * it once more at the limit (askAtLimit).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { dialBatch } from '../../dialing/dialBatch';
import type { VoiceMenuRequest } from '../../dialing/readVoiceMenuRequest';
import { encodeWaitReference, hashCallSecret, newCallSecret } from '../../../shared/waitForResult/waitReference';
import { askAtLimit, resultsUrlOf } from '../../waiting/askAtLimit';
import { waitingRow } from '../../waiting/waitResults';
import { readWaitSettings, RESUME_GRACE_MS } from '../../waiting/waitSettings';

/** n8n 2.x signs resume URLs with a per-execution token; n8n 1.x has none. */
function readResumeToken(context: IExecuteFunctions): string | undefined {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	try {
		return new URL(resumeUrl).searchParams.get('signature') ?? undefined;
	} catch {
		return undefined;
	}
}

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readWaitSettings(context);
	const executionId = String(context.getExecutionId() ?? '');
	const resumeToken = readResumeToken(context);
	const secrets = new Map<number, string>();
	const userReferences = new Map<number, string | undefined>();

	const assignReference = (request: VoiceMenuRequest, itemIndex: number) => {
		const callSecret = newCallSecret();
		let customuuid: string;
		try {
			customuuid = encodeWaitReference({ executionId, callSecret, resumeToken });
		} catch (error) {
			throw new NodeOperationError(context.getNode(), (error as Error).message, {
				itemIndex,
				description: 'Use the Play Voice Menu operation and a SIP Call Trigger workflow instead.',
			});
		}
		secrets.set(itemIndex, callSecret);
		userReferences.set(itemIndex, request.customuuid);
		return { request: { ...request, customuuid }, generated: false };
	};

	const dialed = await dialBatch(context, { assignReference });
	const deadlineMs = Date.now() + settings.limitMinutes * 60_000;
	const rows = dialed.map((item) => {
		const itemIndex = (item.pairedItem as { item: number }).item;
		// A row refused before it got a reference (not a phone number) carries the user's own value already.
		const customuuid = userReferences.has(itemIndex) ? userReferences.get(itemIndex) : item.json.customuuid;
		const json: IDataObject = { ...item.json, customuuid: customuuid ?? null };
		delete json.customuuidGenerated;
		// A call that may have gone out despite the error is waited for too: its CDR says.
		const mayHaveBeenPlaced = item.json.accepted === true || item.json.mayHaveBeenPlaced === true;
		const secret = mayHaveBeenPlaced ? secrets.get(itemIndex) : undefined;
		return waitingRow({ json, pairedItem: item.pairedItem }, secret && hashCallSecret(secret), deadlineMs, settings);
	});

	if (!rows.some((row) => row.json.waitCallHash)) return [rows];
	// The rows n8n passes on when it resumes the execution: kept with the waiting execution itself.
	context.getExecuteData().data = { main: [rows] };
	await context.putExecutionToWait(new Date(deadlineMs + RESUME_GRACE_MS));
	const resultsUrl = resultsUrlOf(context);
	if (resultsUrl) askAtLimit(context.logger, resultsUrl, deadlineMs);
	return [rows];
}
