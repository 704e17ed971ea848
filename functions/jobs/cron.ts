import { asc, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotencyKeys, sessions, signInFailures, workspaces } from '../../db/schema';
import { THROTTLE } from '../domain/throttle';
import { sweepDueDeliveries } from '../services/webhooks/deliver';
import type { MaintenanceMessage, Queues, SegmentationMessage } from './queues';
import { sweepLostEvents } from './sweep';

export const NIGHTLY = '0 3 * * *';
export const EVERY_FIVE_MINUTES = '*/5 * * * *';

type CronDeps = { db: Db; queues: Queues; now: () => number };

// sendBatch takes at most 100 messages (Cloudflare Queues limit).
const WORKSPACES_PER_PAGE = 100;
// Pages one invocation fans out, each a read and two sendBatch calls
// (maintenance, segmentation); past them the fan-out continues in a
// message of its own (functions/jobs/budget.ts).
export const FAN_OUT_PAGES = 30;
export const FAN_OUT_SUBREQUESTS = FAN_OUT_PAGES * 3 + 1;
// Before the fan-out, the nightly cron forgets expired credentials (one
// batch) and sends the search index's merge (one message).
export const NIGHTLY_SUBREQUESTS = 2 + FAN_OUT_SUBREQUESTS;

// Idempotency keys answer retries for at least this long.
export const IDEMPOTENCY_KEEP_MS = 86_400_000;

// Credentials and idempotency keys past their use are not workspace data:
// three deletes, one round trip.
async function forgetExpired(db: Db, now: number) {
  await db.batch([
    db.delete(sessions).where(lt(sessions.expiresAt, now)),
    db.delete(signInFailures).where(lt(signInFailures.windowStart, now - THROTTLE.windowMs)),
    db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, now - IDEMPOTENCY_KEEP_MS)),
  ]);
}

// The night a fan-out belongs to, as segmentation keys its runs: a
// continuation sent just past midnight still names the same night.
const nightOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// One maintenance and one segmentation message per workspace, so each
// workspace's work is retried (and dead-lettered) on its own; workspaces
// are paged by id, so a continuation picks up exactly where its
// predecessor stopped.
export async function fanOutNightly(deps: CronDeps, after?: string, night = nightOf(deps.now())) {
  let cursor = after;
  let workspaceCount = 0;
  for (let page = 0; page < FAN_OUT_PAGES; page++) {
    const ids = await deps.db
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(cursor === undefined ? undefined : gt(workspaces.id, cursor))
      .orderBy(asc(workspaces.id))
      .limit(WORKSPACES_PER_PAGE);
    if (ids.length > 0) {
      const bodies = ids.map(({ id }): MaintenanceMessage => ({ type: 'purge-deleted', workspaceId: id }));
      await deps.queues.sendBatch('maintenance', bodies);
      const runs = ids.map(({ id }): SegmentationMessage => ({ type: 'nightly', workspaceId: id, date: night }));
      await deps.queues.sendBatch('segmentation', runs);
    }
    workspaceCount += ids.length;
    if (ids.length < WORKSPACES_PER_PAGE) return { workspaces: workspaceCount, continued: false };
    cursor = ids[ids.length - 1]!.id;
  }
  await deps.queues.send('maintenance', { type: 'nightly-fan-out', after: cursor!, night } satisfies MaintenanceMessage);
  return { workspaces: workspaceCount, continued: true };
}

export async function runCron(deps: CronDeps, cron: string) {
  switch (cron) {
    case NIGHTLY: {
      await forgetExpired(deps.db, deps.now());
      await deps.queues.send('maintenance', { type: 'merge-search-index' } satisfies MaintenanceMessage);
      return { cron, ...(await fanOutNightly(deps)) };
    }
    case EVERY_FIVE_MINUTES:
      // Scheduled campaigns, reminders and SLA checks hang here as they land.
      return { cron, workspaces: 0, continued: false, webhookEvents: await sweepLostEvents(deps), ...(await sweepDueDeliveries(deps)) };
    default:
      throw new Error(`No handler for cron "${cron}"`);
  }
}
