import { and, asc, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { webhookEvents } from '../../db/schema';
import { eventMessage } from '../services/webhooks/store';
import type { Queues } from './queues';

// Webhook events stored but never tried: their `events` message was lost
// (a process died between the insert and the send, or the send failed
// after the sender had its 2xx). The */5 cron queues them again. Past
// SWEEP_AFTER_MS an event nobody has tried is presumed lost; one merely
// waiting in a long backlog is sent twice, which the consumer shrugs off
// (it applies an event once). Events that were tried and failed are the
// queue's retries' and then the inbox's (replay), not the sweep's.

export const SWEEP_AFTER_MS = 5 * 60_000;
// Per run: five sendBatch calls of 100 (Cloudflare's limit) and the read.
export const SWEEP_LIMIT = 500;
export const SWEEP_SUBREQUESTS = 1 + SWEEP_LIMIT / 100;

export async function sweepLostEvents(deps: { db: Db; queues: Queues; now: () => number }) {
  const lost = await deps.db
    .select({ id: webhookEvents.id, workspaceId: webhookEvents.workspaceId })
    .from(webhookEvents)
    // Written as the partial index is, so SQLite uses it (a bound value would not match it).
    .where(and(sql`${webhookEvents.status} = 'pending' and ${webhookEvents.attempts} = 0`, lt(webhookEvents.receivedAt, deps.now() - SWEEP_AFTER_MS)))
    .orderBy(asc(webhookEvents.receivedAt))
    .limit(SWEEP_LIMIT);
  for (let i = 0; i < lost.length; i += 100) {
    await deps.queues.sendBatch('events', lost.slice(i, i + 100).map((e) => eventMessage(e.workspaceId, e.id)));
  }
  return { requeued: lost.length };
}
