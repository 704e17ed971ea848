import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { exchangeRates, segmentationRuns, workspaces } from '../../../db/schema';
import { convertMinor, defaultPeriod, monthStartMs, addMonths, type Period } from '../../domain/dashboards';
import { isoTime } from '../../domain/time';
import type { PeriodQuery } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';

const $ = sql.placeholder;

// The workspaces row is the tenant itself: reached by the bound workspace
// id, as every scoped read is.
const reportingCurrency = preparedReads((db) =>
  db.select({ currency: workspaces.reportingCurrency }).from(workspaces).where(eq(workspaces.id, $('workspaceId'))),
);
const rates = preparedReads((db, scope) =>
  db.select({ currency: exchangeRates.currency, rate: exchangeRates.rate }).from(exchangeRates).where(scope(exchangeRates)),
);

// What money is reported in, and how each other currency converts to it.
export async function reporting(scope: Scope) {
  const [[workspace], rateRows] = await Promise.all([scope.ws.read(reportingCurrency, undefined, {}), scope.ws.read(rates, undefined, {})]);
  const currency = workspace?.currency ?? 'USD';
  const rateOf = new Map(rateRows.map((r) => [r.currency, r.rate]));
  return {
    currency,
    convert: (amount: number, from: string) => convertMinor(amount, from, currency, rateOf.get(from)),
  };
}
export type Reporting = Awaited<ReturnType<typeof reporting>>;

export const periodOrDefault = (scope: Scope, q: PeriodQuery): Period =>
  q.from && q.to ? { from: q.from, to: q.to } : defaultPeriod(scope.now);

// A period as epoch-ms bounds [start, end) for last_order_at; no period is
// every time there is (an integer SQLite compares without a special case).
export function periodBounds(q: PeriodQuery) {
  if (!q.from || !q.to) return { start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER };
  return { start: monthStartMs(q.from), end: monthStartMs(addMonths(q.to, 1)) };
}

// The newest finished run whose "now" falls in [start, end), and the one
// before it (what the movements are measured from).
const lastRuns = preparedReads((db, scope) =>
  db
    .select({ id: segmentationRuns.id, asOf: segmentationRuns.asOf, finishedAt: segmentationRuns.finishedAt })
    .from(segmentationRuns)
    .where(
      scope(
        segmentationRuns,
        and(eq(segmentationRuns.status, 'done'), gte(segmentationRuns.asOf, $('start')), lt(segmentationRuns.asOf, $('end'))),
      ),
    )
    .orderBy(desc(segmentationRuns.asOf), desc(segmentationRuns.id))
    .limit(2),
);

export async function latestRuns(scope: Scope, bounds = periodBounds({})) {
  const runs = (await scope.ws.read(lastRuns, undefined, bounds)).map((r) => ({ id: r.id, asOf: isoTime(r.asOf)!, finishedAt: isoTime(r.finishedAt) }));
  return { run: runs[0] ?? null, previousRun: runs[1] ?? null };
}
