'use strict';
/**
 * What a benchmark reads from the simulator, kept as counters that do not grow with the number of
 * requests: requests per service, calls placed, connections accepted, and the most connections
 * open at once since the last `resetMostOpen()`. Kept in every mode; with `keepRecords: false` it
 * is all the simulator keeps.
 */
function createRequestCounts() {
	const requests = new Map();
	let calls = 0;
	let connections = 0;
	let open = 0;
	let mostOpen = 0;
	return {
		request(service) {
			requests.set(service, (requests.get(service) ?? 0) + 1);
		},
		call() {
			calls += 1;
		},
		connectionOpened() {
			connections += 1;
			open += 1;
			mostOpen = Math.max(mostOpen, open);
		},
		connectionClosed() {
			open -= 1;
		},
		/** From now on, the most connections open at once counts from those open now. */
		resetMostOpen() {
			mostOpen = open;
		},
		snapshot() {
			return { requests: Object.fromEntries(requests), calls, connections, connectionsOpen: open, mostConnectionsOpen: mostOpen };
		},
	};
}

module.exports = { createRequestCounts };
