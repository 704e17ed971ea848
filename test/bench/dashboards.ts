import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { seedWorkspace } from '../../db/seed';
import { segmentOfCell } from '../../functions/domain/dashboards';
import { scoreCellsSql, segmentMovesSql } from '../../functions/services/segmentation/summaries';
import { openClient } from './dataset';
import { dashboardsResultSection, renderDashboardsSection, writeDashboardsSection, type DashboardsReport, type Measured } from './dashboards-report';
import { load, startServer, type LoadResult, type Server } from './load';
import { writeResults } from './results';
import { SEGMENT_SCENARIOS } from './segment-counts';
import { elapsedMs, ms } from './stats';

// The dashboards' reads and the segment builder's live count at 100k
// customers and 1M orders (BENCH_ONLY=dashboards npm run bench): p99 of
// each GET /api/analytics/* and of POST /api/segments/preview (the mix in
// segment-counts.ts) on the Node host as `npm start` runs it (PROCESSES =
// the number of cores) against issue 7's 100 ms, and on one process beside
// it (with a 1-connection run: a request's own time). The data is made by SQL
// (INSERT … SELECT over recursive CTEs, in chunks), so the triggers that
// keep the running totals run as they would on an import; the scores are a
// plain-SQL stand-in for the nightly segmentation (ntile quintiles), since
// the dashboards only read them.
//
// Environment: BENCH_CUSTOMERS=100000 BENCH_ORDERS=1000000
//   BENCH_DB=path (keep or reuse the file) BENCH_DURATION=10 BENCH_CONNECTIONS=10
//   BENCH_SERIAL_DURATION=5 (the 1-connection run of each request)
//   BENCH_PROCESSES=<cores> (the host as shipped; 1 skips that run)

const OWNER = { email: 'bench-dashboards@relate.local', password: 'relate-bench-2026' };
const DAY = 86_400_000;
const CHUNK = 100_000;

type Settings = { customers: number; orders: number; connections: number; durationS: number; warmupS: number; serialDurationS: number; processes?: number };
type Scenario = Pick<Measured, 'group' | 'name' | 'request'> & { paths: string[]; headers: Record<string, string>; method?: 'GET' | 'POST'; bodies?: string[] };

