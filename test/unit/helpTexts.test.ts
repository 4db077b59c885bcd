/** What the editor shows: help that matches the code, and no working default that points at a simulator. */
import type { INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SipCallApi } from '../../credentials/SipCallApi.credentials';
import { SipCall } from '../../nodes/SipCall/SipCall.node';
import { SipCallTrigger } from '../../nodes/SipCallTrigger/SipCallTrigger.node';
import { SipCallRecordTrigger } from '../../nodes/SipCallRecordTrigger/SipCallRecordTrigger.node';
import { POLL_EVERY_MS } from '../../nodes/SipCall/waitForResult/accountReader';
import { RESUME_GRACE_MS } from '../../nodes/SipCall/waitForResult/waitTiming';

const sipCall = new SipCall().description;
const property = (name: string) => sipCall.properties.find((candidate) => candidate.name === name) as INodeProperties;
const shownFor = (parameter: INodeProperties, resource: string, operation: string) =>
	NodeHelpers.displayParameter({ resource, operation }, parameter, { typeVersion: 1 }, sipCall);

/** Every text of a property and its options, nested ones included. */
function textsOf(properties: unknown[]): string[] {
	return properties.flatMap((entry) => {
		const { displayName, description, hint, placeholder, options, values } = entry as Record<string, unknown>;
		const own = [displayName, description, hint, placeholder].filter((text): text is string => typeof text === 'string');
		return [...own, ...textsOf(Array.isArray(options) ? options : []), ...textsOf(Array.isArray(values) ? values : [])];
	});
}

test('the API URL has no default: the user enters the platform address, the example is a documentation address', () => {
	const apiUrl = new SipCallApi().properties.find((field) => field.name === 'apiUrl') as INodeProperties;
	expect(apiUrl).toMatchObject({ default: '', required: true });
	expect(apiUrl.placeholder).toMatch(/^http:\/\/203\.0\.113\.\d+:\d+$/);
});

test('the Retry On Fail warning shows for the operations that place calls, and only there', () => {
	const notice = property('retryOnFailNotice');
	expect(notice.type).toBe('notice');
	expect(notice.displayName).toMatch(/Max Retries[\s\S]*Retry On Fail[\s\S]*all its input rows[\s\S]*not called again[\s\S]*may have gone out stops every try/);
	expect(shownFor(notice, 'call', 'playVoiceMenu')).toBe(true);
	expect(shownFor(notice, 'call', 'playVoiceMenuAndWait')).toBe(true);
	for (const [resource, operation] of [['call', 'getResults'], ['callRecord', 'getMany'], ['recording', 'get'], ['callback', 'parse']]) {
		expect(shownFor(notice, resource, operation)).toBe(false);
	}
});

test('call and wait says where its results come from, that no trigger is needed, and what a restart does', () => {
	const notice = property('waitNotice').displayName;
	expect(notice).toContain(`the platform's call records (App.Sip_Cdr.GetBill, every ${POLL_EVERY_MS / 1000} seconds, one reader per account)`);
	expect(notice).toContain('No callback address or trigger is needed');
	// The numbers the help gives are the code's: the reader's poll, and how long after the limit n8n itself resumes.
	expect(property('waitLimit').description).toMatch(/If n8n restarts during the wait.*Call → Get Results/);
	expect(property('waitLimit').description).toContain(`about ${RESUME_GRACE_MS / 1000} seconds after the limit`);
});

test('Custom Data says what each operation sends as customuuid', () => {
	const customData = textsOf([property('additionalFields')]).find((text) => text.startsWith('Your own reference')) as string;
	expect(customData).toMatch(/Play Voice Menu sends it as the platform field "customuuid"/);
	expect(customData).toMatch(/Wait for Result sends its own wait reference/);
});

test('every expression quoted in a help text uses n8n variable names as n8n spells them', () => {
	const nodes = [sipCall, new SipCallTrigger().description, new SipCallRecordTrigger().description];
	const texts = [...nodes.flatMap((node) => textsOf(node.properties)), ...textsOf(new SipCallApi().properties)];
	const variables = texts.flatMap((text) => [...text.matchAll(/\{\{([^}]*)\}\}/g)].flatMap((match) => match[1].match(/\$\w+/g) ?? []));
	for (const variable of variables) expect(['$json', '$parameter', '$credentials', '$execution', '$input', '$node', '$now']).toContain(variable);
});
