// The API benchmark: `npm run bench`. Seeds 100k contacts into a temporary
// libSQL file, serves the real app from its own Node process on loopback,
// loads three read scenarios with autocannon, times the same SQL straight on
// @libsql/client, and writes test/bench/results.md. Targets are reported,
// not asserted: the process fails only when something errors.
//
// Environment (all optional):
//   BENCH_CONTACTS=100000 BENCH_COMPANIES=2000     the measured workspace
//   BENCH_OTHER_CONTACTS=2000 BENCH_OTHER_COMPANIES=50   the second workspace
//   BENCH_CONNECTIONS=10 BENCH_DURATION=10 (s)     the loaded run
//   BENCH_WARMUP=2 (s)  BENCH_SERIAL_DURATION=5 (s, 1 connection)
//   BENCH_RAW_ITERATIONS=1000                      raw SQL replays per scenario
//   BENCH_FRAGMENTS=lovel,hopp,dijk,rous,son       search fragments
//   BENCH_DB=path     keep (or reuse) the seeded file instead of a temp one
//   BENCH_OUT=path    where to write the report; by default results.md, and
//                     only for a full-size run (a quick run just prints)
// A quick run: BENCH_CONTACTS=5000 BENCH_DURATION=2 BENCH_SERIAL_DURATION=1 npm run bench
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDb } from '../../db/client';
import { createApp } from '../../functions/app';
import type { Deps } from '../../functions/deps';
import { openClient, OWNER, prepareDataset, type Dataset } from './dataset';
import { load, startServer, type LoadResult, type Server } from './load';
import { renderReport, type BenchReport, type ScenarioResult } from './report';
import { classify, queryPlan, recordingClient, timeRaw, type Captured } from './sql';
import { elapsedMs, ms } from './stats';

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
};

const settings = {
  contacts: num('BENCH_CONTACTS', 100_000),
  companies: num('BENCH_COMPANIES', 2_000),
  otherContacts: num('BENCH_OTHER_CONTACTS', 2_000),
  otherCompanies: num('BENCH_OTHER_COMPANIES', 50),
  connections: num('BENCH_CONNECTIONS', 10),
  durationS: num('BENCH_DURATION', 10),
  warmupS: num('BENCH_WARMUP', 2),
  serialDurationS: num('BENCH_SERIAL_DURATION', 5),
  rawIterations: num('BENCH_RAW_ITERATIONS', 1_000),
  fragments: (process.env.BENCH_FRAGMENTS ?? 'lovel,hopp,dijk,rous,son').split(',').map((f) => f.trim()).filter(Boolean),
  getIds: 1_000,
};
const FULL_SIZE = settings.contacts === 100_000 && settings.durationS >= 10 && settings.connections === 10;
const OUT = process.env.BENCH_OUT || (FULL_SIZE ? fileURLToPath(new URL('./results.md', import.meta.url)) : null);
const TARGET_P99_MS = 25;
const TARGET_RATIO = 3;

const log = (line: string) => console.log(line);

class BenchError extends Error {}
function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new BenchError(message);
}

type Json = Record<string, unknown>;

async function call(server: Server, method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : null) as Json };
}

// Signs in as the seeded owner and creates a read-scoped API key through the
// API, as a tool would.
async function createApiKey(server: Server): Promise<string> {
  const signIn = await call(server, 'POST', '/api/auth/sign-in', { body: { email: OWNER.email, password: OWNER.password } });
  check(signIn.status === 200, `sign-in failed: ${signIn.status} ${JSON.stringify(signIn.json)}`);
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
  check(cookie, 'sign-in set no session cookie');
  const session = await call(server, 'GET', '/api/auth/session', { headers: { cookie } });
  check(session.status === 200, `GET /api/auth/session failed: ${session.status}`);
  const created = await call(server, 'POST', '/api/api-keys', {
    headers: { cookie, 'x-csrf-token': String(session.json.csrfToken) },
    body: { name: 'bench', scope: 'read' },
  });
  check(created.status === 201, `POST /api/api-keys failed: ${created.status} ${JSON.stringify(created.json)}`);
  return String(created.json.key);
}

type ContactJson = { id: string; firstName: string; lastName: string; emails: { address: string }[]; phones: { number: string }[]; companyName: string | null };

