import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import {
  customerScores,
  exchangeRates,
  orders,
  productAffinities,
  scoreCells,
  segmentMoves,
  segmentationCustomers as staged,
  segmentationRuns as runs,
  workspaces,
} from '../../../db/schema';
import { minorDigits } from '../../domain/commerce';
import { newId } from '../../domain/ids';
import { isoTime } from '../../domain/time';
import type { RunStats } from '../../schemas/segmentation';
import { notFound } from '../errors';
import type { Scope } from '../scope';
import { segmentSql, type Factors } from './sql';
import { medianGap, PHASES, type Cuts, type Phase, type RunState } from './steps';

export type RunRow = typeof runs.$inferSelect;
type Trigger = RunRow['trigger'];

// A run that has committed no chunk for this long has lost its messages
// (dead-lettered after its retries): longer than a consumer may run (15
// minutes on Cloudflare) plus the queue's retry delay. A new run replaces it.
export const STALLED_AFTER_MS = 30 * 60_000;

// Rates as reporting-currency minor units per minor unit of each other
// currency, so an order converts with one multiplication.
function factorsOf(currency: string, rates: { currency: string; rate: number }[]): Factors {
  const factors: Factors = {};
  for (const r of rates) {
    if (r.currency !== currency) factors[r.currency] = r.rate * 10 ** (minorDigits(currency) - minorDigits(r.currency));
  }
  return factors;
}

// Starts a run unless one is already running in the workspace (that one is
// answered instead) or the key was run already (the night's second message:
// that run is answered). One batch: a stalled run is failed, the new run
// inserted only if none runs, and whichever run now stands is read back.
// The nightly run skips a workspace with neither orders nor scores (most
// of a free tier's workspaces): there is nothing to compute or remove, and
// no run is recorded.
export async function startRun(scope: Scope, input: { trigger: Trigger; key?: string; requestedBy?: string | null }) {
  const ws = scope.ws.workspaceId;
  const now = scope.now;
  const [settings, rates] = await scope.db.batch([
    scope.db.select({ currency: workspaces.reportingCurrency, windowDays: workspaces.rfmWindowDays }).from(workspaces).where(eq(workspaces.id, ws)),
    scope.db.select({ currency: exchangeRates.currency, rate: exchangeRates.rate }).from(exchangeRates).where(scope.ws.scope(exchangeRates)),
  ]);
  const setting = settings[0];
  if (!setting) throw notFound('Workspace');
  const id = newId('segmentationRun', now);
  const key = input.key ?? `manual:${id}`;
  const stats = JSON.stringify({ currency: setting.currency, factors: factorsOf(setting.currency, rates) });
  // Until the aggregates are counted, the customers the last run scored:
  // counting contacts with orders would read every order once more.
  const estimate = sql`(select count(*) from ${customerScores} where workspace_id = ${ws})`;
  const worthRunning =
    input.trigger === 'manual'
      ? sql`1`
      : sql`(exists (select 1 from ${orders} where workspace_id = ${ws}) or exists (select 1 from ${customerScores} where workspace_id = ${ws}))`;
  const [, , standing] = await scope.db.batch([
    scope.db.run(sql`update ${runs} set status = 'failed', error = 'Stalled: no progress for 30 minutes', finished_at = ${now}
      where workspace_id = ${ws} and status = 'running' and updated_at < ${now - STALLED_AFTER_MS}`),
    scope.db.run(sql`insert into ${runs} (id, workspace_id, key, trigger, requested_by, status, phase, cursor, as_of, window_days,
        chunks, customers, processed, stats, started_at, updated_at)
      select ${id}, ${ws}, ${key}, ${input.trigger}, ${input.requestedBy ?? null}, 'running', ${PHASES[0]}, null, ${now},
        ${setting.windowDays}, 0, ${estimate}, 0, ${stats}, ${now}, ${now}
      where not exists (select 1 from ${runs} where workspace_id = ${ws} and status = 'running') and ${worthRunning}
      on conflict (workspace_id, key) do nothing`),
    scope.db
      .select()
      .from(runs)
      .where(scope.ws.scope(runs, sql`(status = 'running' or key = ${key})`))
      .orderBy(sql`status = 'running' desc`, desc(runs.startedAt))
      .limit(1),
  ]);
  const run = standing[0];
  return { run, started: run?.id === id };
}

export async function readRun(scope: Scope, id: string): Promise<RunRow | undefined> {
  return scope.ws.select(runs, eq(runs.id, id)).get();
}

