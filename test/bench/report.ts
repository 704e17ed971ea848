import type { BundleSize } from '../worker/bundle';
import type { Dataset } from './dataset';
import type { LoadResult } from './load';
import type { RawTiming } from './sql';

export type ScenarioKey = 'list' | 'search' | 'get';
export type Target = { minReqPerSec: number; maxP99Ms: number };

export type ScenarioResult = {
  key: ScenarioKey;
  title: string;
  request: string;
  target: Target;
  // 10 connections on one serving process, and on one per core.
  oneProcess: LoadResult;
  allCores: LoadResult | null;
  // One connection, one process: a request's latency without queueing.
  serial: LoadResult;
  raw: RawTiming;
  plans: { path: string; kind: string; sql: string; plan: string }[];
};

export type BenchReport = {
  date: string;
  machine: { cpus: number; model: string; memoryGiB: number; os: string };
  node: string;
  versions: Record<string, string>;
  dataset: Dataset;
  settings: {
    connections: number;
    durationS: number;
    warmupS: number;
    serialDurationS: number;
    rawIterations: number;
    fragments: string[];
    allCoresProcesses: number;
    repeat: number;
  };
  matches: Map<string, number>;
  runtimeS: number;
  loadAverageAtStart: number[];
  scenarios: ScenarioResult[];
  bundle: BundleSize | { error: string };
  bundleTargetGzipBytes: number;
};

const n = (v: number) => Math.round(v).toLocaleString('en');
const t = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(digits)} ms`);
const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(0)}%`);
const yes = (ok: boolean) => (ok ? 'met' : '**missed**');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export const targetMet = (s: ScenarioResult) =>
  s.oneProcess.reqPerSec >= s.target.minReqPerSec && s.oneProcess.latency.p99 <= s.target.maxP99Ms;
export const apiOverRaw = (s: ScenarioResult) => s.serial.latency.p50 / s.raw.service.p50;

