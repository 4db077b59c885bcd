/**
 * The hand-over: whatever gathered a waiting execution's CDRs posts them to its resume URL as
 * `{ cdrs: [...] }`; the waiting node answers with one of the answers below. Both sides use this
 * file, so the request and its answers are written down once.
 */
import type { IDataObject, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

export const HAND_OVER_TIMEOUT_MS = 15_000;

/** What the waiting node answers, by HTTP status. `notTaken` lists CDRs (by index) it did not take. */
export const handOverAnswers = {
	/**
	 * Every row has its CDR, or the wait limit has passed: the execution goes on. `taken`: the
	 * identity (id, or uuid) of every record the rows went on with, sent or found.
	 */
	resumed: (received: number, timedOut: number, notTaken: number[], taken: string[]) => ({
		status: 200,
		body: { resumed: true, received, timedOut, notTaken, taken },
	}),
	/** Some rows still wait: send every gathered CDR again once there may be all `total`, or at `deadline`. */
	keepWaiting: (received: number, total: number, deadline: number, notTaken: number[]) => ({
		status: 202,
		body: { resumed: false, received, total, deadline, notTaken },
	}),
	/** No CDR proves a call of this execution. */
	noCallProven: (notTaken: number[]) => ({
		status: 403,
		body: { resumed: false, message: 'No call of this execution is proven by the request.', notTaken },
	}),
	notWaiting: () => ({ status: 409, body: { resumed: false, message: 'This execution is not waiting for calls.' } }),
};

export type HandOverAnswer =
	/** `taken`: identities of the records the execution went on with (see `cdrIdentity`). */
	| { kind: 'resumed'; notTaken: number[]; taken: string[] }
	| { kind: 'keepWaiting'; notTaken: number[]; deadlineMs?: number; total?: number }
	/** n8n answers 409 "running" while the execution still dials or resumes. */
	| { kind: 'busy' }
	| { kind: 'refused' }
	/** Finished, deleted, or answered by something else than a waiting SIP Call node. */
	| { kind: 'gone' }
	| { kind: 'tryAgain' };

/** How both sides name one record: its id, or its call uuid. */
export function cdrIdentity(cdr: IDataObject): string {
	return String(cdr.id ?? cdr.uuid ?? '');
}

export function readHandOverAnswer(status: number, body: IDataObject, cdrCount: number): HandOverAnswer {
	const notTaken = (Array.isArray(body.notTaken) ? body.notTaken : [])
		.map(Number)
		.filter((index) => Number.isInteger(index) && index >= 0 && index < cdrCount);
	if (status === 200 && body.resumed === true) {
		return { kind: 'resumed', notTaken, taken: Array.isArray(body.taken) ? body.taken.map(String) : [] };
	}
	if (status === 202) {
		const deadline = Number(body.deadline);
		const total = Number(body.total);
		return {
			kind: 'keepWaiting',
			notTaken,
			deadlineMs: Number.isFinite(deadline) ? deadline : undefined,
			total: Number.isInteger(total) && total > 0 ? total : undefined,
		};
	}
	if (status === 409 && /running/i.test(String(body.message ?? ''))) return { kind: 'busy' };
	if (status === 401 || status === 403) return { kind: 'refused' };
	if (status >= 200 && status < 500) return { kind: 'gone' };
	return { kind: 'tryAgain' };
}

/** Posts the CDRs to a resume URL; throws only when n8n could not be reached. */
export async function postHandOver(
	context: IWebhookFunctions | IPollFunctions,
	resumeUrl: string,
	cdrs: IDataObject[],
): Promise<{ status: number; body: IDataObject }> {
	const response = (await context.helpers.httpRequest({
		method: 'POST',
		url: resumeUrl,
		body: { cdrs },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: HAND_OVER_TIMEOUT_MS,
	})) as { statusCode: number; body: unknown };
	const body = response.body && typeof response.body === 'object' ? (response.body as IDataObject) : {};
	return { status: response.statusCode, body };
}
