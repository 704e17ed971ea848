import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../../db/schema';
import { isoTime } from '../../domain/time';
import type { DeliveryQuery, DeliveryView } from '../../schemas/outbound-webhooks';
import { conflict, invalid, notFound } from '../errors';
import { olderThan, pageOf, type JsonText, type Page } from '../json-views';
import type { Scope } from '../scope';
import { nudge } from './outbox';

// The delivery log: every event owed to a subscription, newest first, each
// with its attempts (request and answer, truncated); any can be sent again.

type Row = typeof webhookDeliveries.$inferSelect;

const view = (row: Row): DeliveryView => ({
  id: row.id,
  subscriptionId: row.subscriptionId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: isoTime(row.nextAttemptAt),
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  createdAt: isoTime(row.createdAt)!,
  finishedAt: isoTime(row.finishedAt),
});

export async function listDeliveries(scope: Scope, query: DeliveryQuery): Promise<JsonText<Page<DeliveryView>>> {
  const after = olderThan(webhookDeliveries.createdAt, webhookDeliveries.id, query.cursor);
  const rows = await scope.ws
    .select(
      webhookDeliveries,
      and(
        query.subscription ? eq(webhookDeliveries.subscriptionId, query.subscription) : undefined,
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        query.eventType ? eq(webhookDeliveries.eventType, query.eventType) : undefined,
        after,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  return pageOf(
    rows.map((row) => ({ json: JSON.stringify(view(row)) as JsonText<DeliveryView>, v: row.createdAt, id: row.id })),
    query.limit,
  );
}

export async function getDelivery(scope: Scope, id: string) {
  const [[row], attempts] = await scope.ws.batch([
    scope.ws.select(webhookDeliveries, eq(webhookDeliveries.id, id)) as never,
    scope.ws.select(webhookAttempts, eq(webhookAttempts.deliveryId, id)).orderBy(asc(webhookAttempts.at), asc(webhookAttempts.id)) as never,
  ]) as [Row[], (typeof webhookAttempts.$inferSelect)[]];
  if (!row) throw notFound('Webhook delivery');
  return {
    ...view(row),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({
      id: a.id,
      at: isoTime(a.at)!,
      url: a.url,
      requestHeaders: a.requestHeaders,
      responseStatus: a.responseStatus,
      responseHeaders: a.responseHeaders,
      responseBody: a.responseBody,
      durationMs: a.durationMs,
      error: a.error,
    })),
  };
}

// Each goes back to pending, due now, with the same id (so the same
// webhook-id: a receiver that already has it can drop it) and its
// attempts so far kept in the log. An id outside the workspace, or of a
// subscription that is turned off, refuses the whole request.
export async function redeliver(scope: Scope, ids: string[]): Promise<{ redelivered: number }> {
  const wanted = [...new Set(ids)];
  const rows = await scope.db
    .select({ id: webhookDeliveries.id, enabled: webhookSubscriptions.enabled })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, and(eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId), eq(webhookSubscriptions.workspaceId, webhookDeliveries.workspaceId)))
    .where(scope.ws.scope(webhookDeliveries, inArray(webhookDeliveries.id, wanted)));
  const known = new Map(rows.map((r) => [r.id, r.enabled]));
  const missing = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `ids.${i}`, message: 'is not a delivery of this workspace' }]));
  if (missing.length) throw invalid('Some deliveries are not in this log', missing);
  if ([...known.values()].some((enabled) => !enabled)) throw conflict('Some of these deliveries are for a subscription that is turned off; turn it on first');
  await scope.ws.update(
    webhookDeliveries,
    { status: 'pending', nextAttemptAt: scope.now, finishedAt: null, leaseUntil: null },
    inArray(webhookDeliveries.id, wanted),
  );
  await nudge(scope.queues, scope.ws.workspaceId, wanted);
  return { redelivered: wanted.length };
}
