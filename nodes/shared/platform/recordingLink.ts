/**
 * `App.Sip_Cdr.GetRecodeFile`: a recording's download link and when it expires. The platform
 * writes the expiry as text with a prefix ("Expiration time:2025-11-03 10:20:00") in its own time
 * zone; in the vendor's example the link lives five minutes, so it is fetched right before use.
 */
import type { IDataObject } from 'n8n-workflow';

import { parseZonedDateTime, toZonedIso } from '../zonedTime';

export const RECORDING_LINK_SERVICE = 'App.Sip_Cdr.GetRecodeFile';

export interface RecordingLink {
	downloadUrl: string;
	/** ISO 8601 with offset; null when the platform's text holds no time. */
	expiresAt: string | null;
	expiresAtMs: number | undefined;
}

const DATE_TIME = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/;

export function readRecordingLink(result: IDataObject, timeZone: string): RecordingLink | undefined {
	const downloadUrl = typeof result.downurl === 'string' ? result.downurl.trim() : '';
	if (!downloadUrl) return undefined;
	const written = DATE_TIME.exec(String(result.expiredtime ?? ''))?.[0];
	const expiresAtMs = written === undefined ? undefined : parseZonedDateTime(written, timeZone);
	return { downloadUrl, expiresAt: expiresAtMs === undefined ? null : toZonedIso(expiresAtMs, timeZone), expiresAtMs };
}
