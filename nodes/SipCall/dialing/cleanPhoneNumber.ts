/**
 * "Clean Up Numbers": a number as Chinese sheets hold it (138 0013 8000, 138-0013-8000, full-width
 * digits, +86 / 0086 / 86 before a mainland number) turned into the digits the platform dials. Only
 * what is certain: a number that does not come out as a mainland mobile or landline number after
 * these steps is left as it was given, for the node to refuse in words.
 */

/** Spaces, dashes, dots and brackets, half- and full-width. */
const SEPARATORS = /[\s\u3000\-\u2010-\u2015\uFF0D.\uFF0E()\uFF08\uFF09[\]【】]/g;
const MOBILE = /^1[3-9]\d{9}$/;
/** A landline with its area code, without the trunk 0: Beijing 10 or 2x and 8 digits, or a 3-digit area code and 7 or 8. */
const LANDLINE_WITHOUT_TRUNK = /^(?:10\d{8}|2\d{9}|[3-9]\d{9,10})$/;

function halfWidth(text: string): string {
	return text.replace(/[\uFF10-\uFF19\uFF0B]/g, (char) => (char === '\uFF0B' ? '+' : String.fromCharCode(char.charCodeAt(0) - 0xfee0)));
}

/** The cleaned number, or undefined when cleaning cannot make it a mainland number with certainty. */
export function cleanPhoneNumber(given: string): string | undefined {
	const compact = halfWidth(given).replace(SEPARATORS, '');
	if (!/^\+?\d+$/.test(compact)) return undefined;
	const international = /^(?:\+86|0086)(\d+)$/.exec(compact)?.[1];
	if (international !== undefined) {
		if (MOBILE.test(international)) return international;
		return LANDLINE_WITHOUT_TRUNK.test(international) ? `0${international}` : undefined;
	}
	// "86" without + or 00 only before a mobile number: 86 is also the start of other numbers.
	if (/^86\d{11}$/.test(compact) && MOBILE.test(compact.slice(2))) return compact.slice(2);
	if (compact.startsWith('+')) return undefined;
	return MOBILE.test(compact) || (compact.startsWith('0') && LANDLINE_WITHOUT_TRUNK.test(compact.slice(1))) ? compact : undefined;
}
