import { createClient } from '@libsql/client/web';
import type { ExecutionContext, Fetcher, MessageBatch, Queue, ScheduledController } from '@cloudflare/workers-types';
import { createDb } from '../db/client';
import { createApp } from './app';
import { COMMON_PASSWORDS_PATH, loadOnce } from './domain/common-passwords';
import { parseWorkerConfig } from './config';
import type { Deps } from './deps';
import { consumeBatch } from './jobs/consumers';
import { runCron } from './jobs/cron';
import type { QueueBatch, QueueName, Queues } from './jobs/queues';
import { describeError, logError } from './log';
import { AppError } from './services/errors';
import { fetchSender } from './services/webhooks/sender';

// Cloudflare host: bindings in, the same app and jobs out. Everything here
// only translates the runtime's shapes.
export type Env = {
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  PUBLIC_URL?: string;
  UNDO_WINDOW_DAYS?: string;
  QUEUE_CAMPAIGN_SEND: Queue;
  QUEUE_EVENTS: Queue;
  QUEUE_SEGMENTATION: Queue;
  QUEUE_MAINTENANCE: Queue;
  QUEUE_WEBHOOKS_OUT: Queue;
  // wrangler.toml [assets]: the web build, which also holds the
  // common-password list new passwords are checked against.
  ASSETS: Fetcher;
};

const BINDINGS: Record<QueueName, keyof Env> = {
  'campaign-send': 'QUEUE_CAMPAIGN_SEND',
  events: 'QUEUE_EVENTS',
  segmentation: 'QUEUE_SEGMENTATION',
  maintenance: 'QUEUE_MAINTENANCE',
  'webhooks-out': 'QUEUE_WEBHOOKS_OUT',
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

// The list is a static asset, fetched once per isolate when a password is
// first set: 400 KB the Worker's code need not carry (its bundle budget).
// The host name is any; the assets binding serves by path.
function commonPasswordsFrom(env: Env) {
  return loadOnce(async () => {
    const res = await env.ASSETS.fetch(`https://assets.invalid${COMMON_PASSWORDS_PATH}`);
    if (!res.ok) throw new Error(`${COMMON_PASSWORDS_PATH} answered ${res.status}: deploy the web build with the Worker`);
    return res.text();
  });
}

// Set by Cloudflare's edge on every request; a client cannot forge it.
const clientAddress: Deps['clientAddress'] = (c) => c.req.header('cf-connecting-ip') ?? 'unknown';

// Without a usable configuration the app still serves what needs no
// database (the OpenAPI document, the API reference); whatever reaches for
// the database or the settings answers with the problem instead of
// failing somewhere inside the driver.
function unconfigured(problem: AppError): Deps {
  const refuse = (): never => {
    throw problem;
  };
  return {
    get db() {
      return refuse();
    },
    get config() {
      return refuse();
    },
    queues: { send: refuse, sendBatch: refuse },
    now: Date.now,
    clientAddress,
    commonPasswords: refuse,
  };
}

type Host = { deps: Deps; app: ReturnType<typeof createApp>; problem?: AppError };

// One host per isolate and environment: the configuration is validated
// once, and the libSQL HTTP client keeps no connection open, so reusing it
// across requests is safe.
let cached: { env: Env; host: Host } | undefined;
function hostFor(env: Env): Host {
  if (cached?.env === env) return cached.host;
  const host = buildHost(env);
  cached = { env, host };
  return host;
}

function buildHost(env: Env): Host {
  const parsed = parseWorkerConfig(env);
  let problems = parsed.ok ? [] : parsed.problems;
  let client: ReturnType<typeof createClient> | undefined;
  if (parsed.ok) {
    try {
      client = createClient(parsed.config.libsql);
    } catch (error) {
      // The driver's message may quote the URL, and a URL can carry a token.
      const { code, name } = describeError(error);
      problems = [`LIBSQL_URL is not a URL the libSQL client accepts (${code ?? name})`];
    }
  }
  if (!parsed.ok || !client) {
    const problem = new AppError(503, 'not_configured', `Relate is not configured: ${problems.join('; ')}`);
    logError({ event: 'configuration' }, problem);
    const deps = unconfigured(problem);
    return { deps, app: createApp(deps), problem };
  }
  const deps: Deps = {
    db: createDb(client),
    queues: queuesFrom(env),
    config: parsed.config,
    now: Date.now,
    clientAddress,
    commonPasswords: commonPasswordsFrom(env),
  };
  return { deps, app: createApp(deps) };
}

// workerd records an exception that escapes a handler with its message, and
// drizzle's message carries the statement's parameters: what escapes is the
// summary logError wrote, with nothing a person typed.
function logged(fields: Record<string, unknown>, error: unknown): Error {
  logError(fields, error);
  const { name, message } = describeError(error);
  return new Error(`${name}: ${message}`);
}

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return hostFor(env).app.fetch(request, env, ctx);
  },
  async queue(batch: MessageBatch, env: Env) {
    const { deps, problem } = hostFor(env);
    if (problem) {
      // Nothing can be processed, and nothing is lost: the batch comes back
      // after the queue's retry_delay, and the dead-letter queue keeps it.
      logError({ handler: 'queue', queue: batch.queue, messages: batch.messages.length, outcome: 'retrying batch' }, problem);
      batch.retryAll();
      return;
    }
    try {
      const sendWebhook = fetchSender({ allowLoopback: deps.config.webhooksAllowLoopback });
      const jobs = { db: deps.db, now: deps.now, queues: deps.queues, undoWindowMs: deps.config.undoWindowMs, sendWebhook };
      await consumeBatch(jobs, batch as unknown as QueueBatch);
    } catch (error) {
      throw logged({ handler: 'queue', queue: batch.queue }, error);
    }
  },
  async scheduled(controller: ScheduledController, env: Env) {
    const { deps, problem } = hostFor(env);
    try {
      if (problem) throw problem;
      await runCron(deps, controller.cron);
    } catch (error) {
      throw logged({ handler: 'scheduled', cron: controller.cron }, error);
    }
  },
};