// Before measuring: every scenario answers 200 with the right rows, and
// nothing from the other workspace leaks in.
async function preflight(server: Server, headers: Record<string, string>, ids: string[], otherIds: Set<string>) {
  const list = await call(server, 'GET', '/api/contacts?limit=50', { headers });
  check(list.status === 200, `list: ${list.status} ${JSON.stringify(list.json)}`);
  const listed = list.json.data as ContactJson[];
  check(listed.length === 50 && list.json.nextCursor, `list returned ${listed.length} rows and no next page`);
  check(!listed.some((c) => otherIds.has(c.id)), 'list returned a contact from the other workspace');
  for (const fragment of settings.fragments) {
    const res = await call(server, 'GET', `/api/contacts?q=${encodeURIComponent(fragment)}&limit=50`, { headers });
    check(res.status === 200, `search ${fragment}: ${res.status} ${JSON.stringify(res.json)}`);
    const found = res.json.data as ContactJson[];
    check(found.length > 0, `search ${fragment} found nothing; pick a fragment of a seeded name`);
    check(!found.some((c) => otherIds.has(c.id)), `search ${fragment} returned a contact from the other workspace`);
    for (const c of found) {
      const text = [c.firstName, c.lastName, ...c.emails.map((e) => e.address), c.companyName ?? ''].join(' ').toLowerCase();
      check(text.includes(fragment.toLowerCase()), `search ${fragment} returned ${c.firstName} ${c.lastName}`);
    }
  }
  for (const id of ids.slice(0, 20)) {
    const res = await call(server, 'GET', `/api/contacts/${id}`, { headers });
    check(res.status === 200 && res.json.id === id, `get ${id}: ${res.status}`);
  }
  const [foreign] = otherIds;
  check(foreign, 'the other workspace has no contacts');
  const leak = await call(server, 'GET', `/api/contacts/${foreign}`, { headers });
  check(leak.status === 404, `another workspace's contact answered ${leak.status}, not 404`);
}

function checkClean(name: string, run: LoadResult) {
  const bad = run.errors + run.timeouts + run.non2xx;
  check(run.requests > 0, `${name}: no requests completed`);
  check(bad === 0, `${name}: ${run.errors} errors, ${run.timeouts} timeouts, ${run.non2xx} non-2xx (status codes ${JSON.stringify(run.statusCodes)})`);
}