export function renderReport(r: BenchReport): string {
  const { dataset: d, settings: s } = r;
  const all = s.allCoresProcesses;
  const lines: string[] = [];
  const out = (...more: string[]) => lines.push(...more);

  out(
    '# Relate API benchmark',
    '',
    'Written by `npm run bench` (test/bench/run.ts), with `results.json` beside it. Targets (issue 5), on **one** process at ' +
      `${s.connections} connections: ` +
      r.scenarios.map((sc) => `${sc.title.toLowerCase()} ≥ ${n(sc.target.minReqPerSec)} req/s with p99 ≤ ${sc.target.maxP99Ms} ms`).join('; ') +
      `; the Worker bundle under ${n(r.bundleTargetGzipBytes)} bytes gzipped.`,
    '',
    '| | |',
    '|---|---|',
    `| date | ${r.date} |`,
    `| machine | ${r.machine.cpus} CPUs (nproc), ${r.machine.model}, ${r.machine.memoryGiB} GiB RAM, ${r.machine.os} |`,
    `| software | node ${r.node}; ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')} |`,
    `| dataset | ${n(d.contacts)} contacts + ${n(d.companies)} companies in the measured workspace; a second workspace with ${n(d.otherContacts)} contacts + ${n(d.otherCompanies)} companies in the same tables and full-text index, merged as the nightly maintenance leaves it |`,
    `| server | the Node host as \`npm start\` runs it (\`functions/node.ts\`: the app, the native libSQL client, WAL), ${all > 1 ? `once with \`PROCESSES=1\` and once with \`PROCESSES=${all}\` (one per core)` : 'with `PROCESSES=1`'} |`,
    `| load | autocannon on 127.0.0.1, ${s.connections} connections × ${s.durationS} s per scenario after a ${s.warmupS} s warmup` +
      (s.repeat > 1 ? ` (${s.repeat} runs; the tables give the median by req/s, and every run's req/s)` : '') +
      `; then 1 connection × ${s.serialDurationS} s on one process; API key auth (\`Authorization: Bearer rk_…\`) |`,
    `| raw floor | the statements each request ran, captured from the app, replayed ${n(s.rawIterations)}× on the \`libsql\` binding itself, each prepared once and kept |`,
    `| other load | load average ${r.loadAverageAtStart.map((v) => v.toFixed(2)).join(', ')} (1/5/15 min) when the bench started; the CPU other processes took during each run is in the tables |`,
    `| runtime | ${r.runtimeS.toFixed(0)} s in all${d.seededMs === null ? ' (reused a seeded file)' : `, of which seeding ${(d.seededMs / 1000).toFixed(0)} s`} |`,
    '',
    `**The load generator shares the machine.** autocannon runs in the bench process on the same ${r.machine.cpus} CPUs as the ` +
      'server; the tables give its CPU per request and how much of a CPU other processes took during each run. req/s and ' +
      'latency are what the server achieved with the CPU left over, so a run beside busy neighbours understates them; the ' +
      'server CPU per request (summed over its processes) depends least on what else ran.',
    '',
    '## Targets (one process, 10 connections)',
    '',
    '| scenario | target | req/s | p99 | |',
    '|---|---|--:|--:|:-:|',
  );
  for (const sc of r.scenarios) {
    out(`| ${sc.title} | ≥ ${n(sc.target.minReqPerSec)} req/s, p99 ≤ ${sc.target.maxP99Ms} ms | ${n(sc.oneProcess.reqPerSec)} | ${t(sc.oneProcess.latency.p99)} | ${yes(targetMet(sc))} |`);
  }
  out(
    '',
    all > 1 ? `## One process and ${all} processes side by side (${s.connections} connections)` : `## One process (${s.connections} connections)`,
    '',
    `| scenario | processes | req/s | every run's req/s | p50 | p99 | server CPU per request (all its processes) | load generator CPU per request | other processes |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const sc of r.scenarios) {
    for (const [processes, run] of [
      [1, sc.oneProcess],
      [all, sc.allCores],
    ] as const) {
      if (!run) continue;
      out(
        `| ${sc.title} | ${processes} | ${n(run.reqPerSec)} | ${(run.runsReqPerSec ?? [run.reqPerSec]).map(n).join(', ')} | ${t(run.latency.p50)} | ${t(run.latency.p99)} | ${t(run.serverCpuMsPerRequest, 3)} | ` +
          `${t(run.loadGeneratorCpuMsPerRequest, 3)} | ${pct(run.otherCpuPercent)} of a CPU |`,
      );
    }
  }
  out(
    '',
    '## One request at a time, against the raw floor',
    '',
    '| scenario | API p50, 1 conn. | API p99, 1 conn. | raw floor p50 | raw floor p99 | API ÷ raw (p50) |',
    '|---|--:|--:|--:|--:|--:|',
  );
  for (const sc of r.scenarios) {
    out(
      `| ${sc.title} | ${t(sc.serial.latency.p50)} | ${t(sc.serial.latency.p99)} | ${t(sc.raw.service.p50, 3)} | ${t(sc.raw.service.p99, 3)} | ${apiOverRaw(sc).toFixed(1)}× |`,
    );
  }
  out('', '## The Worker bundle', '');
  if ('error' in r.bundle) {
    out(`Not measured: ${r.bundle.error}`);
  } else {
    out(
      `\`wrangler deploy --dry-run\` with wrangler.toml's build settings: ${r.bundle.files.join(', ')}, ${n(r.bundle.bytes)} bytes (${kib(r.bundle.bytes)}), ` +
        `**${n(r.bundle.gzipBytes)} bytes gzipped (${kib(r.bundle.gzipBytes)})**; target under ${n(r.bundleTargetGzipBytes)}: ${yes(r.bundle.gzipBytes < r.bundleTargetGzipBytes)}. ` +
        'The free plan allows 3 MB gzipped.',
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
    `- **req/s, p50, p99**: autocannon with ${s.connections} connections, from request sent to response received: HTTP on loopback, ` +
      'the middleware, the API-key check, validation, the service\'s SQL, mapping rows and serializing JSON, and the time a request ' +
      'waits behind the others on a busy process. Percentiles are over every response, unrounded.',
    '- **server CPU per request**: user + system time of every process of the host (from /proc), over the requests answered. ' +
      'One process with a CPU to itself answers at most about 1000 ÷ this figure requests per second.',
    '- **load generator CPU per request**: the bench process\'s own CPU time (autocannon) over the same requests.',
    '- **other processes**: the machine\'s busy time (/proc/stat) less the server\'s and the load generator\'s, during the run.',
    '- **raw floor**: only the service\'s own statements (auth excluded), each prepared once on the `libsql` binding and run ' +
      'back to back in the bench process: SQLite and the binding, nothing of ours. **API ÷ raw** is the 1-connection p50 over it.',
    '',
    '## Breakdown',
    '',
    '| scenario | statements per request | raw auth lookup p50 | raw contacts query p50 / p99 | raw other p50 | autocannon p50 / p99 (whole ms, 1 process) |',
    '|---|---|--:|--:|--:|--:|',
  );
  for (const sc of r.scenarios) {
    const c = sc.raw.statementsPerRequest;
    const k = sc.raw.byKind;
    out(
      `| ${sc.title} | ${c.auth} auth + ${c.contacts} contacts + ${c.companies} companies + ${c.other} other | ` +
        `${t(k.auth?.p50, 3)} | ${t(k.contacts?.p50, 3)} / ${t(k.contacts?.p99, 3)} | ${t(k.other?.p50, 3)} | ${sc.oneProcess.autocannon?.p50} / ${sc.oneProcess.autocannon?.p99} ms |`,
    );
  }
  const search = r.scenarios.find((sc) => sc.key === 'search');
  if (search) {
    out('', '### Search, per fragment', '', '| q | contacts matching in the workspace | raw floor p50 | raw floor p99 |', '|---|--:|--:|--:|');
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
  const searchSql = search?.plans.find((p) => p.kind === 'contacts');
  if (searchSql) out('The search statement, as drizzle sends it:', '', '```sql', searchSql.sql, '```', '');
  return lines.join('\n');
}

// The README's benchmark block (test/bench/readme.ts writes it on every
// full-size run, so the README cannot quote stale figures).
export function renderSummary(r: BenchReport): string {
  const all = r.settings.allCoresProcesses;
  const run = (x: LoadResult | null) => (x ? `${n(x.reqPerSec)}/s, ${t(x.latency.p50, 1)} / ${t(x.latency.p99, 1)}` : '–');
  const lines = [
    `Latest full run: ${r.date.slice(0, 10)}, ${r.machine.cpus} CPUs, Node ${r.node}, ${n(r.dataset.contacts)} contacts, ` +
      `${r.settings.connections} connections, autocannon on the same machine${r.settings.repeat > 1 ? `, the median of ${r.settings.repeat} runs` : ''}.`,
    '',
    `| endpoint | target (one process) | one process: req/s, p50 / p99 | CPU per request | ${all} processes: req/s, p50 / p99 | |`,
    '|---|---|--:|--:|--:|:-:|',
    ...r.scenarios.map(
      (sc) =>
        `| ${sc.title} | ≥ ${n(sc.target.minReqPerSec)}/s, p99 ≤ ${sc.target.maxP99Ms} ms | ${run(sc.oneProcess)} | ${t(sc.oneProcess.serverCpuMsPerRequest, 3)} | ` +
        `${run(sc.allCores)} | ${yes(targetMet(sc))} |`,
    ),
    '',
    'error' in r.bundle
      ? `Worker bundle: not measured (${r.bundle.error}).`
      : `Worker bundle (\`wrangler deploy --dry-run\`): ${n(r.bundle.gzipBytes)} bytes gzipped, target under ${n(r.bundleTargetGzipBytes)}: ${yes(r.bundle.gzipBytes < r.bundleTargetGzipBytes)}.`,
  ];
  return lines.join('\n');
}
