import { sipCallOutputsExpression } from '../../nodes/SipCall/descriptions/GetResultsDescription';

// The editor evaluates the expression with $parameter; evaluated here as plain JavaScript.
const outputsFor = (parameters: Record<string, unknown>) =>
	(new Function('$parameter', `return ${sipCallOutputsExpression.slice(3, -2)}`)(parameters) as Array<{ displayName?: string }>).map((output) => output.displayName ?? 'main');

test('Get Results has "Completed" and "Pending"; the other operations keep their outputs', () => {
	expect(outputsFor({ resource: 'call', operation: 'getResults' })).toEqual(['Completed', 'Pending']);
	expect(outputsFor({ resource: 'call', operation: 'playVoiceMenu' })).toEqual(['main']);
	expect(outputsFor({ resource: 'call', operation: 'playVoiceMenu', options: { callingWindow: {} } })).toEqual(['main']);
	expect(outputsFor({ resource: 'callRecord', operation: 'getMany' })).toEqual(['main']);
	expect(outputsFor({ resource: 'callback', operation: 'parse', output: 'routeByKey', routedKeys: '1, 2' })).toEqual(['Key 1', 'Key 2', 'Answered, No Key', 'Not Answered', 'Other']);
});

test('Play Voice Menu with a Calling Window has "Calls" and "Outside Calling Window"; the wait keeps one output (n8n 1.x forwards only the first of a resumed node)', () => {
	const options = { callingWindow: { window: { days: ['monday'], hours: '09:00-20:00', timeZone: '' } } };
	expect(outputsFor({ resource: 'call', operation: 'playVoiceMenu', options })).toEqual(['Calls', 'Outside Calling Window']);
	expect(outputsFor({ resource: 'call', operation: 'playVoiceMenuAndWait', options })).toEqual(['main']);
	expect(outputsFor({ resource: 'call', operation: 'getResults', options })).toEqual(['Completed', 'Pending']);
});
