/**
 * Options → Calling Window in the node: the setting, the decision before each row's first request,
 * and the rows left for the window's next opening, which leave on the "Outside Calling Window"
 * output (wired through n8n's Wait node back into the node).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { settingOrThrow } from '../../shared/settingProblem';
import { toZonedIso } from '../../shared/zonedTime';
import { isOpen, nextOpeningMs, readCallingWindow, type CallingWindow } from './callingWindow';
import { dialingPlatformTimeZone } from './paceSettings';

/** The field that marks a row left for the window's next opening. */
export const OUTSIDE_CALLING_WINDOW = 'outsideCallingWindow';

/** The Calling Window, checked before anything is sent; undefined when the option is not set. */
export function readCallingWindowOption(context: IExecuteFunctions): CallingWindow | undefined {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const option = (options.callingWindow as IDataObject | undefined)?.window as IDataObject | undefined;
	if (!option) return undefined;
	return settingOrThrow(context.getNode(), readCallingWindow(option, dialingPlatformTimeZone(context)));
}

/**
 * Whether a row may be sent now. Once the window is found shut, it stays shut for the rest of the
 * batch: no row is sent after one was left out, so the rows left out are those not yet sent.
 */
export class CallingWindowGate {
	/** The next opening, once the window was found shut. */
	shutOpensAtMs: number | undefined;

	/** The zone the window's days and hours are read in (empty without a window: it never shuts then). */
	readonly timeZone: string;

	constructor(private readonly window: CallingWindow | undefined) {
		this.timeZone = window?.timeZone ?? '';
	}

	/** The next opening when the row must not be sent at `nowMs`; undefined when it may. */
	opensAtIfShut(nowMs: number): number | undefined {
		if (this.window && this.shutOpensAtMs === undefined && !isOpen(this.window, nowMs)) this.shutOpensAtMs = nextOpeningMs(this.window, nowMs);
		return this.shutOpensAtMs;
	}
}

/**
 * A row left for the next opening: the input item as it came (so the node's expressions read it
 * again after the Wait node), marked, with the time to wait until in the window's zone, and that zone.
 */
export function outsideWindowRow(context: IExecuteFunctions, itemIndex: number, opensAtMs: number, timeZone: string): INodeExecutionData {
	const input = context.getInputData()[itemIndex];
	return {
		json: { ...input.json, [OUTSIDE_CALLING_WINDOW]: true, callingWindowOpensAt: toZonedIso(opensAtMs, timeZone), callingWindowTimeZone: timeZone },
		...(input.binary ? { binary: input.binary } : {}),
		pairedItem: { item: itemIndex },
	};
}

/** The node's outputs: the rows dealt with, then (when there are any) the rows left for the window's next opening. */
export function splitByCallingWindow(rows: INodeExecutionData[]): INodeExecutionData[][] {
	const outside = rows.filter((row) => row.json?.[OUTSIDE_CALLING_WINDOW] === true);
	if (!outside.length) return [rows];
	return [rows.filter((row) => row.json?.[OUTSIDE_CALLING_WINDOW] !== true), outside];
}
