import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { z } from 'zod';
import { createDb, type Db } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { createApp } from './app';
import { parseAppConfig, type AppConfig } from './config';
import type { Deps } from './deps';
import { consumers } from './jobs/consumers';
import { runCron } from './jobs/cron';
import { startWorkers } from './node/cluster';
import { openDatabase } from './node/database';
import { prepareDemo } from './node/demo';
import { createNodeQueue, createProducer } from './node/queue';
import { createScheduler } from './node/scheduler';
import { staticHeaders } from './node/static-headers';
import { staticSite } from './node/static-files';
import { commonPasswordsFrom } from './node/common-passwords';
import { createTraffic } from './node/traffic';
import { loadWranglerConfig } from './node/wrangler-config';
import { readSource } from './services/webhooks/ingest';
import { rememberedSources } from './services/webhooks/source-cache';
import { writerStore } from './services/webhooks/store';
import { connectEventWriter, startEventWriter } from './node/event-writer';
import { nodeSender } from './node/webhook-sender';

// Node host: the same app and jobs as the Worker, over a libSQL file, with
// the durable in-process queue and cron from wrangler.toml. By default it
// runs one process per core (functions/node/cluster.ts): this one prepares
// the database and runs the cron scheduler, the others serve HTTP and
// consume the queues, whose leases keep each message to one of them.
const hostConfig = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().default('file:data/relate.db'),
  // Unset: seed the demo only on a loopback listener (functions/node/demo.ts).
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  // Behind a reverse proxy the socket is the proxy's; only then is its
  // X-Forwarded-For worth believing.
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  // Processes serving HTTP; 1 runs everything in this one process.
  PROCESSES: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
});
type HostConfig = z.infer<typeof hostConfig>;

// How the primary tells the serving processes where the webhook event
// writer listens (functions/node/event-writer.ts).
const EVENT_WRITER_SOCKET = 'RELATE_EVENT_WRITER_SOCKET';

const WEB_BUILD = fileURLToPath(new URL('../web/build', import.meta.url));

function configure(env: Record<string, string | undefined>) {
  const host = hostConfig.parse(env);
  const config = parseAppConfig({ PUBLIC_URL: `http://localhost:${host.PORT}`, ...env });
  return { host, config };
}

// Once per host, before any process serves: migrations, then the demo
// workspace on an empty database.
async function prepareDatabase(db: Db, host: HostConfig) {
  await applyMigrations(db);
  await prepareDemo({ db, databaseUrl: host.DATABASE_URL, host: host.HOST, seedDemo: host.SEED_DEMO });
}

// What every serving process runs: the app and static web over HTTP, and
// the queue consumers.
async function serveApp(db: Db, host: HostConfig, config: AppConfig, eventWriterSocket: string) {
  const wrangler = await loadWranglerConfig();
  const eventWriter = connectEventWriter(eventWriterSocket);
  const now = Date.now;
  // Requests first: the consumers here wait for a pause in them.
  const traffic = createTraffic();
  // The consumers' work on a connection of its own, whose commits wait for
  // the next synced one (functions/node/database.ts); the queue itself
  // (claims, acks) and the requests stay on the host's.
  const jobClient = await openDatabase(host.DATABASE_URL, { forJobs: true });
  const jobDb = createDb(jobClient);
  const queue = createNodeQueue({
    db,
    now,
    settings: wrangler.consumers,
    consumers: consumers({
      db: jobDb,
      now,
      queues: createProducer(jobDb, now),
      undoWindowMs: config.undoWindowMs,
      sendWebhook: nodeSender({ allowLoopback: config.webhooksAllowLoopback }),
      yieldToRequests: traffic.quiet,
    }),
    traffic,
  });
  const deps: Deps = {
    db,
    queues: queue.queues,
    config,
    now,
    clientAddress: (c) =>
      (host.TRUST_PROXY === 'true' ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined) ??
      getConnInfo(c).remote.address ??
      'unknown',
    commonPasswords: commonPasswordsFrom(WEB_BUILD),
    webhookIntake: { store: writerStore({ db, queues: queue.queues }, eventWriter.write), sources: rememberedSources(readSource(db)) },
  };
  const server = new Hono()
    .route('/', createApp(deps))
    .use('/*', staticHeaders(WEB_BUILD))
    // Compressed, with validators; every other path is the SPA's (index.html).
    .use('/*', staticSite(WEB_BUILD));
  const listener = serve({ fetch: traffic.track(server.fetch), port: host.PORT, hostname: host.HOST });
  queue.start();
  return {
    deps,
    queue,
    crons: wrangler.crons,
    async stop() {
      await queue.stop();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      eventWriter.close();
      jobClient.close();
    },
  };
}

