/**
 * Parse Callback: the SIP Call Trigger's work for callbacks received by n8n's own Webhook node.
 * The same body reading, classification, normalization and routing; duplicates are recognised
 * with n8n's deduplication store, which execute functions have and webhook functions do not.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildCallbackOutputs } from '../../../shared/callbacks/callbackOutputs';
import { readCallbackSettings, type CallbackSettings } from '../../../shared/callbacks/callbackSettings';
import { callbackIdentity, classifyCallback } from '../../../shared/callbacks/classifyCallback';
import { readCallbackBody } from '../../../shared/callbacks/readCallbackBody';
import { settingOrThrow } from '../../../shared/settingProblem';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface ParseSettings extends CallbackSettings {
	failUnknown: boolean;
}

function readParseSettings(context: IExecuteFunctions): ParseSettings {
	const options = context.getNodeParameter('parseOptions', 0, {}) as IDataObject;
	const shared = settingOrThrow(context.getNode(), readCallbackSettings((name, fallback) => context.getNodeParameter(name, 0, fallback), options));
	return { ...shared, failUnknown: options.unknownPayloads === 'fail' };
}

function payloadsOf(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const body = context.getNodeParameter('body', itemIndex, undefined) as unknown;
	const asText = typeof body === 'string';
	const read = readCallbackBody(
		{ contentType: asText ? 'text/plain' : 'application/json', parsedBody: body, rawBody: asText ? Buffer.from(body) : undefined },
		MAX_BODY_BYTES,
	);
	if (!read.ok) {
		throw new NodeOperationError(context.getNode(), read.message, {
			itemIndex,
			description: 'Body must be the callback as the platform sent it: from a Webhook node, {{ $json.body }}.',
		});
	}
	return read.payloads;
}

function readItem(
	context: IExecuteFunctions,
	itemIndex: number,
	settings: ParseSettings,
): { payloads?: IDataObject[]; error?: NodeOperationError } {
	let payloads: IDataObject[];
	try {
		payloads = payloadsOf(context, itemIndex);
	} catch (error) {
		return { error: error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error, { itemIndex }) };
	}
	const unknown = payloads.filter((payload) => classifyCallback(payload) === 'unknown').length;
	if (unknown && settings.failUnknown) {
		return {
			error: new NodeOperationError(
				context.getNode(),
				`${unknown} of ${payloads.length} payloads are neither an extension status nor a call detail record`,
				{ itemIndex, description: 'Set Unrecognized Payloads to "Emit as Unknown Event" to let them through.' },
			),
		};
	}
	return { payloads };
}

export async function execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const settings = readParseSettings(context);
	const items = context.getInputData();
	const outputs: INodeExecutionData[][] = Array.from({ length: settings.routedKeys ? settings.routedKeys.length + 3 : 1 }, () => []);
	const parsed: Array<{ itemIndex: number; payloads?: IDataObject[]; error?: NodeOperationError }> = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = readItem(context, itemIndex, settings);
		if (result.error && !context.continueOnFail()) throw result.error;
		parsed.push({ itemIndex, ...result });
	}

	const isDuplicate = settings.dropDuplicates ? await recordIdentities(context, parsed, settings) : undefined;
	for (const { itemIndex, payloads, error } of parsed) {
		if (error) {
			outputs[0].push({ json: { error: error.message }, pairedItem: { item: itemIndex } });
			continue;
		}
		const built = buildCallbackOutputs(payloads ?? [], { ...settings, isDuplicate });
		built.outputs.forEach((jsonItems, output) => {
			for (const json of jsonItems) outputs[output].push({ json, pairedItem: { item: itemIndex } });
		});
	}
	return outputs;
}

/** Asks n8n's deduplication store once for the whole batch; copies inside the batch count too. */
async function recordIdentities(
	context: IExecuteFunctions,
	parsed: Array<{ payloads?: IDataObject[] }>,
	settings: ParseSettings,
): Promise<(identity: string) => boolean> {
	const identities = new Set<string>();
	for (const { payloads } of parsed) {
		for (const payload of payloads ?? []) {
			const identity = callbackIdentity(payload, classifyCallback(payload));
			if (identity !== undefined) identities.add(identity);
		}
	}
	const fresh = identities.size
		? new Set(
				(
					await context.helpers.checkProcessedAndRecord([...identities], 'node', {
						mode: 'entries',
						maxEntries: settings.duplicateWindow,
					})
				).new.map(String),
			)
		: new Set<string>();
	const seenInBatch = new Set<string>();
	return (identity) => {
		if (!fresh.has(identity) || seenInBatch.has(identity)) return true;
		seenInBatch.add(identity);
		return false;
	};
}
