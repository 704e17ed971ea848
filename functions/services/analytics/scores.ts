import { and, desc, eq, gte, isNull, lt, lte, sql, sum } from 'drizzle-orm';
import { contacts, customerScores, scoreCells } from '../../../db/schema';
import { encodeCursor } from '../../domain/cursor';
import { AT_RISK_SEGMENTS, segmentOfCell, shareOf } from '../../domain/dashboards';
import { VALUE_TIERS, type ValueTier } from '../../domain/rfm';
import { isoTime } from '../../domain/time';
import type { AtRiskPage, AtRiskQuery, PeriodQuery, RfmGrid, TierDistribution } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { latestRuns, periodBounds, reporting } from './context';

const $ = sql.placeholder;

// The scores of the last segmentation run, counted by RFM cell, tier and
// month of the last purchase in score_cells (rebuilt by each run as it
// finishes): a few hundred rows, from which the grid and the tiers
// are both summed. With a period, only customers whose last purchase falls
// in it.
const cube = preparedReads((db, scope) =>
  db
    .select({ r: scoreCells.r, fm: scoreCells.fm, tier: scoreCells.tier, customers: sum(scoreCells.customers).mapWith(Number), revenue: sum(scoreCells.revenue).mapWith(Number) })
    .from(scoreCells)
    .where(scope(scoreCells, and(gte(scoreCells.lastMonth, $('from')), lte(scoreCells.lastMonth, $('to')))))
    .groupBy(scoreCells.r, scoreCells.fm, scoreCells.tier),
);
const ALL_MONTHS = { from: '0000-01', to: '9999-12' };

async function scoresContext(scope: Scope, query: PeriodQuery) {
  const [money, runs, rows] = await Promise.all([reporting(scope), latestRuns(scope), scope.ws.read(cube, undefined, query.from && query.to ? { from: query.from, to: query.to } : ALL_MONTHS)]);
  const period = query.from && query.to ? { from: query.from, to: query.to } : null;
  return { period, run: runs.run, currency: money.currency, rows };
}

export async function rfmGrid(scope: Scope, query: PeriodQuery): Promise<RfmGrid> {
  const { rows, ...context } = await scoresContext(scope, query);
  const cells: RfmGrid['cells'] = [];
  for (let fm = 5; fm >= 1; fm--) {
    for (let r = 1; r <= 5; r++) cells.push({ r, fm, segment: segmentOfCell(r, fm), customers: 0, revenue: 0 });
  }
  for (const row of rows) {
    const cell = cells[(5 - row.fm) * 5 + row.r - 1];
    if (!cell) continue; // scores outside 1–5 are not the grid's
    cell.customers += row.customers;
    cell.revenue += row.revenue ?? 0;
  }
  const totals = { customers: cells.reduce((s, c) => s + c.customers, 0), revenue: cells.reduce((s, c) => s + c.revenue, 0) };
  return { ...context, cells, totals };
}

export async function tierDistribution(scope: Scope, query: PeriodQuery): Promise<TierDistribution> {
  const { rows, ...context } = await scoresContext(scope, query);
  const byTier = new Map(VALUE_TIERS.map((tier) => [tier, { customers: 0, revenue: 0 }]));
  for (const row of rows) {
    const t = byTier.get(row.tier as ValueTier);
    if (!t) continue;
    t.customers += row.customers;
    t.revenue += row.revenue ?? 0;
  }
  const all = [...byTier.values()];
  const totals = { customers: all.reduce((s, t) => s + t.customers, 0), revenue: all.reduce((s, t) => s + t.revenue, 0) };
  const tiers = VALUE_TIERS.map((tier) => {
    const t = byTier.get(tier)!;
    return { tier, ...t, customerShare: shareOf(t.customers, totals.customers), revenueShare: shareOf(t.revenue, totals.revenue) };
  });
  return { ...context, tiers, totals };
}

const personName = sql<string>`coalesce(nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), json_extract(${contacts.emails}, '$[0].address'), 'Unnamed contact')`;

// Ranked inside a subquery over a partial index of the at-risk segments in
// value order, holding every column it reads (customer_scores_ws_at_risk):
// a page is the index's next entries, and only the page's customers are
// looked up in contacts. The segments are written as literals, as in the
// index's WHERE, or SQLite could not tell the index applies. A customer in
// the trash is left out of the page, which may then be short; the cursor
// follows the ranking, not what was shown.
const atRiskSegments = sql.raw(AT_RISK_SEGMENTS.map((s) => `'${s}'`).join(', '));
const atRiskPages = preparedReads((db, scope) => {
  const ranked = db
    .select({
      contactId: customerScores.contactId,
      segment: customerScores.segment,
      churnRisk: customerScores.churnRisk,
      lifetimeRevenue: customerScores.lifetimeRevenue,
      lastOrderAt: customerScores.lastOrderAt,
    })
    .from(customerScores)
    .where(
      scope(
        customerScores,
        and(
          sql`${customerScores.segment} in (${atRiskSegments})`,
          gte(customerScores.lastOrderAt, $('start')),
          lt(customerScores.lastOrderAt, $('end')),
          sql`(${customerScores.lifetimeRevenue}, ${customerScores.contactId}) < (${$('afterValue')}, ${$('afterId')})`,
        ),
      ),
    )
    .orderBy(desc(customerScores.lifetimeRevenue), desc(customerScores.contactId))
    .limit($('limit'))
    .as('ranked');
  return db
    .select({
      contactId: ranked.contactId,
      segment: ranked.segment,
      churnRisk: ranked.churnRisk,
      lifetimeRevenue: ranked.lifetimeRevenue,
      lastOrderAt: ranked.lastOrderAt,
      name: sql<string | null>`(select ${personName} from ${contacts} where ${scope(contacts, and(eq(contacts.id, ranked.contactId), isNull(contacts.deletedAt)))})`,
    })
    .from(ranked)
    .orderBy(desc(ranked.lifetimeRevenue), desc(ranked.contactId));
});

export async function atRiskCustomers(scope: Scope, query: AtRiskQuery): Promise<AtRiskPage> {
  const after = query.cursor ? { afterValue: query.cursor.v as number, afterId: query.cursor.id } : { afterValue: Number.MAX_SAFE_INTEGER, afterId: '' };
  const [money, rows] = await Promise.all([
    reporting(scope),
    scope.ws.read(atRiskPages, undefined, { ...periodBounds(query), ...after, limit: query.limit + 1 }),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    currency: money.currency,
    data: page
      .filter((row) => row.name !== null)
      .map((row) => ({ ...row, name: row.name!, lastOrderAt: isoTime(row.lastOrderAt)! })),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.lifetimeRevenue, id: last.contactId }) : null,
  };
}
