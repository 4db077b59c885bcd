import type { INodeProperties } from 'n8n-workflow';

import { PACE_DEFAULTS } from '../dialing/paceSettings';
import { CALLING_WINDOW_DEFAULTS, WEEKDAYS } from '../dialing/callingWindow';

// Identifiers, not PACE_DEFAULTS.x: n8n's lint reads a default only from a literal or an identifier.
const { callsPerSecond, maxInFlight, maxRetries, timeoutMs, slowDownCodes } = PACE_DEFAULTS;
const { hours, timeZone } = CALLING_WINDOW_DEFAULTS;
const mondayFirst = [...WEEKDAYS.slice(1), WEEKDAYS[0]];

/** The call limits, offered with Play Voice Menu, call and wait, and Check Set-up's test call (callLimits.ts reads them). */
export const allowedNumbersOption: INodeProperties = {
	displayName: 'Allowed Numbers',
	name: 'allowedNumbers',
	type: 'string',
	default: '',
	placeholder: '138*, 139*, 0571????????',
	description:
		'Only numbers matching one of these patterns are called; any other row is refused, naming it, before anything is sent. * stands for any digits, ? for one digit, separated by commas. Required when an AI agent uses this node as a tool (it then places no call without it), so the agent can only call the numbers you meant. Empty: any number.',
};

export const maxCallsPerDayOption: INodeProperties = {
	displayName: 'Max Calls per Day',
	name: 'maxCallsPerDay',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 10000, numberPrecision: 0 },
	default: 0,
	description:
		"The most calls this node places in one day (the platform's day), across every execution of this workflow: a chat agent starts an execution per message, so this is the cap that holds for it. Kept in n8n's database (restarts and queue mode keep it). Rows beyond it are refused in words. 0 = no limit.",
};

export const maxCallsPerExecutionOption: INodeProperties = {
	displayName: 'Max Calls per Execution',
	name: 'maxCallsPerExecution',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 0,
	description:
		'The most calls this node places in one execution, counting every time it runs in it (an AI agent calling it as a tool again and again, or a loop). Rows beyond it are refused in words, and nothing is sent for them. 0 = no limit.',
};

