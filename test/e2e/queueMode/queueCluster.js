'use strict';
/**
 * n8n 2.41.1 in queue mode on one machine: Redis and PostgreSQL on loopback, one main process,
 * workers and webhook processors, each with its own ports and user folder, each loading this
 * package as n8n loads a community package. stop() tears everything down.
 */
const { rmSync } = require('node:fs');

const { ensureN8n } = require('../n8nInstall');
const { freePort, http, prepareUserFolder, n8nEnv, spawnN8n, stopProcess, setUpOwner, OWNER } = require('../n8nInstance');
const { ensureDebianPackages, startPostgres, startRedis } = require('./services');

/** Faster stall detection than n8n's defaults (60 s lock, 30 s check), so a killed worker shows within seconds. */
const FAST_STALL_DETECTION = {
	QUEUE_WORKER_LOCK_DURATION: '6000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '4000',
};

/** `env`: more settings for every n8n process (e.g. DB_POSTGRESDB_POOL_SIZE). */
async function startQueueCluster({ workers = 2, webhookProcessors = 2, log = () => {}, env: extraEnv = {} } = {}) {
	ensureDebianPackages();
	const installed = await ensureN8n();
	const cluster = { workers: [], webhookProcessors: [], folders: [], services: [] };
	const stopAll = async () => {
		await Promise.all(
			[...cluster.webhookProcessors, ...cluster.workers, cluster.main].filter(Boolean).map(async (processInfo) => await stopProcess(processInfo.child).catch(() => {})),
		);
		for (const service of cluster.services.reverse()) await service.stop().catch(() => {});
		for (const folder of cluster.folders) rmSync(folder, { recursive: true, force: true });
	};
	cluster.stop = stopAll;
	try {
		const redis = await startRedis(await freePort());
		cluster.services.push(redis);
		const postgres = await startPostgres(await freePort());
		cluster.services.push(postgres);
		const shared = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// Production webhooks go to the webhook processors only.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...FAST_STALL_DETECTION,
			...extraEnv,
		};

		const mainPort = await freePort();
		const processorPorts = [];
		for (let i = 0; i < webhookProcessors; i++) processorPorts.push(await freePort());
		const baseUrl = `http://127.0.0.1:${mainPort}`;
		const webhookBaseUrl = `http://127.0.0.1:${processorPorts[0]}`;

		const envFor = async (port) => {
			const userFolder = prepareUserFolder();
			cluster.folders.push(userFolder);
			return {
				...n8nEnv({ installed, userFolder, port, brokerPort: await freePort(), baseUrl }),
				N8N_WEBHOOK_URL: `${webhookBaseUrl}/`,
				...shared,
			};
		};

		const mainLogs = [];
		const mainEnv = await envFor(mainPort);
		const mainChild = await spawnN8n({ installed, env: mainEnv, readyUrl: `${baseUrl}/healthz/readiness`, logs: mainLogs, log });
		const main = {
			child: mainChild,
			logs: mainLogs,
			baseUrl,
			webhookBaseUrl,
			owner: OWNER,
			cookie: '',
			apiKey: '',
			async api(method, path, body) {
				const headers = path.startsWith('/api/') ? { 'X-N8N-API-KEY': main.apiKey } : { cookie: main.cookie };
				return await http(method, `${baseUrl}${path}`, { body, headers });
			},
		};
		cluster.main = main;
		await setUpOwner(main);

		cluster.startWorker = async () => {
			const healthPort = await freePort();
			const env = { ...(await envFor(await freePort())), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' };
			const logs = [];
			const child = await spawnN8n({ installed, command: 'worker', args: ['--concurrency=10'], env, readyUrl: `http://127.0.0.1:${healthPort}/healthz`, logs, log });
			const worker = { child, logs, healthPort };
			cluster.workers.push(worker);
			return worker;
		};
		for (let i = 0; i < workers; i++) await cluster.startWorker();
		for (const port of processorPorts) {
			const env = await envFor(port);
			const logs = [];
			const child = await spawnN8n({ installed, command: 'webhook', env, readyUrl: `http://127.0.0.1:${port}/healthz`, logs, log });
			cluster.webhookProcessors.push({ child, logs, baseUrl: `http://127.0.0.1:${port}` });
		}
		return cluster;
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueCluster, FAST_STALL_DETECTION };
