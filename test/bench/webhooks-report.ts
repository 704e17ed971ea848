import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LoadResult } from './load';
import { ms } from './stats';

// The inbound webhooks bench's own section of test/bench/results.md
// (between its markers, so other benchmarks' sections stay as they are)
// and its "webhooks" key of results.json.

export const WEBHOOKS_START = '<!-- webhooks:start (written by npm run bench) -->';
export const WEBHOOKS_END = '<!-- webhooks:end -->';
export const TARGET = { minReqPerSec: 5_000, maxP99Ms: 15 };

export type Drain = {
  requests: number;
  accepted: LoadResult;
  acceptMs: number;
  // Events still pending when the last request was answered, and how long
  // the consumer took to apply them.
  backlogAtEnd: number;
  drainMs: number;
  totalMs: number;
  exactlyOnce: Record<string, number>;
};

export type WebhooksReport = {
  date: string;
  settings: { connections: number; sustainedConnections: number[]; durationS: number; warmupS: number; repeat: number; burst: number; processes: number };
  loadAverage: { start: number[]; end: number[] };
  // stats.ts spinMs() as the run began and as it ended.
  cpuSpinMs: { start: number; end: number };
  // The median run by req/s of each host at each number of connections,
  // shipped (one process per core) first.
  sustained: { processes: number; connections: number; median: LoadResult }[];
  drain: Drain;
};

const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);
const met = (l: LoadResult) => l.reqPerSec > TARGET.minReqPerSec && l.latency.p99 < TARGET.maxP99Ms;
const perSecond = (n: number, millis: number) => Math.round(n / (millis / 1000));
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ');

export function renderWebhooksSection(r: WebhooksReport): string {
  const d = r.drain;
  return [
    WEBHOOKS_START,
    '## Inbound webhooks (issue 8)',
    '',
    `${r.date}; signed requests to POST /webhooks/{source} on the Node host as \`npm start\` runs it, the \`events\` consumer running beside (test/bench/webhooks.ts): half form fills signed per Standard Webhooks (a fifth of them by people already in the workspace), 3/10 Resend email events signed by Svix, 1/5 Postmark records (basic auth), 0.6–1.3 KB bodies, every request with an id of its own, signed before each run (30,000 of a burst, 10,000 per second of a sustained run; any past those in chunks of 2,000 just before they are sent), sent by the bench's lean HTTP/1.1 sender (test/bench/sender.ts) on the same machine (its CPU per request in the table: it shares the 2 cores with the host), each connection sending its next request when the last is answered, at ${r.settings.sustainedConnections.join(' and ')} connections (the burst at ${r.settings.connections}), ${r.settings.durationS} s per run, median of ${r.settings.repeat}. Load average ${load(r.loadAverage.start)} as it began, ${load(r.loadAverage.end)} at the end (2 cores); the machine's speed, a fixed loop (test/bench/stats.ts spinMs), ${Math.round(r.cpuSpinMs.start)} ms as it began and ${Math.round(r.cpuSpinMs.end)} ms at the end (lower is faster). Target: over ${TARGET.minReqPerSec.toLocaleString('en')} req/s answered 2xx with p99 under ${TARGET.maxP99Ms} ms.`,
    '',
    '| Host | connections | req/s (each run) | p50 | p99 | server CPU / request | load generator CPU / request | target |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...r.sustained.map(({ processes, connections, median: m }) =>
      `| ${processes} process${processes > 1 ? 'es' : ''} | ${connections} | ${Math.round(m.reqPerSec).toLocaleString('en')} (${(m.runsReqPerSec ?? []).join(', ')}) | ${ms(m.latency.p50)} | ${ms(m.latency.p99)} | ${m.serverCpuMsPerRequest === null ? 'n/a' : ms(m.serverCpuMsPerRequest, 3)} | ${ms(m.loadGeneratorCpuMsPerRequest, 3)} | ${met(m) ? 'met' : 'missed'} |`,
    ),
    '',
    `Burst of ${d.requests.toLocaleString('en')} on ${r.settings.processes} processes: accepted in ${(d.acceptMs / 1000).toFixed(1)} s (${Math.round(d.accepted.reqPerSec).toLocaleString('en')} req/s, p50 ${ms(d.accepted.latency.p50)}, p99 ${ms(d.accepted.latency.p99)}), leaving a backlog of ${d.backlogAtEnd.toLocaleString('en')} events, which the consumer applied in ${(d.drainMs / 1000).toFixed(1)} s: **${perSecond(d.backlogAtEnd, d.drainMs).toLocaleString('en')} events/s** drained (${perSecond(d.requests, d.totalMs).toLocaleString('en')} events/s from the first request to the last event applied). Afterwards every event was applied exactly once: ${Object.entries(d.exactlyOnce).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}.`,
    WEBHOOKS_END,
  ].join('\n');
}

export function webhooksResultSection(r: WebhooksReport) {
  const figures = (l: LoadResult) => ({ reqPerSec: round(l.reqPerSec, 1), p50Ms: round(l.latency.p50, 3), p99Ms: round(l.latency.p99, 3), requests: l.requests, serverCpuMsPerRequest: l.serverCpuMsPerRequest === null ? null : round(l.serverCpuMsPerRequest, 4), loadGeneratorCpuMsPerRequest: round(l.loadGeneratorCpuMsPerRequest, 4), runsReqPerSec: l.runsReqPerSec ?? null });
  const d = r.drain;
  return {
    webhooks: {
      benchmark: 'BENCH_ONLY=webhooks npx tsx test/bench/run.ts (test/bench/webhooks.ts)',
      date: r.date,
      settings: r.settings,
      loadAverage: { start: r.loadAverage.start.map((v) => round(v)), end: r.loadAverage.end.map((v) => round(v)) },
      cpuSpinMs: { start: Math.round(r.cpuSpinMs.start), end: Math.round(r.cpuSpinMs.end) },
      target: TARGET,
      sustained: r.sustained.map(({ processes, connections, median }) => ({ processes, connections, ...figures(median), targetMet: met(median) })),
      burst: {
        requests: d.requests,
        accepted: figures(d.accepted),
        acceptMs: Math.round(d.acceptMs),
        backlogAtEnd: d.backlogAtEnd,
        drainMs: Math.round(d.drainMs),
        drainEventsPerSec: perSecond(d.backlogAtEnd, d.drainMs),
        overallEventsPerSec: perSecond(d.requests, d.totalMs),
        exactlyOnce: d.exactlyOnce,
      },
    },
  };
}

export function writeWebhooksSection(path: string, block: string) {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = text.indexOf(WEBHOOKS_START);
  const end = text.indexOf(WEBHOOKS_END);
  const next = start >= 0 && end > start ? `${text.slice(0, start)}${block}${text.slice(end + WEBHOOKS_END.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
