import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { apiUrlOf } from './platformAuth';

/**
 * The session token of an App ID + Access Key credential, shared by every request this process
 * sends with it. It starts from the token n8n stored in the credential (its credential test logs
 * in and saves one); without one it logs in. The platform says "expired" with ret 600 and HTTP 200,
 * which n8n's own refresh (on HTTP 401) never sees, so renewal happens here, once for all waiting
 * requests. The node logs in itself rather than through n8n's preAuthentication so that the
 * platform's refusal reaches the user in its own words on every n8n version.
 */
class LoginSession {
	private current: Promise<string> | undefined;

	constructor(private readonly stored: string) {}

	async token(logInNow: () => Promise<string>): Promise<string> {
		this.current ??= this.stored ? Promise.resolve(this.stored) : logInNow();
		const pending = this.current;
		// A failed login is forgotten, so the next request tries again.
		pending.catch(() => {
			if (this.current === pending) this.current = undefined;
		});
		return await pending;
	}

	/** Replaces an expired token, unless another request has already done so. */
	async renew(expired: string, logInNow: () => Promise<string>): Promise<string> {
		const now = await this.current?.catch(() => undefined);
		if (now === undefined || now === expired) this.current = logInNow();
		return await this.token(logInNow);
	}
}

const sessions = new Map<string, LoginSession>();

export function sessionFor(credentials: ICredentialDataDecryptedObject): LoginSession {
	const key = [apiUrlOf(credentials), credentials.appId, credentials.accessKey].join('\u0000');
	let session = sessions.get(key);
	if (!session) {
		session = new LoginSession(String(credentials.sessionToken ?? ''));
		sessions.set(key, session);
	}
	return session;
}