export async function runDashboardsBench(given: Settings, log: (line: string) => void) {
  const settings = { ...given, processes: given.processes ?? Number(process.env.BENCH_PROCESSES || availableParallelism()) };
  const tempDir = process.env.BENCH_DB ? null : mkdtempSync(join(tmpdir(), 'relate-bench-dash-'));
  const dbPath = process.env.BENCH_DB || join(tempDir!, 'dashboards.db');
  let server: Server | null = null;
  try {
    const now = Date.now();
    if (!existsSync(dbPath)) await generate(dbPath, settings, now, log);
    else log(`Reusing ${dbPath}`);
    server = await startServer(dbPath, 1);
    const auth = { authorization: `Bearer ${await apiKey(server)}` };
    const month = (offset: number) => new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
    const periods = [0, 3, 6, 12].map((back) => `from=${month(-back - 11)}&to=${month(-back)}`);
    const get = (name: string, paths: string[]): Scenario => ({ group: 'dashboards', name, paths, headers: auth, request: `GET ${paths[0]}` });
    const scenarios: Scenario[] = [
      get('Revenue by month (4 periods rotating)', periods.map((p) => `/api/analytics/revenue?${p}`)),
      get('RFM grid', ['/api/analytics/rfm-grid']),
      get('RFM grid, last purchase in a period', [`/api/analytics/rfm-grid?${periods[0]}`]),
      get('Tiers', ['/api/analytics/tiers']),
      get('At-risk customers, first page of 50', ['/api/analytics/at-risk?limit=50']),
      get('Top products with seasonality', periods.map((p) => `/api/analytics/products?${p}`)),
      get('Movements in the last run', ['/api/analytics/movements']),
      ...SEGMENT_SCENARIOS.map(({ name, definition }): Scenario => {
        const body = JSON.stringify({ definition });
        return { group: 'segment counts', name, paths: ['/api/segments/preview'], method: 'POST', bodies: [body], headers: { ...auth, 'content-type': 'application/json' }, request: `POST /api/segments/preview ${body}` };
      }),
    ];
    const loadStart = loadavg();
    const run = async (name: string, options: Omit<Scenario, 'group' | 'name' | 'request'>, connections: number, durationS: number) => {
      const result = await load(server!, { ...options, connections, durationS });
      // A request past autocannon's 10 s is a figure (the target missed), not a failure of the bench.
      if (result.non2xx > 0) throw new Error(`${name}: ${JSON.stringify(result.statusCodes)}`);
      return result;
    };
    const line = (r: LoadResult) => `p50 ${ms(r.latency.p50)}, p99 ${ms(r.latency.p99)}${r.errors + r.timeouts ? `, ${r.errors + r.timeouts} unanswered in 10 s` : ''}`;
    const results: Measured[] = [];
    for (const scenario of scenarios) {
      const { group, name, request, ...options } = scenario;
      for (const [i, path] of options.paths.entries()) {
        const res = await fetch(server.url + path, { method: options.method ?? 'GET', headers: options.headers, body: options.bodies?.[i] });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        if (group === 'segment counts') log(`  ${name}: ${JSON.stringify(((await res.json()) as { count: number; capped: boolean }))}`.slice(0, 160));
      }
      await run(name, options, settings.connections, settings.warmupS);
      const loaded = await run(name, options, settings.connections, settings.durationS);
      const serial = await run(name, options, 1, settings.serialDurationS);
      log(`  ${name}, 1 process: ${Math.round(loaded.reqPerSec)} req/s, ${line(loaded)}; 1 connection ${line(serial)}`);
      results.push({ group, name, request, loaded, serial, shipped: null });
    }
    if (settings.processes > 1) {
      await server.stop();
      server = await startServer(dbPath, settings.processes);
      for (const [k, scenario] of scenarios.entries()) {
        const { name, group: _g, request: _r, ...options } = scenario;
        await run(name, options, settings.connections, settings.warmupS);
        const shipped = await run(name, options, settings.connections, settings.durationS);
        log(`  ${name}, ${settings.processes} processes: ${Math.round(shipped.reqPerSec)} req/s, ${line(shipped)}`);
        results[k]!.shipped = shipped;
      }
    }
    const report: DashboardsReport = {
      date: new Date().toISOString(),
      customers: settings.customers,
      orders: settings.orders,
      connections: settings.connections,
      durationS: settings.durationS,
      serialDurationS: settings.serialDurationS,
      processes: settings.processes,
      loadAverage: { start: loadStart, end: loadavg() },
      results,
    };
    const section = renderDashboardsSection(report);
    console.log(`\n${section}`);
    const fullSize = settings.customers === 100_000 && settings.orders === 1_000_000 && settings.durationS >= 10 && settings.connections === 10;
    const out = process.env.BENCH_OUT || (fullSize ? fileURLToPath(new URL('./results.md', import.meta.url)) : null);
    if (out) {
      writeDashboardsSection(out, section);
      writeResults(join(dirname(out), 'results.json'), dashboardsResultSection(report));
      log(`The dashboards section of ${out} and results.json written`);
    }
  } finally {
    await server?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

async function apiKey(server: Server): Promise<string> {
  const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
  const session = (await (await fetch(`${server.url}/api/auth/session`, { headers: { cookie } })).json()) as { csrfToken: string };
  const res = await fetch(`${server.url}/api/api-keys`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench dashboards', scope: 'read' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/api-keys: ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

// Every statement of the generation, in chunks of CHUNK rows (one
// transaction each), with the numbers as SQL integers.
async function generate(dbPath: string, s: Settings, now: number, log: (line: string) => void) {
  const client = await openClient(dbPath);
  try {
    const started = process.hrtime.bigint();
    const db = createDb(client);
    await applyMigrations(db);
    const { workspaceId: ws } = await seedWorkspace(db, { workspaceName: 'Dashboards bench', ownerEmail: OWNER.email, ownerPassword: OWNER.password, contacts: 0, companies: 0 });
    const run = (sql: string, args: (string | number)[] = []) => client.execute({ sql, args });
    const chunks = async (total: number, what: string, sql: string) => {
      for (let from = 1; from <= total; from += CHUNK) {
        await run(`with recursive n(i) as (select ? union all select i + 1 from n where i < ?) ${sql}`, [from, Math.min(total, from + CHUNK - 1)]);
        log(`  ${what}: ${Math.min(total, from + CHUNK - 1).toLocaleString('en')} (${(elapsedMs(started) / 1000).toFixed(0)} s)`);
      }
    };
    await chunks(s.customers, 'contacts', `
      insert into contacts (id, workspace_id, first_name, last_name, sort_name, emails, phones, lifecycle_stage, tags, email_consent, soft_data, custom_fields, search_text, created_at, updated_at)
      select 'con_' || printf('%026d', i), '${ws}', 'Customer', printf('%06d', i), 'customer ' || printf('%06d', i),
        json_array(json_object('address', 'customer' || i || '@example.com')), '[]',
        case when i % 20 = 1 then 'opportunity' when i % 4 = 0 then 'lead' when i % 7 = 0 then 'subscriber' else 'customer' end,
        case when i % 50 = 3 then '["vip","newsletter"]' when i % 3 = 0 then '["newsletter"]' else '[]' end, 'unknown', '{}', '{}', 'customer ' || i, ${now}, ${now} from n`);
    await run(`with recursive n(i) as (select 1 union all select i + 1 from n where i < 200)
      insert into products (id, workspace_id, sku, name, sort_name, category, price, currency, active, tags, custom_fields, created_at, updated_at)
      select 'prd_' || printf('%026d', i), '${ws}', 'SKU-' || i, 'Product ' || i, 'product ' || i, 'Category ' || (i % 12), 500 + i * 37, 'USD', 1, '[]', '{}', ${now}, ${now} from n`);
    await run(`insert into exchange_rates (workspace_id, currency, rate, updated_at) values ('${ws}', 'EUR', 1.08, ${now})`);
    // A hash of i in [0, 1); its cube puts most orders on the first
    // customers (the top 1% place about a fifth of the orders).
    const h = `((i * 2654435761) % 4294967291) / 4294967291.0`;
    await chunks(s.orders, 'orders', `
      insert into orders (id, workspace_id, contact_id, status, ordered_at, currency, subtotal, discount, shipping, tax, total, refunded, created_at, updated_at)
      select 'ord_' || printf('%026d', i), '${ws}', 'con_' || printf('%026d', 1 + cast(${h} * ${h} * ${h} * ${s.customers} as integer)),
        case when i % 50 = 0 then 'cancelled' when i % 31 = 0 then 'refunded' else 'fulfilled' end,
        ${now} - ((i * 48271) % ${730 * 86_400}) * 1000, case when i % 10 = 0 then 'EUR' else 'USD' end,
        1000 + (i * 7919) % 20000, 0, 0, 0, 1000 + (i * 7919) % 20000,
        case when i % 31 = 0 then 1000 + (i * 7919) % 20000 when i % 17 = 0 then (1000 + (i * 7919) % 20000) / 4 else 0 end,
        ${now}, ${now} from n`);
    await chunks(s.orders, 'order lines', `
      insert into order_lines (id, workspace_id, order_id, position, product_id, sku, name, quantity, unit_price, total)
      select 'orl_' || printf('%026d', i * 2 + p), '${ws}', 'ord_' || printf('%026d', i), p, 'prd_' || printf('%026d', 1 + (i * 31 + p * 7) % 200), null, 'line',
        1 + i % 3, 500, (1 + i % 3) * 500
      from n, (select 0 as p union all select 1) where p = 0 or i % 2 = 0`);
    const fmCase = Array.from({ length: 25 }, (_, k) => {
      const [r, fm] = [1 + (k % 5), 1 + Math.floor(k / 5)];
      return `when ${r * 10 + fm} then '${segmentOfCell(r, fm)}'`;
    }).join(' ');
    const runId = `run_${String(now).padStart(26, '0')}`;
    await run(`insert into segmentation_runs (id, workspace_id, key, trigger, status, phase, as_of, window_days, chunks, customers, started_at, finished_at)
      values ('${runId}', '${ws}', 'bench', 'manual', 'done', 'done', ${now}, 365, 1, ${s.customers}, ${now}, ${now})`);
    await run(`
      insert into customer_scores (workspace_id, contact_id, run_id, orders, revenue, lifetime_orders, lifetime_revenue, first_order_at, last_order_at, recency_days, r, f, m, segment, tier, churn_risk, predicted_value, updated_at)
      select '${ws}', contact_id, '${runId}', orders, revenue, orders, revenue, first, last, (${now} - last) / ${DAY}, r, f, m,
        case r * 10 + (f + m + 1) / 2 ${fmCase} end,
        case when rank <= n * 0.01 then 'vip' when rank <= n * 0.06 then 'main' when rank <= n * 0.26 then 'ordinary' else 'scattered' end,
        min(100, (${now} - last) / ${DAY} / 3), revenue / 2, ${now}
      from (
        select *, ntile(5) over (order by last) as r, ntile(5) over (order by orders) as f, ntile(5) over (order by revenue) as m,
          row_number() over (order by revenue desc) as rank, count(*) over () as n
        from (select contact_id, count(*) as orders, sum(max(0, total - refunded)) as revenue, min(ordered_at) as first, max(ordered_at) as last
              from orders where workspace_id = '${ws}' and status <> 'cancelled' and deleted_at is null group by contact_id))`);
    await run(`
      insert into customer_score_changes (workspace_id, contact_id, run_id, at, from_segment, to_segment, from_tier, to_tier, r, f, m, churn_risk)
      select workspace_id, contact_id, run_id, ${now},
        case abs(r * 7 + f * 3 + m) % 4 when 0 then null when 1 then 'loyal' when 2 then 'need_attention' else segment end,
        segment, null, tier, r, f, m, churn_risk
      from customer_scores where workspace_id = '${ws}'`);
    // The dashboards' summaries of those scores, as a run rebuilds them when it finishes.
    for (const statement of [...scoreCellsSql(ws), ...segmentMovesSql(ws, runId)]) await db.run(statement);
    await run('analyze');
    await run('pragma wal_checkpoint(truncate)');
    log(`Generated in ${(elapsedMs(started) / 1000).toFixed(0)} s`);
  } finally {
    (client as Client).close();
  }
}
