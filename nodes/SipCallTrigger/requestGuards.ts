/**
 * Who may start the workflow, checked before the body is read: the IP allow-list, then header or
 * basic authentication. Each guard throws a CallbackRefusal.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isAllowed } from '../shared/ipRanges';
import { CallbackRefusal } from './refusal';
import type { TriggerSettings } from './triggerSettings';

export function assertAllowedAddress(clientIp: string, settings: TriggerSettings): void {
	if (settings.allowedRanges.length && !isAllowed(clientIp, settings.allowedRanges)) {
		throw new CallbackRefusal(403, `Callbacks from ${clientIp} are not allowed: add the address to Allowed IPs in the SIP Call Trigger.`);
	}
}

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

function assertHeaderAuth(headers: Record<string, unknown>, name: string, value: string): void {
	const given = headers[name.toLowerCase()];
	if (typeof given !== 'string' || !given) {
		throw new CallbackRefusal(401, `Authorization required: send the "${name}" header set in the trigger's credential.`);
	}
	if (!sameSecret(given, value)) throw new CallbackRefusal(403, `The "${name}" header does not match the trigger's credential.`);
}

function assertBasicAuth(authorization: unknown, user: string, password: string): void {
	const challenge = { 'WWW-Authenticate': 'Basic realm="SIP Call Trigger"' };
	const match = typeof authorization === 'string' ? /^Basic\s+(.+)$/i.exec(authorization.trim()) : null;
	if (!match) {
		throw new CallbackRefusal(
			401,
			'Authorization required: put the user and password in the callback URL (http://user:password@host/…).',
			challenge,
		);
	}
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	const ok = separator >= 0 && sameSecret(decoded.slice(0, separator), user) && sameSecret(decoded.slice(separator + 1), password);
	if (!ok) throw new CallbackRefusal(403, 'The user or password does not match the trigger\'s credential.', challenge);
}

export async function assertAuthenticated(context: IWebhookFunctions, settings: TriggerSettings): Promise<void> {
	const headers = context.getHeaderData() as Record<string, unknown>;
	if (settings.authentication === 'headerAuth') {
		const credential = await context.getCredentials<IDataObject>('sipCallCallbackHeaderAuthApi');
		assertHeaderAuth(headers, String(credential.headerName ?? ''), String(credential.headerValue ?? ''));
	} else if (settings.authentication === 'basicAuth') {
		const credential = await context.getCredentials<IDataObject>('sipCallCallbackBasicAuthApi');
		assertBasicAuth(headers.authorization, String(credential.user ?? ''), String(credential.password ?? ''));
	}
}
