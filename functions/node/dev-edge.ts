/**
 * `npm run dev:edge`: the Cloudflare host on this machine. The Worker runs in `wrangler dev`
 * (workerd, local queues, the SPA as static assets with its _headers) against a local libSQL
 * file that this process migrates and serves over HTTP, as Turso would, since a Worker reaches
 * libSQL over HTTP only. Crons are triggered by hand, the way Cloudflare documents it:
 * `curl 'http://localhost:8788/__scheduled?cron=0+3+*+*+*'` (wrangler dev --test-scheduled).
 *
 * Arguments after `--` go to wrangler dev as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { z } from 'zod';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { NIGHTLY } from '../jobs/cron';
import { startLibsqlHttpServer } from './libsql-http-server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const WEB = join(ROOT, 'web');

const settingsSchema = z.object({
  // 8788, so that `npm start` (8787) can run beside it.
  PORT: z.coerce.number().int().min(1).max(65535).default(8788),
  // wrangler's own default (9229) is taken as soon as two run at once.
  INSPECTOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^file:./, 'DATABASE_URL must be a file: URL: dev:edge serves a local libSQL file to the Worker')
    .default('file:data/edge.db'),
});

export type EdgeDev = {
  url: string;
  libsqlUrl: string;
  /** Resolves with wrangler's exit code once it has stopped, whoever stopped it. */
  exited: Promise<number>;
  stop(): Promise<number>;
};

export async function startEdgeDev(
  env: Record<string, string | undefined>,
  wranglerArgs: string[] = [],
  output: (text: string) => void = (text) => process.stdout.write(text),
): Promise<EdgeDev> {
  const settings = settingsSchema.parse(env);
  const file = resolve(ROOT, settings.DATABASE_URL.slice('file:'.length));
  mkdirSync(dirname(file), { recursive: true });
  await migrate(file);
  // What `npm run build:web` runs.
  if (webBuildIsStale()) await run(process.execPath, [VITE, 'build'], WEB, output);

  const database = await startLibsqlHttpServer({ path: file });
  const url = `http://localhost:${settings.PORT}`;
  const wrangler = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      '--test-scheduled',
      '--port',
      String(settings.PORT),
      ...(settings.INSPECTOR_PORT ? ['--inspector-port', String(settings.INSPECTOR_PORT)] : []),
      // --var wins over wrangler.toml [vars] and .dev.vars: the placeholder PUBLIC_URL would
      // make the Worker refuse every API call.
      '--var',
      `LIBSQL_URL:${database.url}`,
      '--var',
      `PUBLIC_URL:${url}`,
      ...wranglerArgs,
    ],
    { cwd: ROOT, stdio: ['inherit', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number>((done) => wrangler.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
  void exited.then(() => database.close());
  await ready(wrangler, exited, output);
  output(
    [
      '',
      `Relate's Worker is running on ${url}, over the libSQL file ${file} (served at ${database.url}).`,
      `Run the nightly jobs: curl '${url}/__scheduled?cron=${NIGHTLY.replaceAll(' ', '+')}'`,
      '',
    ].join('\n'),
  );
  return {
    url,
    libsqlUrl: database.url,
    exited,
    async stop() {
      if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill('SIGTERM');
      return exited;
    },
  };
}

async function migrate(file: string) {
  const client = createClient({ url: `file:${file}` });
  try {
    await applyMigrations(createDb(client));
  } finally {
    client.close();
  }
}

// Built once and rebuilt when a source is newer than the page it produced.
function webBuildIsStale(): boolean {
  const page = join(WEB, 'build/index.html');
  if (!existsSync(page)) return true;
  const built = statSync(page).mtimeMs;
  const sources = [join(WEB, 'src'), join(WEB, 'svelte.config.js'), join(WEB, 'vite.config.ts')];
  return sources.some((source) => newestIn(source) > built);
}

function newestIn(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestIn(join(path, name))));
}

function run(command: string, args: string[], cwd: string, output: (text: string) => void): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output(chunk.toString()));
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

// wrangler says "Ready on <url>" once the Worker answers; everything it
// prints is passed on.
function ready(wrangler: ChildProcess, exited: Promise<number>, output: (text: string) => void): Promise<void> {
  return new Promise((done, fail) => {
    let seen = '';
    const watch = (chunk: Buffer) => {
      const text = chunk.toString();
      output(text);
      seen = (seen + text).slice(-4096);
      if (/Ready on https?:\/\//.test(seen)) done();
    };
    wrangler.stdout!.on('data', watch);
    wrangler.stderr!.on('data', watch);
    void exited.then((code) => fail(new Error(`wrangler dev exited with ${code} before it was ready`)));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const edge = await startEdgeDev(process.env, process.argv.slice(2));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void edge.stop());
    process.exitCode = await edge.exited;
  } catch (error) {
    // wrangler has said why above; a stack trace would only bury it.
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
