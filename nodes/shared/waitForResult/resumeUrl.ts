/**
 * Where a waiting SIP Call node is reached: n8n's resume URL for its execution, with the node's
 * own last path segment, as n8n's send-and-wait nodes are reached.
 */
import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import type { WaitReference } from './waitReference';

/** The resume URL's last segment: a Wait node later in the same execution does not answer to it. */
export const RESULTS_PATH = 'sip-call-results';

/** The waiting node's webhook. Nothing is registered anywhere, so there is no lifecycle. */
export const waitForResultWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: RESULTS_PATH,
		restartWebhook: true,
		isFullPath: true,
	},
];

/** n8n serves waiting executions beside its webhooks: …/webhook/<id>/sip-call → …/webhook-waiting. */
export function waitingBaseUrlFor(triggerUrl: string, webhookId?: string): string {
	const url = new URL(triggerUrl);
	const segments = url.pathname.split('/');
	const idAt = webhookId ? segments.indexOf(webhookId) : -1;
	const endpointAt = idAt > 0 ? idAt - 1 : segments.length - 2;
	url.pathname = `${segments.slice(0, endpointAt).join('/')}/webhook-waiting`;
	url.search = '';
	return url.toString().replace(/\/$/, '');
}

/** n8n's waiting webhooks beside its instance base URL (WEBHOOK_URL, or n8n's own address): for a node with no webhook URL. */
export function waitingBaseUrlOfInstance(instanceBaseUrl: string): string {
	return `${instanceBaseUrl.replace(/\/+$/, '')}/webhook-waiting`;
}

export function resumeUrlFor(baseUrl: string, reference: WaitReference): string {
	const url = new URL(`${baseUrl.replace(/\/$/, '')}/${reference.executionId}/${RESULTS_PATH}`);
	if (reference.resumeToken) url.searchParams.set('signature', reference.resumeToken);
	return url.toString();
}

/** A resume URL (or a text holding one) as it may be logged: n8n's resume token in `signature` left out. */
export function withoutResumeToken(text: string): string {
	return text.replace(/([?&]signature=)[^&#\s"']*/gi, '$1…');
}

/**
 * Checks the triggers' "Resume URL Base": empty (n8n's own address is used), or an absolute
 * http(s) URL. A relative or scheme-less one would fail every hand-over; the sentence names the fix.
 */
export function resumeUrlBaseProblem(value: string): string | undefined {
	if (!value) return undefined;
	let url: URL | undefined;
	try {
		url = new URL(value);
	} catch {
		url = undefined;
	}
	if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname && !url.search && !url.hash) return undefined;
	return (
		'Resume URL Base must be an absolute http(s) URL such as http://n8n-internal:5678/webhook-waiting ' +
		"(scheme and host included, no query), or empty to use n8n's own address"
	);
}

/** The triggers' "Resume URL Base" option; `description` says where the default comes from. */
export function resumeUrlBaseOption(description: string): INodeProperties {
	return {
		displayName: 'Resume URL Base',
		name: 'waitingBaseUrl',
		type: 'string',
		default: '',
		placeholder: 'http://n8n-internal:5678/webhook-waiting',
		description,
	};
}
