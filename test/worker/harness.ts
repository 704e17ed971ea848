/**
 * The real Worker entry (functions/worker.ts), bundled by wrangler as it deploys it (./bundle.ts),
 * running in workerd through Miniflare, over a real migrated libSQL file served by the
 * local Hrana-over-HTTP server (functions/node/libsql-http-server.ts): inside workerd libSQL is
 * reachable over HTTP only (see docs in /work/shared/ARCHITECTURE.md).
 *
 *   freshDb() file  <──  startLibsqlHttpServer  <──HTTP──  workerd (Miniflare)  <──  dispatchFetch / queue() / scheduled()
 *        ▲
 *        └── the test reads and writes the same file directly (drizzle over @libsql/client's file driver)
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { parse as parseToml } from 'smol-toml';
import { eq, inArray } from 'drizzle-orm';
import { contacts } from '../../db/schema';
import { HttpCaller } from '../fixtures/app';
import { freshDb } from '../fixtures/db';
import { startLibsqlHttpServer } from '../../functions/node/libsql-http-server';
import { workerBundle } from './bundle';

export { workerBundle };

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PUBLIC_URL = 'http://localhost:8787';
export const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// wrangler.toml: compatibility settings, queues and crons come from the real file.

type WranglerToml = {
  name: string;
  main: string;
  compatibility_date: string;
  compatibility_flags?: string[];
  triggers?: { crons?: string[] };
  queues?: {
    producers?: { queue: string; binding: string }[];
    consumers?: {
      queue: string;
      max_batch_size?: number;
      max_batch_timeout?: number;
      max_retries?: number;
      retry_delay?: number;
      dead_letter_queue?: string;
    }[];
  };
};

export function wranglerToml(): WranglerToml {
  return parseToml(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')) as unknown as WranglerToml;
}

// ---------------------------------------------------------------------------------------------
// Miniflare options, derived from wrangler.toml. Exported so the report can show them.

export type WorkerOptions = {
  /** Where the Worker's LIBSQL_URL points. */
  libsqlUrl: string;
  /** Attach wrangler.toml's queue consumers to this Worker, so produced messages flow into queue(). */
  consumers?: boolean;
};

