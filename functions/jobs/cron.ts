import { lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { sessions, signInFailures, workspaces } from '../../db/schema';
import { THROTTLE } from '../domain/throttle';
import type { Queues } from './queues';

export const NIGHTLY = '0 3 * * *';
export const EVERY_FIVE_MINUTES = '*/5 * * * *';

// A cron handler fans out one message per workspace, so each workspace's
// work is retried (and dead-lettered) on its own.
// Credentials past their use are not workspace data: two deletes, here.
async function forgetExpired(db: Db, now: number) {
  await db.batch([
    db.delete(sessions).where(lt(sessions.expiresAt, now)),
    db.delete(signInFailures).where(lt(signInFailures.windowStart, now - THROTTLE.windowMs)),
  ]);
}

export async function runCron(deps: { db: Db; queues: Queues; now: () => number }, cron: string) {
  switch (cron) {
    case NIGHTLY: {
      await forgetExpired(deps.db, deps.now());
      const ids = (await deps.db.select({ id: workspaces.id }).from(workspaces)).map((w) => w.id);
      // sendBatch takes at most 100 messages (Cloudflare Queues limit).
      for (let i = 0; i < ids.length; i += 100) {
        const bodies = ids.slice(i, i + 100).map((workspaceId) => ({ type: 'purge-deleted', workspaceId }));
        await deps.queues.sendBatch('maintenance', bodies);
      }
      return { cron, workspaces: ids.length };
    }
    case EVERY_FIVE_MINUTES:
      // Scheduled campaigns, reminders and SLA checks hang here as they land.
      return { cron, workspaces: 0 };
    default:
      throw new Error(`No handler for cron "${cron}"`);
  }
}