function machine() {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} CPUs (nproc), ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}`;
}

// Busy CPU time of the whole machine, from /proc/stat (Linux), in ms.
function machineBusyMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function packageVersion(name: string): string {
  const file = fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main() {
  const started = process.hrtime.bigint();
  const loadAtStart = loadavg();
  if (loadAtStart[0]! > 0.5) log(`Note: load average is ${loadAtStart.map((v) => v.toFixed(2)).join(', ')}; other work on this machine will show in the numbers`);
  const tempDir = process.env.BENCH_DB ? null : mkdtempSync(join(tmpdir(), 'relate-bench-'));
  const dbPath = process.env.BENCH_DB || join(tempDir!, 'bench.db');
  let server: Server | null = null;
  const clients: { close(): void }[] = [];
  try {
    log(`Relate bench — database ${dbPath}`);
    const dataset: Dataset = await prepareDataset(dbPath, settings, log);

    // Ids to fetch, spread over the whole table; the other workspace's ids
    // to prove none leak.
    const raw = await openClient(dbPath);
    clients.push(raw);
    const step = Math.max(1, Math.floor(settings.contacts / settings.getIds));
    const idRows = await raw.execute({
      sql: 'select id from contacts where workspace_id = ? and deleted_at is null and seq % ? = 0 limit ?',
      args: [dataset.workspaceId, step, settings.getIds],
    });
    const ids = idRows.rows.map((r) => String(r[0]));
    const otherRows = await raw.execute({ sql: 'select id from contacts where workspace_id = ?', args: [dataset.otherWorkspaceId] });
    const otherIds = new Set(otherRows.rows.map((r) => String(r[0])));
    const matches = new Map<string, number>();
    for (const fragment of settings.fragments) {
      const rs = await raw.execute({
        sql: `select count(*) from contacts where workspace_id = ? and deleted_at is null
              and seq in (select rowid from contacts_fts where contacts_fts match ?)`,
        args: [dataset.workspaceId, `"${fragment.toLowerCase()}"`],
      });
      matches.set(fragment, Number(rs.rows[0]?.[0]));
    }

    log('Starting the API server…');
    server = await startServer(dbPath);
    const apiKey = await createApiKey(server);
    const headers = { authorization: `Bearer ${apiKey}` };
    await preflight(server, headers, ids, otherIds);
    log(`Serving on ${server.url}; API key created, preflight checks passed`);

    const scenarios = [
      { key: 'list', title: 'List, first page', request: 'GET /api/contacts?limit=50', paths: ['/api/contacts?limit=50'], p99Target: TARGET_P99_MS },
      {
        key: 'search',
        title: 'Search by name fragment',
        request: `GET /api/contacts?q=…&limit=50 (q rotates: ${settings.fragments.join(', ')})`,
        paths: settings.fragments.map((f) => `/api/contacts?q=${encodeURIComponent(f)}&limit=50`),
        p99Target: TARGET_P99_MS,
      },
      {
        key: 'get',
        title: 'Get by id',
        request: `GET /api/contacts/{id} (rotates over ${ids.length.toLocaleString('en')} ids)`,
        paths: ids.map((id) => `/api/contacts/${id}`),
        p99Target: null,
      },
    ] as const;

    // The statements each request runs, captured from the app itself over a
    // recording client on the same file.
    const recording = recordingClient(await openClient(dbPath));
    clients.push(recording.client);
    const captureApp = createApp(benchDeps(createDb(recording.client)));

    // CPU the rest of the machine used while we measured: all busy time
    // (/proc/stat) minus this process (autocannon, raw SQL) and the server.
    const busyAtStart = machineBusyMs();
    const ownAtStart = ownCpuMs() + (await server.cpuMs());
    const measuredFrom = process.hrtime.bigint();
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      log(`\n${scenario.title}: ${scenario.request}`);
      const loadOptions = { paths: [...scenario.paths], headers };
      if (settings.warmupS > 0) {
        checkClean(`${scenario.key} warmup`, await load(server, { ...loadOptions, connections: settings.connections, durationS: settings.warmupS }));
      }
      const loaded = await load(server, { ...loadOptions, connections: settings.connections, durationS: settings.durationS });
      checkClean(scenario.key, loaded);
      log(`  ${settings.connections} connections: ${Math.round(loaded.reqPerSec)} req/s, p50 ${ms(loaded.latency.p50)}, p99 ${ms(loaded.latency.p99)}`);
      const serial = await load(server, { ...loadOptions, connections: 1, durationS: settings.serialDurationS });
      checkClean(`${scenario.key} (1 connection)`, serial);
      log(`  1 connection:  ${Math.round(serial.reqPerSec)} req/s, p50 ${ms(serial.latency.p50)}, p99 ${ms(serial.latency.p99)}`);

      const variantPaths = scenario.key === 'get' ? scenario.paths.slice(0, 200) : scenario.paths;
      const captured: Captured[] = [];
      for (const path of variantPaths) {
        const statements = await recording.capture(async () => {
          const res = await captureApp.request(`http://127.0.0.1${path}`, { headers });
          check(res.status === 200, `in-process ${path}: ${res.status}`);
          await res.text();
        });
        captured.push(classify(path, statements));
      }
      const rawTiming = await timeRaw(raw, captured, settings.rawIterations, Math.min(200, settings.rawIterations));
      log(`  raw SQL: p50 ${ms(rawTiming.service.p50, 3)}, p99 ${ms(rawTiming.service.p99, 3)} (${JSON.stringify(rawTiming.statementsPerRequest)} statements)`);

      const plans: ScenarioResult['plans'] = [];
      for (const variant of captured.slice(0, scenario.key === 'get' ? 3 : captured.length)) {
        for (const { kind, stmt } of variant.statements) {
          plans.push({ path: variant.path, kind, sql: stmt.sql, plan: await queryPlan(raw, stmt) });
        }
      }

      results.push({
        key: scenario.key,
        title: scenario.title,
        request: scenario.request,
        p99Target: scenario.p99Target,
        loaded,
        serial,
        raw: rawTiming,
        plans,
      });
    }

    const busyAtEnd = machineBusyMs();
    const ownAtEnd = ownCpuMs() + (await server.cpuMs());
    const otherMs = busyAtStart === null || busyAtEnd === null ? null : Math.max(0, busyAtEnd - busyAtStart - (ownAtEnd - ownAtStart));
    const otherCpu = {
      otherCpuS: otherMs === null ? null : otherMs / 1000,
      otherCpuPercent: otherMs === null ? null : (100 * otherMs) / elapsedMs(measuredFrom),
    };
    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: machine(),
      node: process.version,
      versions: { libsql: packageVersion('@libsql/client'), autocannon: packageVersion('autocannon'), hono: packageVersion('hono') },
      dataset,
      settings,
      matches,
      targets: { p99Ms: TARGET_P99_MS, ratio: TARGET_RATIO },
      runtimeS: elapsedMs(started) / 1000,
      contention: { loadAverage: loadAtStart, ...otherCpu },
      scenarios: results,
    };
    const markdown = renderReport(report);
    console.log(`\n${markdown}`);
    if (OUT) {
      writeFileSync(OUT, markdown);
      log(`Written to ${OUT}`);
    } else {
      log('Not a full-size run, so results.md was left alone (set BENCH_OUT to write this report).');
    }
  } finally {
    await server?.stop();
    for (const c of clients) c.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function benchDeps(db: Deps['db']): Deps {
  return {
    db,
    config: { publicUrl: 'http://127.0.0.1', undoWindowMs: 30 * 86_400_000 },
    now: Date.now,
    clientAddress: () => '127.0.0.1',
    queues: { async send() {}, async sendBatch() {} },
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchError ? `bench failed: ${error.message}` : error);
  process.exit(1);
});
