/**
 * Check Set-up, the first lines: does the API URL answer, does the platform allow this n8n
 * server's IP (ret 604), and does the credential's token or login work (ret 600). It sends what
 * the credential's own test sends (a login with App ID + Access Key, then the read-only token
 * check): nothing is dialed.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiUrlOf, authenticationModeOf, checkToken, logIn } from '../../shared/platform/platformAuth';
import { PlatformError } from '../../shared/platform/platformErrors';
import { failedLine, passedLine, uncheckedLine, type CheckLine } from './checkLines';

const REACH = 'Reach the API URL';
const ALLOW_LIST = 'IP allow-list (ret 604)';
const TOKEN = 'Token (ret 600)';
const LOGIN = 'Log in with App ID + Access Key';

const TOKEN_EXPIRED = 600;
const IP_NOT_ALLOWED = 604;

const NOT_REACHED_ADVICE: Record<string, string> = {
	unreachable:
		'Check the API URL in the SIP Call API credential: the address and port your vendor gave you, for example http://203.0.113.10:8080. Then check that the n8n server can reach it (a firewall may block the port).',
	noAnswer:
		'The platform did not answer in time. Check the API URL and its port in the SIP Call API credential, and that no firewall drops the connection; then run the check again.',
	httpStatus:
		'Something answered at the API URL, but not the platform\'s API. Ask your vendor for the API address (not the back office web page) and put it in the SIP Call API credential.',
	notJson:
		'Something answered at the API URL, but not the platform\'s API. Ask your vendor for the API address (not the back office web page) and put it in the SIP Call API credential.',
};

/** The address the platform says it saw, when its message names one (e.g. "IP未授权：203.0.113.9"). */
export function addressIn(message: string): string | undefined {
	const v4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/.exec(message);
	if (v4) return v4[1];
	const v6 = /(?<![0-9a-f:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(?![0-9a-f:])/i.exec(message);
	// A full address has 8 groups, a shortened one "::" (so a time such as 12:30:15 is not taken).
	const isAddress = v6 && (v6[1].includes('::') || v6[1].split(':').length === 8);
	return isAddress ? v6[1] : undefined;
}

export async function checkSignIn(
	context: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ lines: CheckLine[]; signedIn: boolean }> {
	const helpers = context.helpers;
	const byLogin = authenticationModeOf(credentials) === 'appIdAccessKey';
	const signIn = byLogin ? LOGIN : TOKEN;
	try {
		if (byLogin) {
			const token = await logIn(helpers, credentials);
			await checkToken(helpers, { ...credentials, sessionToken: token });
		} else {
			await checkToken(helpers, credentials);
		}
	} catch (error) {
		if (!(error instanceof PlatformError)) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex: 0 });
		return { lines: linesForRefusal(error, signIn, byLogin), signedIn: false };
	}
	return {
		lines: [
			passedLine(REACH, `The platform's API answered at ${apiUrlOf(credentials)}.`),
			passedLine(ALLOW_LIST, 'The platform accepts requests from this n8n server\'s IP address.'),
			passedLine(
				signIn,
				byLogin
					? 'The platform accepted the App ID and Access Key, gave a token, and accepted that token.'
					: 'The platform accepted the token.',
			),
		],
		signedIn: true,
	};
}

function linesForRefusal(error: PlatformError, signIn: string, byLogin: boolean): CheckLine[] {
	const reached = passedLine(REACH, 'The platform\'s API answered.');
	const notChecked = (check: string) => uncheckedLine(check, 'Not checked: the line above failed first.');
	const advice = NOT_REACHED_ADVICE[error.kind];
	if (advice) return [failedLine(REACH, error.message, advice), notChecked(ALLOW_LIST), notChecked(signIn)];

	if (error.details.ret === IP_NOT_ALLOWED) {
		const seen = addressIn(error.message);
		return [
			reached,
			failedLine(
				ALLOW_LIST,
				`The platform refused this n8n server's IP address${seen ? ` (it saw the request come from ${seen})` : ''}. ${error.message}`,
				`Ask your platform vendor to add ${seen ?? 'the public (egress) IP address of your n8n server'} to the platform's IP allow-list, then run this check again.${seen ? '' : ' The platform did not say which address it saw: your hosting provider, or a "what is my IP" page opened on the n8n server, can tell you.'}`,
			),
			notChecked(signIn),
		];
	}
	const allowed = passedLine(ALLOW_LIST, 'The platform did not refuse this n8n server\'s IP address.');
	if (error.details.ret === TOKEN_EXPIRED) {
		return [
			reached,
			allowed,
			failedLine(
				signIn,
				`${error.message}${byLogin ? ' (the token the login gave was refused)' : ''}`,
				byLogin
					? 'The platform gave a token at login and then refused it: ask your vendor to check your account.'
					: 'The token is wrong or has expired (tokens last 12 hours). Get a new token from your vendor and put it in the SIP Call API credential, or set the credential\'s Authentication to App ID + Access Key so n8n logs in and renews the token by itself.',
			),
		];
	}
	if (error.kind === 'refused') {
		return [reached, allowed, failedLine(signIn, error.message, 'Check the App ID and Access Key in the SIP Call API credential: copy them again exactly as your vendor issued them.')];
	}
	return [
		reached,
		allowed,
		failedLine(signIn, error.message, `${error.description} Ask your vendor what this answer means for your account (601: App ID not authorised, 602: authorisation expired, 603: the module is not enabled).`),
	];
}
