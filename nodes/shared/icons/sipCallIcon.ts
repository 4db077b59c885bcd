/**
 * The package's one icon, light and dark. n8n reads a `file:` path relative to the file that
 * declares it: node files sit in nodes/<Node>/, credential files in credentials/.
 */
import type { Icon } from 'n8n-workflow';

export const nodeIcon: Icon = { light: 'file:../shared/icons/sipCall.svg', dark: 'file:../shared/icons/sipCall.dark.svg' };

export const credentialIcon: Icon = {
	light: 'file:../nodes/shared/icons/sipCall.svg',
	dark: 'file:../nodes/shared/icons/sipCall.dark.svg',
};
