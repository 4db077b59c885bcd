/** Addresses and CIDR ranges, IPv4 and IPv6: the trigger's IP allow-list, and the internal ranges a recording link may not point into. */

function parseIpv4(text: string): bigint | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0n;
	for (const part of parts) {
		if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
		value = (value << 8n) + BigInt(Number(part));
	}
	return value;
}

function parseIpv6(text: string): bigint | undefined {
	let address = text.toLowerCase().replace(/%.*$/, '');
	const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (embedded) {
		const v4 = parseIpv4(embedded[1]);
		if (v4 === undefined) return undefined;
		address = `${address.slice(0, -embedded[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
	}
	const halves = address.split('::');
	if (halves.length > 2) return undefined;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const missing = 8 - head.length - tail.length;
	if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
	const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	let value = 0n;
	for (const group of groups) {
		if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
		value = (value << 16n) + BigInt(parseInt(group, 16));
	}
	return value;
}

interface Address {
	value: bigint;
	bits: 32 | 128;
}

/** Reads an address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is read as the IPv4 address. */
export function parseAddress(text: string): Address | undefined {
	const trimmed = text.trim().replace(/^\[|\]$/g, '');
	const v4 = parseIpv4(trimmed);
	if (v4 !== undefined) return { value: v4, bits: 32 };
	const v6 = parseIpv6(trimmed);
	if (v6 === undefined) return undefined;
	if (v6 >> 32n === 0xffffn) return { value: v6 & 0xffffffffn, bits: 32 };
	return { value: v6, bits: 128 };
}

export interface AllowedRange {
	text: string;
	base: Address;
	prefix: number;
}

/** Parses "203.0.113.7, 198.51.100.0/24, 2001:db8::/32"; returns the entries it cannot read as errors. */
export function parseAllowList(text: string): { ranges: AllowedRange[]; invalid: string[] } {
	const ranges: AllowedRange[] = [];
	const invalid: string[] = [];
	for (const entry of text.split(/[\s,;]+/).filter(Boolean)) {
		const [addressText, prefixText, extra] = entry.split('/');
		const base = parseAddress(addressText);
		const prefix = prefixText === undefined ? base?.bits : Number(prefixText);
		if (!base || extra !== undefined || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > base.bits) {
			invalid.push(entry);
			continue;
		}
		ranges.push({ text: entry, base, prefix });
	}
	return { ranges, invalid };
}

export function isAllowed(clientIp: string, ranges: AllowedRange[]): boolean {
	const client = parseAddress(clientIp);
	if (!client) return false;
	return ranges.some(({ base, prefix }) => {
		if (base.bits !== client.bits) return false;
		const shift = BigInt(base.bits - prefix);
		return base.value >> shift === client.value >> shift;
	});
}
