import type { Dataset } from './dataset';
import type { LoadResult } from './load';
import type { RawTiming } from './sql';

export type ScenarioResult = {
  key: 'list' | 'search' | 'get';
  title: string;
  request: string;
  p99Target: number | null;
  loaded: LoadResult;
  serial: LoadResult;
  raw: RawTiming;
  plans: { path: string; kind: string; sql: string; plan: string }[];
};

export type BenchReport = {
  date: string;
  machine: string;
  node: string;
  versions: { libsql: string; autocannon: string; hono: string };
  dataset: Dataset;
  settings: {
    connections: number;
    durationS: number;
    warmupS: number;
    serialDurationS: number;
    rawIterations: number;
    fragments: string[];
  };
  matches: Map<string, number>;
  targets: { p99Ms: number; ratio: number };
  runtimeS: number;
  contention: { loadAverage: number[]; otherCpuS: number | null; otherCpuPercent: number | null };
  scenarios: ScenarioResult[];
};

const n = (v: number) => Math.round(v).toLocaleString('en');
const t = (v: number | undefined, digits = 2) => (v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(digits)} ms`);
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

export const ratioOf = (s: ScenarioResult) => s.serial.latency.p50 / s.raw.service.p50;

export function renderReport(r: BenchReport): string {
  const { dataset: d, settings: s } = r;
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);

  out(
    '# Relate API benchmark',
    '',
    'Written by `npm run bench` (test/bench/run.ts). Targets (from the issue): p99 under ' +
      `${r.targets.p99Ms} ms for list and search at 100k contacts, and the API within ${r.targets.ratio}× of the raw query.`,
    '',
    '| | |',
    '|---|---|',
    `| date | ${r.date} |`,
    `| machine | ${r.machine} |`,
    `| node | ${r.node}; @libsql/client ${r.versions.libsql}, hono ${r.versions.hono}, autocannon ${r.versions.autocannon} |`,
    `| dataset | ${n(d.contacts)} contacts + ${n(d.companies)} companies in the measured workspace; a second workspace with ${n(d.otherContacts)} contacts + ${n(d.otherCompanies)} companies in the same tables and full-text index |`,
    `| load | autocannon on 127.0.0.1, ${s.connections} connections × ${s.durationS} s per scenario after a ${s.warmupS} s warmup, then 1 connection × ${s.serialDurationS} s; API key auth (\`Authorization: Bearer rk_…\`) |`,
    `| server | the real app (\`createApp\`) on @hono/node-server in its own Node process, libSQL file driver, WAL, as \`functions/node.ts\` |`,
    `| raw SQL | the statements the app ran for each request, captured from drizzle and replayed ${n(s.rawIterations)}× on @libsql/client, same file and pragmas |`,
    `| other load | load average ${r.contention.loadAverage.map((v) => v.toFixed(2)).join(', ')} (1/5/15 min) before the bench started; ` +
      (r.contention.otherCpuS === null
        ? 'CPU used by other processes during the run not known (no /proc/stat) |'
        : `other processes used ${r.contention.otherCpuS.toFixed(0)} CPU-seconds during the measured runs (${r.contention.otherCpuPercent!.toFixed(0)}% of one CPU) |`),
    `| runtime | ${r.runtimeS.toFixed(0)} s in all${d.seededMs === null ? ' (reused a seeded file)' : `, of which seeding ${(d.seededMs / 1000).toFixed(0)} s`} |`,
    '',
    '## Results',
    '',
    `| scenario | API req/s (${s.connections} conn.) | API p50 | API p99 | API p50, 1 conn. | API p99, 1 conn. | raw SQL p50 | raw SQL p99 | API ÷ raw (p50) | p99 < ${r.targets.p99Ms} ms (${s.connections} conn. / 1 conn.) | within ${r.targets.ratio}× |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|',
  );
  for (const sc of r.scenarios) {
    const ratio = ratioOf(sc);
    out(
      `| ${sc.title} | ${n(sc.loaded.reqPerSec)} | ${t(sc.loaded.latency.p50)} | ${t(sc.loaded.latency.p99)} | ${t(sc.serial.latency.p50)} | ${t(sc.serial.latency.p99)} | ` +
        `${t(sc.raw.service.p50, 3)} | ${t(sc.raw.service.p99, 3)} | ${ratio.toFixed(1)}× | ` +
        `${sc.p99Target === null ? 'n/a' : `${yes(sc.loaded.latency.p99 < sc.p99Target)} / ${yes(sc.serial.latency.p99 < sc.p99Target)}`} | ${yes(ratio <= r.targets.ratio)} |`,
    );
  }
  out(
    '',
    'Requests: ' + r.scenarios.map((sc) => `${sc.title.toLowerCase()} \`${sc.request}\``).join('; ') + '.',
    '',
    'Every run had 0 errors, 0 timeouts and 0 non-2xx responses (the bench fails otherwise).',
    '',
    '### What each number measures',
    '',
    `- **API req/s, p50, p99**: autocannon with ${s.connections} connections, from request sent to response received, so it includes ` +
      'HTTP on loopback, routing, query validation, the API-key lookup (SHA-256 of the key, then a `select` on `api_keys`), ' +
      'the service\'s SQL, mapping rows to JSON and serializing the response — and, with several connections on a ' +
      'single-threaded server, the time a request waits for the ones ahead of it. Percentiles are over every response, unrounded ' +
      '(autocannon\'s own histogram rounds to whole milliseconds; its figures are in the breakdown).',
    '- **API p50 / p99, 1 conn.**: the same requests one at a time: the latency of one request with no queueing.',
    '- **raw SQL**: only the service\'s own statements (the contacts query, plus the company-name lookup it makes for the page ' +
      'or the contact), executed back to back on @libsql/client in the bench process; no HTTP, no auth, no drizzle mapping, no JSON.',
    `- **API ÷ raw**: API p50 with 1 connection over raw SQL p50, the like-for-like overhead ratio the ${r.targets.ratio}× target is judged on. ` +
      `Under ${s.connections} connections the p50 also holds queueing, so that ratio would mostly measure the concurrency.`,
    `- **server CPU per request** (breakdown): the API server process's CPU time (user + system) during the ${s.connections}-connection run ` +
      'divided by the requests it answered: what one request costs the server, queueing excluded. The server is one Node process, ' +
      'so its req/s tops out near 1000 ÷ this figure.',
    '',
    '## Breakdown',
    '',
    '| scenario | statements per request | raw auth lookup p50 | raw contacts query p50 / p99 | raw company names p50 | server CPU per request | server CPU ÷ raw SQL (p50) | autocannon p50 / p99 (whole ms) |',
    '|---|---|--:|--:|--:|--:|--:|--:|',
  );
  for (const sc of r.scenarios) {
    const c = sc.raw.statementsPerRequest;
    const k = sc.raw.byKind;
    out(
      `| ${sc.title} | ${c.auth} auth + ${c.contacts} contacts + ${c.companies} companies${c.other ? ` + ${c.other} other` : ''} | ` +
        `${t(k.auth?.p50, 3)} | ${t(k.contacts?.p50, 3)} / ${t(k.contacts?.p99, 3)} | ${t(k.companies?.p50, 3)} | ` +
        `${t(sc.loaded.serverCpuMsPerRequest)} | ${(sc.loaded.serverCpuMsPerRequest / sc.raw.service.p50).toFixed(1)}× | ${sc.loaded.autocannon.p50} / ${sc.loaded.autocannon.p99} ms |`,
    );
  }
  const search = r.scenarios.find((sc) => sc.key === 'search');
  if (search) {
    out('', '### Search, per fragment', '', '| q | contacts matching in the workspace | raw SQL p50 | raw SQL p99 |', '|---|--:|--:|--:|');
    for (const fragment of s.fragments) {
      const path = `/api/contacts?q=${encodeURIComponent(fragment)}&limit=50`;
      const timing = search.raw.byPath.get(path);
      out(`| \`${fragment}\` | ${n(r.matches.get(fragment) ?? NaN)} | ${t(timing?.p50, 3)} | ${t(timing?.p99, 3)} |`);
    }
  }
  out('', '## Query plans', '', 'EXPLAIN QUERY PLAN of each statement the requests ran (requests with the same plan grouped):', '');
  for (const sc of r.scenarios) {
    const groups = new Map<string, { kind: string; plan: string; paths: string[] }>();
    for (const p of sc.plans) {
      const key = `${p.kind}\n${p.plan}`;
      if (!groups.has(key)) groups.set(key, { kind: p.kind, plan: p.plan, paths: [] });
      groups.get(key)!.paths.push(p.path);
    }
    out(`### ${sc.title}`, '');
    for (const g of groups.values()) {
      const paths = g.paths.length > 3 ? `${g.paths.slice(0, 2).map((x) => `\`${x}\``).join(', ')} and ${g.paths.length - 2} more` : g.paths.map((x) => `\`${x}\``).join(', ');
      out(`${g.kind} statement — ${paths}:`, '', '```', g.plan, '```', '');
    }
  }
  const searchSql = r.scenarios.find((sc) => sc.key === 'search')?.plans.find((p) => p.kind === 'contacts');
  if (searchSql) out('The search statement, as drizzle sends it:', '', '```sql', searchSql.sql, '```', '');
  return lines.join('\n');
}
