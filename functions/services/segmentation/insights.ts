import { and, desc, eq, sql } from 'drizzle-orm';
import { contacts, customerScoreChanges, customerScores, segmentationRuns, workspaces } from '../../../db/schema';
import { churnWords, type GapBasis } from '../../domain/customer-value';
import { SEGMENT_LABELS, TIER_LABELS } from '../../domain/rfm';
import { isoTime } from '../../domain/time';
import { notFound } from '../errors';
import type { Scope } from '../scope';
import { isPurchaseOf } from './sql';

export const HISTORY_SHOWN = 20;
export const SUGGESTIONS_SHOWN = 5;

type Suggestion = { productId: string; name: string; sku: string; becauseId: string; becauseName: string; confidence: number; lift: number };

// "Customers who bought X also buy Y": the last run's pairs from what this
// contact bought to what they have not, best confidence × lift first, each
// product once (for the pair that speaks for it best).
async function suggestionsFor(scope: Scope, contactId: string) {
  const ws = scope.ws.workspaceId;
  const rows = await scope.db.all<Suggestion>(sql`with bought as (
      select distinct l.product_id from orders o join order_lines l on l.workspace_id = o.workspace_id and l.order_id = o.id
      where o.workspace_id = ${ws} and o.contact_id = ${contactId} and ${isPurchaseOf('o')} and l.product_id is not null)
    select a.other_product_id as "productId", p.name as "name", p.sku as "sku", a.product_id as "becauseId", bp.name as "becauseName",
      a.confidence as "confidence", a.lift as "lift"
    from product_affinities a
      join products p on p.workspace_id = a.workspace_id and p.id = a.other_product_id and p.deleted_at is null
      join products bp on bp.workspace_id = a.workspace_id and bp.id = a.product_id
    where a.workspace_id = ${ws} and a.product_id in (select product_id from bought) and a.other_product_id not in (select product_id from bought)
    order by a.confidence * a.lift desc, a.other_product_id
    limit 200`);
  const seen = new Set<string>();
  const out = [];
  for (const row of rows) {
    if (seen.has(row.productId)) continue;
    seen.add(row.productId);
    out.push({ productId: row.productId, name: row.name, sku: row.sku, becauseOf: { productId: row.becauseId, name: row.becauseName }, confidence: row.confidence, lift: row.lift });
    if (out.length === SUGGESTIONS_SHOWN) break;
  }
  return out;
}

// What the nightly segmentation knows about one contact, in words where a
// number needs them.
export async function contactInsights(scope: Scope, contactId: string) {
  const [found, scored, history, workspace] = await scope.db.batch([
    scope.db.select({ id: contacts.id }).from(contacts).where(scope.ws.scope(contacts, eq(contacts.id, contactId))),
    scope.db
      .select({ score: customerScores, runStats: segmentationRuns.stats })
      .from(customerScores)
      .leftJoin(segmentationRuns, and(eq(segmentationRuns.id, customerScores.runId), eq(segmentationRuns.workspaceId, customerScores.workspaceId)))
      .where(scope.ws.scope(customerScores, eq(customerScores.contactId, contactId))),
    scope.db
      .select()
      .from(customerScoreChanges)
      .where(scope.ws.scope(customerScoreChanges, eq(customerScoreChanges.contactId, contactId)))
      .orderBy(desc(customerScoreChanges.at), desc(customerScoreChanges.runId))
      .limit(HISTORY_SHOWN),
    scope.db.select({ currency: workspaces.reportingCurrency }).from(workspaces).where(eq(workspaces.id, scope.ws.workspaceId)),
  ]);
  if (!found[0]) throw notFound('Contact');
  const row = scored[0];
  const stats = (row?.runStats ?? {}) as { medianGapDays?: number; currency?: string };
  const score = row?.score;
  const basis: GapBasis = !score || score.lifetimeOrders > 1 ? 'own' : stats.medianGapDays !== undefined ? 'workspace' : 'window';
  return {
    contactId,
    scored: Boolean(score),
    currency: stats.currency ?? workspace[0]?.currency ?? 'USD',
    scores: score
      ? {
          recencyDays: score.recencyDays,
          orders: score.orders,
          revenue: score.revenue,
          r: score.r,
          f: score.f,
          m: score.m,
          segment: score.segment,
          segmentLabel: SEGMENT_LABELS[score.segment],
          tier: score.tier,
          tierLabel: TIER_LABELS[score.tier],
          churnRisk: score.churnRisk,
          churnExplanation: churnWords({ lifetimeOrders: score.lifetimeOrders, recencyDays: score.recencyDays, gapDays: score.expectedGapDays ?? 0, basis }),
          expectedGapDays: score.expectedGapDays,
          lifetimeOrders: score.lifetimeOrders,
          lifetimeValue: score.lifetimeRevenue,
          predictedValue12m: score.predictedValue,
          firstOrderAt: isoTime(score.firstOrderAt)!,
          lastOrderAt: isoTime(score.lastOrderAt)!,
          scoredAt: isoTime(score.updatedAt)!,
        }
      : null,
    history: history.map((h) => ({
      runId: h.runId,
      at: isoTime(h.at)!,
      fromSegment: h.fromSegment,
      toSegment: h.toSegment,
      fromTier: h.fromTier,
      toTier: h.toTier,
      r: h.r,
      f: h.f,
      m: h.m,
      churnRisk: h.churnRisk,
    })),
    suggestions: await suggestionsFor(scope, contactId),
  };
}
