import { createClient } from '@libsql/client/web';
import type { ExecutionContext, MessageBatch, Queue, ScheduledController } from '@cloudflare/workers-types';
import { createDb } from '../db/client';
import { createApp } from './app';
import { parseAppConfig } from './config';
import type { Deps } from './deps';
import { consumeBatch } from './jobs/consumers';
import { runCron } from './jobs/cron';
import type { QueueBatch, QueueName, Queues } from './jobs/queues';

// Cloudflare host: bindings in, the same app and jobs out. Everything here
// only translates the runtime's shapes.
export type Env = {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  PUBLIC_URL?: string;
  UNDO_WINDOW_DAYS?: string;
  QUEUE_CAMPAIGN_SEND: Queue;
  QUEUE_EVENTS: Queue;
  QUEUE_SEGMENTATION: Queue;
  QUEUE_MAINTENANCE: Queue;
};

const BINDINGS: Record<QueueName, keyof Env> = {
  'campaign-send': 'QUEUE_CAMPAIGN_SEND',
  events: 'QUEUE_EVENTS',
  segmentation: 'QUEUE_SEGMENTATION',
  maintenance: 'QUEUE_MAINTENANCE',
};

function queuesFrom(env: Env): Queues {
  const binding = (name: QueueName) => env[BINDINGS[name]] as Queue;
  return {
    send: async (name, body, options) => {
      await binding(name).send(body, options);
    },
    sendBatch: async (name, bodies, options) => {
      await binding(name).sendBatch(bodies.map((body) => ({ body })), options);
    },
  };
}

// One dependency set per isolate and environment: the libSQL HTTP client
// keeps no connection open, so reusing it across requests is safe.
let cached: { env: Env; deps: Deps; app: ReturnType<typeof createApp> } | undefined;
function depsFor(env: Env) {
  if (cached?.env === env) return cached;
  const config = parseAppConfig(env);
  const client = createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN });
  const deps: Deps = {
    db: createDb(client),
    queues: queuesFrom(env),
    config,
    now: Date.now,
    // Set by Cloudflare's edge on every request; a client cannot forge it.
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
  };
  cached = { env, deps, app: createApp(deps) };
  return cached;
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return depsFor(env).app.fetch(request, env, ctx);
  },
  async queue(batch: MessageBatch, env: Env) {
    const { deps } = depsFor(env);
    await consumeBatch({ db: deps.db, now: deps.now, undoWindowMs: deps.config.undoWindowMs }, batch as unknown as QueueBatch);
  },
  async scheduled(controller: ScheduledController, env: Env) {
    const { deps } = depsFor(env);
    await runCron(deps, controller.cron);
  },
};
