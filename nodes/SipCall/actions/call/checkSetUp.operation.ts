/**
 * Call → Check Set-up: a check a user runs once, one item per line. The API URL, the IP allow-list
 * and the token or login first; then, only when "Place a Test Call" is on, one call to the user's
 * own number and its record. Runs once per execution, whatever the number of input items: it
 * never dials twice.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../shared/platform/sendToPlatform';
import { readVoiceMenuRequest } from '../../dialing/readVoiceMenuRequest';
import { checkSignIn } from '../../setUpCheck/signInCheck';
import { readSetUpCheckSettings } from '../../setUpCheck/setUpCheckSettings';
import { checkTestCall, testCallNotRun } from '../../setUpCheck/testCallCheck';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readSetUpCheckSettings(context);
	// Every field is checked before anything is sent.
	const call = settings.placeTestCall ? readVoiceMenuRequest(context, 0, { parameter: 'testCallTo', label: 'Test Call To' }) : undefined;
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);

	const signIn = await checkSignIn(context, credentials);
	const testCall = !call
		? testCallNotRun(
				'Not run: Place a Test Call is off, so nothing was dialed.',
				'To check that calls are recorded and that customuuid comes back whole, turn on Place a Test Call and give your own phone number.',
			)
		: signIn.signedIn
			? await checkTestCall(context, credentials, call, settings)
			: testCallNotRun('Not run: the platform cannot be used until the lines above pass, so nothing was dialed.', 'Fix the failed lines above, then run the check again.');

	return [[...signIn.lines, ...testCall].map((line) => ({ json: { ...line }, pairedItem: { item: 0 } }))];
}