export const paceOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { resource: ['call'], operation: ['playVoiceMenu', 'playVoiceMenuAndWait'] } },
	options: [
		allowedNumbersOption,
		{
			displayName: 'Calling Window',
			name: 'callingWindow',
			type: 'fixedCollection',
			// Literals: n8n's lint reads no identifier here. test/unit/paceOptions.test.ts holds them to CALLING_WINDOW_DEFAULTS.
			default: { window: { days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], hours: '09:00-20:00', timeZone: '' } },
			description:
				'Call only on these days and hours. A row due outside them is not called: it and every row after it leave on the Outside Calling Window output, with the time the window opens in callingWindowOpensAt. Wire that output into a Wait node (Resume: At Specified Time, set to that field) and back into this node. Play Voice Menu and Wait for Result has one output: such rows come out with the results, marked outsideCallingWindow: route them with an IF node.',
			options: [
				{
					displayName: 'Window',
					name: 'window',
					values: [
						{
							displayName: 'Days',
							name: 'days',
							type: 'multiOptions',
							options: mondayFirst.map((day) => ({ name: day[0].toUpperCase() + day.slice(1), value: day })),
							default: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
							description: 'The days on which calls may be placed',
						},
						{
							displayName: 'Hours',
							name: 'hours',
							type: 'string',
							default: hours,
							placeholder: '09:00-12:00, 14:00-20:00',
							description: 'One or more 24-hour ranges, separated by commas; each ends on the day it starts (write a night as 00:00-09:00, 20:00-24:00)',
						},
						{
							displayName: 'Time Zone',
							name: 'timeZone',
							type: 'string',
							default: timeZone,
							placeholder: 'Asia/Shanghai',
							description:
								"The zone of Days and Hours, an IANA name: where the people called are. Empty: the platform's time zone (Wait Options → Platform Time Zone with Play Voice Menu and Wait, otherwise Asia/Shanghai), never n8n's own. Rows left outside name it in callingWindowTimeZone.",
						},
					],
				},
			],
		},
		{
			displayName: 'Calls per Second',
			name: 'callsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: callsPerSecond,
			description:
				'The most calls this node sends in any one second within one execution, spread evenly (1/C second apart; 0 = no limit). Executions are not paced together: a trigger that starts one execution per lead is not held by it. Set it to the rate your vendor allows your account: the vendor documents no limit and no code for a refusal over one.',
		},
		{
			displayName: 'Clean Up Numbers',
			name: 'cleanUpNumbers',
			type: 'boolean',
			default: false,
			description:
				'Whether to turn numbers as sheets hold them into the digits the platform dials: spaces, dashes, dots and brackets removed, full-width digits made plain, +86, 0086 or 86 before a mainland number dropped (a landline gets its 0). A number that cannot be cleaned with certainty is refused, naming the row. Each item shows the number sent, in destnumber.',
		},
		maxCallsPerDayOption,
		maxCallsPerExecutionOption,
		{
			displayName: 'Max Requests in Flight',
			name: 'maxInFlight',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: maxInFlight,
			description: 'How many requests may wait for the platform\'s answer at the same time',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: maxRetries,
			description:
				'Retries for a request the platform provably did not act on: it could not be reached, or it refused the call as too many or too fast (see Slow-Down Error Codes)',
		},
		{
			displayName: 'Request Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: timeoutMs,
			description:
				'How long to wait for the platform\'s answer. A request that times out may still have placed the call, so it is reported, not retried.',
		},
		{
			displayName: 'Retry Even If the Call May Have Been Placed',
			name: 'retryWhenUnsure',
			type: 'boolean',
			default: false,
			description:
				'Whether to also retry after a timeout, a dropped connection, a 5xx or an answer that is not JSON. The first request may have placed the call, so this MAY CALL THE SAME PERSON TWICE.',
		},
		{
			displayName: 'Skip Numbers Already Called',
			name: 'skipAlreadyCalled',
			type: 'fixedCollection',
			default: { settings: { lookBackHours: 24, matchBy: 'number', platformTimeZone: '' } },
			description:
				'Leave out rows called lately, so that a list run again, retried or started twice rings nobody a second time. The platform\'s call records are read for the look-back, and calls this workflow placed that are not recorded yet are remembered in n8n. Skipped rows come out with skipped = true and skipReason.',
			options: [
				{
					displayName: 'Settings',
					name: 'settings',
					values: [
						{
							displayName: 'Look Back (Hours)',
							name: 'lookBackHours',
							type: 'number',
							typeOptions: { minValue: 1, numberPrecision: 0 },
							default: 24,
							description: 'A call to the same number within this many hours counts as already called',
						},
						{
							displayName: 'Match By',
							name: 'matchBy',
							type: 'options',
							options: [
								{ name: 'Number', value: 'number', description: 'The same destination number' },
								{
									name: 'Custom Data',
									value: 'customData',
									description:
										'The same Custom Data (for example a CRM ID), whatever the number. Calls placed by Play Voice Menu and Wait carry a reference of their own on the platform, not your Custom Data: after about an hour they are found only by Number. A row without Custom Data cannot be matched this way and is dialed.',
								},
								{ name: 'Number and Custom Data', value: 'both', description: 'The same number with the same Custom Data' },
							],
							default: 'number',
						},
						{
							displayName: 'Platform Time Zone',
							name: 'platformTimeZone',
							type: 'string',
							default: '',
							placeholder: 'Asia/Shanghai',
							description: 'The time zone the platform writes call times in, to read the right hours back. Empty: Asia/Shanghai (or Wait Options → Platform Time Zone).',
						},
					],
				},
			],
		},
		{
			displayName: 'Slow-Down Error Codes',
			name: 'slowDownCodes',
			type: 'string',
			default: slowDownCodes,
			description:
				'Only if your vendor names codes that mean "too many calls, try later": those data.errors.code values, separated by commas. Such refusals are waited out and retried. The vendor publishes none, so this is empty by default; never list codes about extensions or numbers (such as 1011, 1012), retrying them cannot help.',
		},
	],
};
