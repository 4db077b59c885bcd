/**
 * Call → Check Set-up: a check a user runs once, one item per line. The API URL, the IP allow-list
 * and the token or login first; then, only when "Place a Test Call" is on, one call to the user's
 * own number and its record. Runs once per execution, whatever the number of input items: it
 * never dials twice. The test call obeys the node's call limits as Play Voice Menu does (Allowed
 * Numbers, Max Calls per Execution and per Day; as an AI agent's tool, none without Allowed Numbers).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../../shared/platform/sendToPlatform';
import { notAllowedReason, readCallLimits, reserveCalls, type CallLimits, type CallReservation } from '../../dialing/callLimits';
import { readVoiceMenuRequest } from '../../dialing/readVoiceMenuRequest';
import { checkSignIn } from '../../setUpCheck/signInCheck';
import { readSetUpCheckSettings } from '../../setUpCheck/setUpCheckSettings';
import { checkTestCall, testCallNotRun } from '../../setUpCheck/testCallCheck';

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readSetUpCheckSettings(context);
	// Every field is checked before anything is sent.
	const call = settings.placeTestCall ? readVoiceMenuRequest(context, 0, { parameter: 'testCallTo', label: 'Test Call To' }) : undefined;
	const limits = call ? readCallLimits(context, 'checkOptions') : undefined;
	const notAllowed = call && limits ? notAllowedReason(call.destnumber, limits) : undefined;
	if (notAllowed) {
		throw new NodeOperationError(context.getNode(), notAllowed.message.replace('Destination Number', 'Test Call To'), {
			itemIndex: 0,
			description: notAllowed.description.replace('for this row', 'for the test call'),
		});
	}
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);

	const signIn = await checkSignIn(context, credentials);
	const testCall = !call || !limits
		? testCallNotRun(
				'Not run: Place a Test Call is off, so nothing was dialed.',
				'To check that calls are recorded and that customuuid comes back whole, turn on Place a Test Call and give your own phone number.',
			)
		: signIn.signedIn
			? await checkTestCall(context, credentials, call, settings, await reserveTestCall(context, limits))
			: testCallNotRun('Not run: the platform cannot be used until the lines above pass, so nothing was dialed.', 'Fix the failed lines above, then run the check again.');

	return [[...signIn.lines, ...testCall].map((line) => ({ json: { ...line }, pairedItem: { item: 0 } }))];
}

/** The test call's place under Max Calls per Execution and per Day; refused in words when they leave none. */
async function reserveTestCall(context: IExecuteFunctions, limits: CallLimits): Promise<CallReservation> {
	const reservation = await reserveCalls(context, limits, 1, 1);
	if (!reservation.refusal) return reservation;
	throw new NodeOperationError(context.getNode(), reservation.refusal.message.replace('this row was not called', 'the test call was not placed'), {
		itemIndex: 0,
		description: reservation.refusal.description.replace('Nothing was sent for this row.', 'Nothing was dialed.'),
	});
}
