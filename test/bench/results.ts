import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LoadResult } from './load';
import { apiOverRaw, targetMet, type BenchReport } from './report';
import type { Summary } from './stats';

// test/bench/results.json: the benchmarks' figures for machines to read.
// Each benchmark owns top-level sections (this one: "api" and
// "workerBundle") and rewrites only those, so a later benchmark adds its own
// section beside them. Times are milliseconds; null means not measured.

const round = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

function run(result: LoadResult, processes: number) {
  return {
    processes,
    connections: result.connections,
    durationS: result.durationS,
    requests: result.requests,
    reqPerSec: round(result.reqPerSec, 1),
    p50Ms: round(result.latency.p50),
    p99Ms: round(result.latency.p99),
    serverCpuMsPerRequest: round(result.serverCpuMsPerRequest, 4),
    loadGeneratorCpuMsPerRequest: round(result.loadGeneratorCpuMsPerRequest, 4),
    otherProcessesCpuPercent: round(result.otherCpuPercent, 1),
    runsReqPerSec: result.runsReqPerSec ?? [Math.round(result.reqPerSec)],
  };
}

const timing = (s: Summary | undefined) => (s ? { p50Ms: round(s.p50, 4), p99Ms: round(s.p99, 4), samples: s.n } : null);

export function resultSections(r: BenchReport) {
  const api = {
    benchmark: 'npm run bench (test/bench/run.ts); method and query plans in test/bench/results.md',
    date: r.date,
    machine: { ...r.machine, node: r.node },
    versions: r.versions,
    dataset: {
      contacts: r.dataset.contacts,
      companies: r.dataset.companies,
      otherWorkspaceContacts: r.dataset.otherContacts,
      otherWorkspaceCompanies: r.dataset.otherCompanies,
    },
    load: {
      tool: 'autocannon, in the bench process on the same machine as the server',
      connections: r.settings.connections,
      durationS: r.settings.durationS,
      warmupS: r.settings.warmupS,
      // Loaded runs per scenario; the median by req/s is reported, every
      // run's req/s beside it (runsReqPerSec).
      medianOf: r.settings.repeat,
      auth: 'API key (Bearer)',
    },
    loadAverageAtStart: r.loadAverageAtStart.map((v) => round(v, 2)),
    endpoints: Object.fromEntries(
      r.scenarios.map((sc) => [
        sc.key,
        {
          request: sc.request,
          oneProcess: run(sc.oneProcess, 1),
          allCores: sc.allCores ? run(sc.allCores, r.settings.allCoresProcesses) : null,
          oneConnection: { p50Ms: round(sc.serial.latency.p50), p99Ms: round(sc.serial.latency.p99) },
          rawFloor: {
            method: 'the statements the request ran, each prepared once on the libsql binding, auth excluded',
            statementsPerRequest: sc.raw.statementsPerRequest,
            ...timing(sc.raw.service),
            authLookup: timing(sc.raw.byKind.auth),
          },
          apiOverRawP50: round(apiOverRaw(sc), 2),
          target: { ...sc.target, on: `one process, ${r.settings.connections} connections` },
          targetMet: targetMet(sc),
        },
      ]),
    ),
  };
  const workerBundle =
    'error' in r.bundle
      ? { date: r.date, error: r.bundle.error }
      : {
          date: r.date,
          measuredWith: 'wrangler deploy --dry-run --outdir <tmp>; the modules gzipped at zlib\'s default level, as wrangler reports them',
          files: r.bundle.files,
          bytes: r.bundle.bytes,
          gzipBytes: r.bundle.gzipBytes,
          target: { maxGzipBytes: r.bundleTargetGzipBytes },
          targetMet: r.bundle.gzipBytes < r.bundleTargetGzipBytes,
        };
  return { api, workerBundle };
}

export function writeResults(path: string, sections: Record<string, unknown>): void {
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(path, `${JSON.stringify({ ...existing, ...sections }, null, 2)}\n`);
}
