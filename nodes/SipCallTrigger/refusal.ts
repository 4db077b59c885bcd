/**
 * The one way the trigger refuses a request: throw a CallbackRefusal anywhere in the pipeline;
 * the node's webhook turns it into the HTTP answer (status, JSON body, headers) here.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

export class CallbackRefusal extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export function answerRefusal(context: IWebhookFunctions, refusal: CallbackRefusal): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(refusal.status, { 'Content-Type': 'application/json; charset=utf-8', ...refusal.headers });
	response.end(JSON.stringify({ code: refusal.status, message: refusal.message }));
	return { noWebhookResponse: true };
}
