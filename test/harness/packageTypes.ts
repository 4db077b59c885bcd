/**
 * The package's node and credential types as n8n loads them: by their package-qualified names
 * (n8n-nodes-sipcall.sipCall), from the TypeScript sources under test.
 */
import type { ICredentialType, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SipCallApi } from '../../credentials/SipCallApi.credentials';
import { SipCall } from '../../nodes/SipCall/SipCall.node';
import { SipCallRecordTrigger } from '../../nodes/SipCallRecordTrigger/SipCallRecordTrigger.node';
import { SipCallTrigger } from '../../nodes/SipCallTrigger/SipCallTrigger.node';

export const PACKAGE = 'n8n-nodes-sipcall';
export const SIP_CALL = `${PACKAGE}.sipCall`;
export const SIP_CALL_TRIGGER = `${PACKAGE}.sipCallTrigger`;
export const SIP_CALL_RECORD_TRIGGER = `${PACKAGE}.sipCallRecordTrigger`;
/** The node as an AI agent's tool: n8n runs the same node under its type name plus "Tool". */
export const SIP_CALL_TOOL = `${SIP_CALL}Tool`;

const nodes: Record<string, INodeType> = {
	[SIP_CALL]: new SipCall(),
	[SIP_CALL_TOOL]: new SipCall(),
	[SIP_CALL_TRIGGER]: new SipCallTrigger(),
	[SIP_CALL_RECORD_TRIGGER]: new SipCallRecordTrigger(),
};

export const credentialTypes: Record<string, ICredentialType> = { sipCallApi: new SipCallApi() };

export const nodeTypes: INodeTypes = {
	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = nodes[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	},
	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	},
	getKnownTypes() {
		return {};
	},
};
