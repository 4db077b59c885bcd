'use strict';
/**
 * The platform's call records (CDRs) and `App.Sip_Cdr.GetBill`, as ../shared/spec/vendor-api.md
 * describes them: a dial-time window in Beijing time, filters, pages of up to 1,000, and syncflag
 * 1 ("records not fetched before": returning a record marks it fetched, for every reader of the
 * account), 2 ("fetched before") or 3 (all). A record becomes visible when the platform writes it,
 * which may be later than the call's end (`recordDelayMs`), as on a busy platform.
 */
const { randomUUID } = require('node:crypto');

const { localTime } = require('./callLifecycle');

const MAX_PER_PAGE = 1000;
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DIRECTIONS = { callout: 2, callin: 1 };

function createCallRecordStore() {
	/** { record, visibleAtMs, fetched } in id order. */
	const entries = [];

	function add(record, visibleAtMs = Date.now()) {
		// Ids mostly come in order: find the place from the end, so a busy account's thousands of records load at once.
		let at = entries.length;
		while (at > 0 && Number(entries[at - 1].record.id) > Number(record.id)) at--;
		entries.splice(at, 0, { record, visibleAtMs, fetched: false });
	}

	function visible(now = Date.now()) {
		return entries.filter((entry) => entry.visibleAtMs <= now);
	}

	/** Answers GetBill's fields with PhalApi's `{ ret, data, msg }` parts: `{ error }` or `{ result }`. */
	function getBill(fields) {
		const page = fields.currentpage === undefined || fields.currentpage === '' ? 1 : Number(fields.currentpage);
		const perPage = fields.itemsperpage === undefined || fields.itemsperpage === '' ? 10 : Number(fields.itemsperpage);
		const syncflag = fields.syncflag === undefined || fields.syncflag === '' ? 1 : Number(fields.syncflag);
		const direction = fields.direction === undefined || fields.direction === '' ? 3 : Number(fields.direction);
		const callmethod = fields.callmethod === undefined || fields.callmethod === '' ? 3 : Number(fields.callmethod);
		if (!Number.isInteger(page) || page < 1) return { error: 'currentpage必须为正整数' };
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) return { error: `itemsperpage必须在1到${MAX_PER_PAGE}之间` };
		if (![1, 2, 3].includes(syncflag)) return { error: 'syncflag只能为1、2或3' };
		if (![1, 2, 3].includes(direction)) return { error: 'direction只能为1、2或3' };
		if (!Number.isInteger(callmethod) || callmethod < 0 || callmethod > 6) return { error: 'callmethod只能为0到6' };
		for (const name of ['starttime', 'endtime']) {
			if (fields[name] && !TIME.test(fields[name])) return { error: `${name}格式错误，应为yyyy-mm-dd hh:mm:ss` };
		}

		const extensions = String(fields.extnumber ?? '').split(',').map((text) => text.trim()).filter(Boolean);
		const chengshudu = fields.extchengshudu ?? fields.chengshudu;
		const matches = visible().filter(({ record, fetched }) => {
			if (syncflag === 1 && fetched) return false;
			if (syncflag === 2 && !fetched) return false;
			if (fields.starttime && record.starttime < fields.starttime) return false;
			if (fields.endtime && record.starttime > fields.endtime) return false;
			if (direction !== 3 && (DIRECTIONS[record.type] ?? 2) !== direction) return false;
			if (callmethod !== 0 && Number(record.callmethod) !== callmethod) return false;
			if (extensions.length && !extensions.includes(String(record.extnumber))) return false;
			for (const name of ['destnumber', 'userid', 'memberid', 'customuuid']) {
				if (fields[name] && String(record[name] ?? '') !== fields[name]) return false;
			}
			if (chengshudu && String(record.chengshudu ?? '') !== chengshudu) return false;
			return true;
		});
		const pageEntries = matches.slice((page - 1) * perPage, page * perPage);
		if (syncflag === 1) for (const entry of pageEntries) entry.fetched = true;
		return {
			result: {
				totalitems: matches.length,
				currentpage: page,
				itemsperpage: perPage,
				bills: pageEntries.map(({ record }) => ({ ...record })),
			},
		};
	}

	return { add, getBill, all: () => entries.map((entry) => entry.record), visible: () => visible().map((entry) => entry.record) };
}

/** A whole record from the fields a test cares about; the rest as the platform writes them. */
function completeCallRecord(partial, id, { company, callerNumbers }) {
	const starttime = partial.starttime ?? localTime(Date.now() - 60000);
	return {
		answertime: '', hangupcause: 10001, duration: 0, id, extnumber: '', uuid: randomUUID(), downloadip: company.ip,
		customuuid: '', chengshudu: '1', callmethod: 6, recordfilename: '', companycode: Number(company.companycode),
		memberid: '0', hangupdirection: 10040, billsec: 0, endtime: starttime, starttime, type: 'callout',
		disnumber: callerNumbers[0], crmid: '0', userkey: '', destnumber: '13800000000',
		...partial,
	};
}

module.exports = { createCallRecordStore, completeCallRecord, MAX_PER_PAGE };