function scheduleCrons(crons: readonly string[], deps: Pick<Deps, 'db' | 'queues' | 'now'>) {
  const scheduler = createScheduler({
    crons,
    onTick: async (cron) => {
      await runCron(deps, cron);
    },
  });
  scheduler.start();
  console.log(`Cron triggers (${crons.join(', ')}) are scheduled in process ${process.pid}`);
  return scheduler;
}

// The whole host in this one process: what PROCESSES=1 runs, and what the
// end-to-end tests start in theirs.
export async function startNodeHost(env: Record<string, string | undefined>) {
  const { host, config } = configure(env);
  const client = await openDatabase(host.DATABASE_URL);
  const db = createDb(client);
  await prepareDatabase(db, host);
  const writer = await startEventWriter(host.DATABASE_URL);
  const serving = await serveApp(db, host, config, writer.socketPath);
  const scheduler = scheduleCrons(serving.crons, serving.deps);
  console.log(`Relate is running on http://localhost:${host.PORT}`);

  return {
    deps: serving.deps,
    queue: serving.queue,
    async stop() {
      await scheduler.stop();
      await serving.stop();
      await writer.stop();
      client.close();
    },
  };
}

// The primary of a multi-process host: prepares the database, forks the
// serving processes and runs the one scheduler, so each cron fires once.
// Cron handlers only fan work out to the queues, which the workers consume.
async function startPrimary(env: Record<string, string | undefined>) {
  const { host } = configure(env);
  const client = await openDatabase(host.DATABASE_URL);
  const db = createDb(client);
  await prepareDatabase(db, host);
  const wrangler = await loadWranglerConfig();
  const producer = createNodeQueue({ db, settings: wrangler.consumers, consumers: {} });
  const writer = await startEventWriter(host.DATABASE_URL, (line) => console.log(`[host] ${line}`));
  const pool = await startWorkers({ count: host.PROCESSES, log: (line) => console.log(`[host] ${line}`), env: { [EVENT_WRITER_SOCKET]: writer.socketPath } });
  const scheduler = scheduleCrons(wrangler.crons, { db, queues: producer.queues, now: Date.now });
  console.log(`Relate is running on http://localhost:${host.PORT} (${host.PROCESSES} processes: ${pool.pids().join(', ')})`);
  return {
    failed: pool.failed,
    async stop() {
      await scheduler.stop();
      await pool.stop();
      await writer.stop();
      client.close();
    },
  };
}

// A serving process of a multi-process host: the database is ready before
// it is forked.
async function startWorker(env: Record<string, string | undefined>) {
  const { host, config } = configure(env);
  const client = await openDatabase(host.DATABASE_URL);
  const socket = env[EVENT_WRITER_SOCKET];
  if (!socket) throw new Error(`${EVENT_WRITER_SOCKET} is not set: a serving process is started by the host's primary`);
  const serving = await serveApp(createDb(client), host, config, socket);
  return {
    async stop() {
      await serving.stop();
      client.close();
    },
  };
}

async function main() {
  const env = process.env;
  const running: { stop(): Promise<void>; failed?: Promise<Error> } = cluster.isWorker
    ? await startWorker(env)
    : configure(env).host.PROCESSES === 1
      ? await startNodeHost(env)
      : await startPrimary(env);
  let stopping: Promise<void> | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping ??= running.stop().then(() => process.exit(0));
    });
  }
  if (running.failed) {
    void running.failed.then(async (error) => {
      console.error(`Relate stopped: ${error.message}`);
      await running.stop();
      process.exit(1);
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
