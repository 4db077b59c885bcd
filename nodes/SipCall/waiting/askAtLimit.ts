/**
 * At the wait limit the dialing process asks its own waiting execution to look up the rows still
 * missing in the platform's records, then resume. Without it, an execution no trigger knows of
 * (every callback lost, no public URL, a cut wait reference) would be resumed by n8n's own timer,
 * which passes the rows on as timed out without looking. A trigger that knows the batch hands it
 * over at the limit first; this comes after that request can have ended, and before n8n's timer.
 * If this process stops before the limit, n8n's timer still resumes the execution (then Get
 * Results finds the records).
 */
import type { IExecuteFunctions, Logger } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { HAND_OVER_TIMEOUT_MS } from '../../shared/waitForResult/handOver';
import { RESULTS_PATH } from '../../shared/waitForResult/resumeUrl';

/** After the trigger's own hand-over at the limit (sent within about 1.5 s) could have timed out. */
export const ASK_AFTER_LIMIT_MS = 2000 + HAND_OVER_TIMEOUT_MS + 3000;

/** n8n's resume URL for this execution, at the waiting node's own path. */
export function resultsUrlOf(context: IExecuteFunctions): string | undefined {
	try {
		const url = new URL(String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? ''));
		url.pathname = `${url.pathname.replace(/\/+$/, '')}/${RESULTS_PATH}`;
		return url.toString();
	} catch {
		return undefined;
	}
}

/**
 * Holds only the URL, the time and n8n's logger until then (not the execution's context, which
 * would keep its rows in memory for the whole wait).
 */
export function askAtLimit(logger: Logger, resultsUrl: string, deadlineMs: number): void {
	void (async () => {
		await sleep(Math.max(0, deadlineMs + ASK_AFTER_LIMIT_MS - Date.now()));
		try {
			// No CDR: at the limit the request only asks the execution to look and resume.
			const answer = await fetch(resultsUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ cdrs: [] }),
				signal: AbortSignal.timeout(HAND_OVER_TIMEOUT_MS),
			});
			// 409: the execution went on already (a trigger resumed it), as it should.
			if (answer.status !== 200 && answer.status !== 409) {
				logger.warn(`SIP Call: the waiting execution did not look up its results at the limit (HTTP ${answer.status}); n8n resumes it by itself.`);
			}
		} catch (error) {
			logger.warn(`SIP Call: could not ask the waiting execution to look up its results at the limit: ${(error as Error).message}`);
		}
	})();
}
