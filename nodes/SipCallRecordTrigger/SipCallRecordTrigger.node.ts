import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callbackOutputsExpression } from '../shared/callbacks/callbackDescription';
import { nodeIcon } from '../shared/icons/sipCallIcon';
import { PlatformError } from '../shared/platform/platformErrors';
import { CREDENTIAL_TYPE } from '../shared/platform/sendToPlatform';
import { settingOrThrow } from '../shared/settingProblem';
import { isWaitedCall } from '../shared/waitReference';
import { unlessAPollIsRunning } from './onePollAtATime';
import { pollNewRecords, routeRecords, sampleRecords } from './pollCallRecords';
import { readRecordTriggerSettings } from './recordTriggerSettings';
import { recordTriggerProperties } from './SipCallRecordTriggerDescription';

export class SipCallRecordTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SIP Call Record Trigger',
		name: 'sipCallRecordTrigger',
		icon: nodeIcon,
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["output"] === "routeByKey" ? "Route by key" : "New call records"}}',
		description:
			'Starts the workflow once per new call record (CDR), pulled from the SIP call-center platform on a schedule',
		defaults: { name: 'SIP Call Record Trigger' },
		polling: true,
		inputs: [],
		outputs: callbackOutputsExpression,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: recordTriggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = settingOrThrow(this.getNode(), readRecordTriggerSettings(this));
		try {
			if (this.getMode() === 'manual') return routeRecords(this, await sampleRecords(this, settings), settings);
			return await unlessAPollIsRunning(this.getWorkflowStaticData('node'), async () => {
				const fresh = await pollNewRecords(this, settings);
				// The first activation only records its baseline: n8n would emit anything returned now.
				if (fresh === null) return null;
				// A waited call's execution reads its record from the platform by itself.
				const records = settings.includeWaitedCalls ? fresh : fresh.filter((record) => !isWaitedCall(record));
				return records.length ? routeRecords(this, records, settings) : null;
			});
		} catch (error) {
			if (error instanceof PlatformError) throw new NodeOperationError(this.getNode(), error.message, { description: error.description });
			throw new NodeOperationError(this.getNode(), error as Error);
		}
	}
}
