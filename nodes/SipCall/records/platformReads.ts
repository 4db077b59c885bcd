/**
 * What the pull operations (Call Record, Recording, Get Results) share: reading services with the
 * credential, the platform's time zone, and per-item errors. Reads place no call, so a failed
 * read may be repeated; each is still sent once per need, never retried blindly.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readPlatformTimeZone } from '../../shared/callbacks/callbackSettings';
import { CREDENTIAL_TYPE, sendToPlatform, type SendForm } from '../../shared/platform/sendToPlatform';
import { settingOrThrow } from '../../shared/settingProblem';
import { toNodeError } from '../dialing/dialBatch';
import { forErrorOutput, usesErrorOutput } from '../errorOutput';

const READ_TIMEOUT_MS = 30_000;

export async function platformSender(context: IExecuteFunctions): Promise<SendForm> {
	const credentials: ICredentialDataDecryptedObject = await context.getCredentials(CREDENTIAL_TYPE);
	return async (form) => await sendToPlatform(context, credentials, form, { timeoutMs: READ_TIMEOUT_MS });
}

/** The options' "Platform Time Zone" (the shared `timeZone` option and its default). */
export function platformTimeZoneOf(context: IExecuteFunctions, options: IDataObject, itemIndex: number): string {
	return settingOrThrow(context.getNode(), readPlatformTimeZone(options.timeZone), itemIndex);
}

/**
 * With "Continue On Fail" an item that carries the error, paired to its input (in the form n8n moves
 * to the error output, when that is the node's On Error setting); otherwise the error is thrown.
 */
export function errorItem(context: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const nodeError = toNodeError(context, error, itemIndex);
	if (!context.continueOnFail()) throw nodeError;
	const item = { json: { error: nodeError.message, errorDescription: nodeError.description ?? null }, pairedItem: { item: itemIndex } };
	return usesErrorOutput(context) ? forErrorOutput(item) : item;
}
