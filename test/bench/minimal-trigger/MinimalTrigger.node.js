'use strict';
/**
 * Benchmark only: the smallest webhook trigger a community package can have. It emits the request
 * body as one item and answers at once, so its callbacks per second are the floor n8n sets for any
 * community trigger. Plain JavaScript, committed as it runs: the benchmark loads it without a build.
 */
class MinimalTrigger {
	constructor() {
		this.description = {
			displayName: 'Minimal Trigger',
			name: 'minimalTrigger',
			group: ['trigger'],
			version: 1,
			description: 'Benchmark floor: emits each POST body as an item',
			defaults: { name: 'Minimal Trigger' },
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'minimal' }],
			properties: [],
		};
	}

	async webhook() {
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}

module.exports = { MinimalTrigger };