export function miniflareOptions(scriptPath: string, options: WorkerOptions, log?: Log): MiniflareOptions {
  const toml = wranglerToml();
  const producers = toml.queues?.producers ?? [];
  const consumers = toml.queues?.consumers ?? [];
  return {
    name: toml.name,
    modules: true,
    scriptPath,
    // The bundle lives in a temp dir; module names are taken relative to this root.
    modulesRoot: dirname(scriptPath),
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags ?? [],
    bindings: { LIBSQL_URL: options.libsqlUrl, PUBLIC_URL, UNDO_WINDOW_DAYS: '30' },
    // wrangler.toml's [assets] binding, as the Worker uses it: files of the
    // web build by path (the common-password list new passwords are checked
    // against). Routing of page requests to assets is not modelled here;
    // dev-edge.test.ts runs the real thing under wrangler dev.
    serviceBindings: { ASSETS: webBuildFile },
    queueProducers: Object.fromEntries(producers.map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: options.consumers
      ? Object.fromEntries(
          consumers.map((c) => [
            c.queue,
            {
              maxBatchSize: c.max_batch_size,
              maxBatchTimeout: c.max_batch_timeout,
              maxRetries: c.max_retries,
              retryDelay: c.retry_delay,
              deadLetterQueue: c.dead_letter_queue,
            },
          ]),
        )
      : undefined,
    // No request to workers.cloudflare.com for Request.cf: this machine has no internet.
    cf: false,
    ...(log ? { log } : {}),
  };
}

const WEB_BUILD = join(ROOT, 'web/build');

async function webBuildFile(request: Request): Promise<Response> {
  const path = normalize(join(WEB_BUILD, decodeURIComponent(new URL(request.url).pathname)));
  if (!path.startsWith(`${WEB_BUILD}/`)) return new Response('Not found', { status: 404 });
  try {
    return new Response(await readFile(path));
  } catch {
    return new Response(`Not found: ${path} (run \`npm run build:web\`)`, { status: 404 });
  }
}

/** Keeps Miniflare's own log lines (e.g. the queue broker's `QUEUE maintenance 2/2 (5ms)`). */
export class RecordingLog extends Log {
  readonly lines: { level: LogLevel; message: string }[] = [];
  constructor() {
    super(LogLevel.INFO);
  }
  override logWithLevel(level: LogLevel, message: string): void {
    // eslint-disable-next-line no-control-regex
    this.lines.push({ level, message: message.replace(/\x1b\[[0-9;]*m/g, '') });
    if (level <= LogLevel.WARN) super.logWithLevel(level, message);
  }
}

// ---------------------------------------------------------------------------------------------
// A stack: migrated file, HTTP server over it, the Worker in workerd pointing at the server.

export type Stack = Awaited<ReturnType<typeof startStack>>;

export async function startStack(
  options: Omit<WorkerOptions, 'libsqlUrl'> & {
    /** Put a recording, fault-injecting proxy between the Worker and the database. */
    faultProxy?: boolean;
  } = {},
) {
  const database = await freshDb();
  const server = await startLibsqlHttpServer({ path: database.path });
  const proxy = options.faultProxy ? await startFaultProxy(server.url) : undefined;
  const log = new RecordingLog();
  const mfOptions = miniflareOptions(await workerBundle(), { ...options, libsqlUrl: proxy?.url ?? server.url }, log);
  const mf = new Miniflare(mfOptions);
  await mf.ready;
  const worker = await mf.getWorker();
  return {
    mf,
    worker,
    mfOptions,
    log,
    /** Drizzle over the same database file, for arranging and checking rows behind the Worker's back. */
    db: database.db,
    dbPath: database.path,
    libsqlUrl: server.url,
    proxy,
    browser: () => new Browser(mf),
    async dispose() {
      await mf.dispose();
      await proxy?.close();
      await server.close();
      database.close();
    },
  };
}

// A browser-like caller through mf.dispatchFetch: keeps the session cookie, echoes the CSRF token.
export class Browser extends HttpCaller {
  constructor(mf: Miniflare) {
    super((url, init) => mf.dispatchFetch(url, init as never) as unknown as Promise<Response>, PUBLIC_URL);
  }
}

let counter = 0;
/** Signs a new person up through the Worker (their own workspace), with the CSRF token in hand. */
export async function signUp(stack: Pick<Stack, 'browser'>, workspaceName?: string) {
  counter += 1;
  const browser = stack.browser();
  const email = `worker${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await browser.post('/api/auth/sign-up', {
    email,
    password: 'correct horse battery',
    name: `Worker Person ${counter}`,
    workspaceName: workspaceName ?? `Worker Workspace ${counter}`,
  }, { headers: { 'cf-connecting-ip': `198.18.${(counter >> 8) & 255}.${counter & 255}` } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  const session = await browser.refreshCsrf();
  if (session.status !== 200) throw new Error(`session failed: ${session.status} ${session.text}`);
  return { browser, email, userId: res.json.userId as string, workspaceId: res.json.workspaceId as string };
}

type Member = Awaited<ReturnType<typeof signUp>>;

/** A contact deleted through the Worker, its deletion then dated `daysAgo` in the file. */
export async function deletedContact(stack: Pick<Stack, 'db'>, member: Member, firstName: string, daysAgo: number) {
  const created = await member.browser.post('/api/contacts', { firstName, lastName: 'Purgeable' });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  const deleted = await member.browser.delete(`/api/contacts/${created.json.id}`);
  if (deleted.status !== 204) throw new Error(`delete failed: ${deleted.status} ${deleted.text}`);
  await stack.db
    .update(contacts)
    .set({ deletedAt: Date.now() - daysAgo * DAY })
    .where(eq(contacts.id, created.json.id));
  return created.json.id as string;
}

/** Which of these contact ids still have a row, sorted. */
export async function existingContacts(stack: Pick<Stack, 'db'>, ids: string[]) {
  const rows = await stack.db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.id, ids));
  return rows.map((r) => r.id).sort();
}

// ---------------------------------------------------------------------------------------------
// A pass-through HTTP proxy in front of the libSQL server. It records every request it receives
// (in workerd each one is a round trip to the database, the edge's real cost), and can fail
// chosen requests with a 500, as a database that errors would: lets one message of a batch fail
// while the others succeed.

export type ProxiedRequest = { method: string; path: string; body: string };

export async function startFaultProxy(target: string) {
  let failWhen: ((body: string) => boolean) | undefined;
  const failed: string[] = [];
  const received: ProxiedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    received.push({ method: req.method ?? '', path: req.url ?? '', body });
    if (failWhen?.(body)) {
      failed.push(body);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal server error: injected by the test proxy');
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = httpRequest(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error)));
    upstream.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failed,
    /** Every request that reached the proxy, in arrival order; tests empty it between steps. */
    received,
    /** Fail every request whose body the predicate matches; undefined passes everything through. */
    failRequests(predicate: ((body: string) => boolean) | undefined) {
      failWhen = predicate;
      failed.length = 0;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Polls until check() returns a truthy value or the time is up. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((done) => setTimeout(done, everyMs));
  }
}
