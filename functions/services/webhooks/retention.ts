import { and, asc, inArray, lt, sql } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries } from '../../../db/schema';
import type { Scope } from '../scope';

// The delivery log is kept for 30 days (Svix and Stripe keep about as
// long): each night a workspace's deliveries finished before then go, with
// their attempts, in one batch of at most DELIVERIES_FORGOTTEN_PER_NIGHT,
// so no night deletes millions of rows at once. Pending ones stay whatever
// their age: they are still owed.
export const WEBHOOK_LOG_KEEP_MS = 30 * 86_400_000;
export const DELIVERIES_FORGOTTEN_PER_NIGHT = 20_000;

export async function forgetWebhookLog(scope: Scope) {
  const old = scope.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(scope.ws.scope(webhookDeliveries, and(sql`${webhookDeliveries.status} <> 'pending'`, lt(webhookDeliveries.createdAt, scope.now - WEBHOOK_LOG_KEEP_MS))))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id))
    .limit(DELIVERIES_FORGOTTEN_PER_NIGHT);
  const [attempts, deliveries] = await scope.ws.batch([
    scope.ws.delete(webhookAttempts, inArray(webhookAttempts.deliveryId, old)),
    scope.ws.delete(webhookDeliveries, inArray(webhookDeliveries.id, old)),
  ]);
  return { attempts: attempts.rowsAffected, deliveries: deliveries.rowsAffected };
}
