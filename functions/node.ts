import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { createClient } from '@libsql/client';
import { Hono } from 'hono';
import { z } from 'zod';
import { createDb } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { createApp } from './app';
import { parseAppConfig } from './config';
import type { Deps } from './deps';
import { consumers } from './jobs/consumers';
import { runCron } from './jobs/cron';
import { prepareDemo } from './node/demo';
import { createNodeQueue, createProducer } from './node/queue';
import { createScheduler } from './node/scheduler';
import { staticHeaders } from './node/static-headers';
import { loadWranglerConfig } from './node/wrangler-config';

// Node host: the same app and jobs as the Worker, over a libSQL file, with
// the durable in-process queue and cron from wrangler.toml.
const hostConfig = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().default('file:data/relate.db'),
  // Unset: seed the demo only on a loopback listener (functions/node/demo.ts).
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  // Behind a reverse proxy the socket is the proxy's; only then is its
  // X-Forwarded-For worth believing.
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
});

const WEB_BUILD = fileURLToPath(new URL('../web/build', import.meta.url));

export async function startNodeHost(env: Record<string, string | undefined>) {
  const host = hostConfig.parse(env);
  const config = parseAppConfig({ PUBLIC_URL: `http://localhost:${host.PORT}`, ...env });
  if (host.DATABASE_URL.startsWith('file:')) mkdirSync(dirname(host.DATABASE_URL.slice(5)), { recursive: true });
  const client = createClient({ url: host.DATABASE_URL });
  // WAL lets the API read while the queue and cron write.
  await client.execute('pragma journal_mode = wal');
  await client.execute('pragma busy_timeout = 5000');
  const db = createDb(client);
  await applyMigrations(db);
  await prepareDemo({ db, databaseUrl: host.DATABASE_URL, host: host.HOST, seedDemo: host.SEED_DEMO });

  const wrangler = await loadWranglerConfig();
  const now = Date.now;
  const queue = createNodeQueue({
    db,
    now,
    settings: wrangler.consumers,
    consumers: consumers({ db, now, queues: createProducer(db, now), undoWindowMs: config.undoWindowMs }),
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
  };
  const scheduler = createScheduler({
    crons: wrangler.crons,
    onTick: async (cron) => {
      await runCron(deps, cron);
    },
  });

  const server = new Hono()
    .route('/', createApp(deps))
    .use('/*', staticHeaders(WEB_BUILD))
    .use('/*', serveStatic({ root: WEB_BUILD }))
    // The SPA's own router handles every other path.
    .get('*', serveStatic({ root: WEB_BUILD, path: 'index.html' }));
  const listener = serve({ fetch: server.fetch, port: host.PORT, hostname: host.HOST });
  queue.start();
  scheduler.start();
  console.log(`Relate is running on http://localhost:${host.PORT}`);

  return {
    deps,
    queue,
    async stop() {
      await scheduler.stop();
      await queue.stop();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      client.close();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const running = await startNodeHost(process.env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void running.stop().then(() => process.exit(0)));
  }
}