export function stateOf(row: RunRow): RunState {
  const stats = (row.stats ?? {}) as { currency?: string; factors?: Factors; cuts?: Cuts };
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    phase: row.phase,
    cursor: row.cursor,
    asOf: row.asOf,
    windowDays: row.windowDays,
    currency: stats.currency ?? 'USD',
    factors: stats.factors ?? {},
    customers: row.customers,
    ...(stats.cuts ? { cuts: stats.cuts } : {}),
  };
}

// What the finished run reports (stored in its stats): customers, revenue,
// each segment's and tier's customers and revenue, who entered which
// segment, orders that had no exchange rate, and how long it took.
export function statsSql(run: RunState, now: number): SQL {
  const ofRun = sql`from ${staged} where workspace_id = ${run.workspaceId} and run_id = ${run.id}`;
  // Segments and tiers from the score cells finish rebuilt just before
  // (a segment is a set of cells), who entered which segment from the
  // run's moves: a few hundred rows rather than every customer's.
  const byGroup = (group: SQL) =>
    sql`json((select json_group_object(g, json_object('customers', c, 'revenue', v)) from
      (select ${group} as g, sum(customers) as c, sum(revenue) as v from ${scoreCells} where workspace_id = ${run.workspaceId} group by 1)))`;
  const moves = sql`from ${segmentMoves} where workspace_id = ${run.workspaceId} and run_id = ${run.id}`;
  const entered = sql`json((select json_group_object(to_segment, c) from (select to_segment, sum(customers) as c ${moves}
    and from_segment not in ('', to_segment) group by to_segment)))`;
  return sql`json_object(
    'customers', (select count(*) ${ofRun}),
    'revenue', (select coalesce(sum(revenue), 0) ${ofRun}),
    'lifetimeRevenue', (select coalesce(sum(lifetime_revenue), 0) ${ofRun}),
    'unpricedOrders', (select coalesce(sum(unpriced_orders), 0) ${ofRun}),
    'medianGapDays', ${medianGap(run)},
    'segments', ${byGroup(segmentSql(sql`fm`))},
    'tiers', ${byGroup(sql`tier`)},
    'entered', ${entered},
    'newCustomers', (select coalesce(sum(customers), 0) ${moves} and from_segment = ''),
    'pairs', (select count(*) from ${productAffinities} where workspace_id = ${run.workspaceId}),
    'durationMs', cast(${now} - started_at as integer))`;
}

// Share of the work done, for a progress bar, from the bench's time per
// phase (test/bench/results.md): writing the scores takes two fifths of
// it, the bought-together pairs a quarter, the last step's rebuilds and the
// aggregates an eighth each.
const SPANS: Record<Phase, [number, number]> = {
  aggregate: [0, 11],
  rank: [11, 18],
  scores: [18, 61],
  prune: [61, 63],
  segments: [63, 64],
  cross_sell: [64, 87],
  finish: [87, 100],
  done: [100, 100],
};

export function progressOf(row: Pick<RunRow, 'phase' | 'processed' | 'customers' | 'status'>): number {
  if (row.status !== 'running') return 100;
  const [from, to] = SPANS[row.phase];
  const share = row.customers > 0 ? Math.min(1, row.processed / row.customers) : 0;
  return Math.floor(from + (to - from) * share);
}

// The cut points are the run's working state, not figures to show.
function shownStats(stats: RunRow['stats']): RunStats {
  const { cuts: _, ...shown } = stats ?? {};
  return shown as RunStats;
}

export function runView(row: RunRow) {
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    phase: row.phase,
    progress: progressOf(row),
    chunks: row.chunks,
    customers: row.customers,
    processed: row.processed,
    asOf: isoTime(row.asOf)!,
    windowDays: row.windowDays,
    stats: shownStats(row.stats),
    error: row.error,
    requestedBy: row.requestedBy,
    startedAt: isoTime(row.startedAt)!,
    finishedAt: isoTime(row.finishedAt),
  };
}

export async function getRun(scope: Scope, id: string) {
  const row = await readRun(scope, id);
  if (!row) throw notFound('Segmentation run');
  return runView(row);
}

export async function listRuns(scope: Scope, limit: number) {
  const rows = await scope.ws.select(runs).orderBy(desc(runs.startedAt), desc(runs.id)).limit(limit);
  return rows.map(runView);
}

// The workspace's latest finished run, whose stats explain the scores.
export async function lastDoneRun(scope: Scope): Promise<RunRow | undefined> {
  return scope.ws.select(runs, and(eq(runs.status, 'done'))).orderBy(desc(runs.finishedAt)).limit(1).get();
}
