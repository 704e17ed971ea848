import { and, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { companies, contacts } from '../../db/schema';
import { purgeCompany } from '../services/companies';
import { purgeContact } from '../services/contacts';
import { systemScope } from '../services/scope';
import { maintenanceMessage } from './queues';

// Rows read per pass: bounded so one run never holds much in memory; passes
// repeat until nothing past the window is left.
const CHUNK = 200;

// Purges contacts and companies whose undo window has passed, through the
// same services a person's purge uses (timeline, links and audit included).
// Safe to run twice: a second run finds nothing older than the cut-off.
export async function purgeDeleted(db: Db, workspaceId: string, now: number, undoWindowMs: number) {
  const scope = systemScope(db, workspaceId, now);
  const cutoff = now - undoWindowMs;
  let purged = 0;
  for (const [table, purge] of [
    [contacts, purgeContact],
    [companies, purgeCompany],
  ] as const) {
    for (;;) {
      const rows = await scope.ws.select(table, and(isNotNull(table.deletedAt), lt(table.deletedAt, cutoff))).limit(CHUNK);
      for (const row of rows) await purge(scope, row.id);
      purged += rows.length;
      if (rows.length < CHUNK) break;
    }
  }
  return purged;
}

export async function runMaintenance(deps: { db: Db; now: () => number; undoWindowMs: number }, body: unknown) {
  const message = maintenanceMessage.parse(body);
  return purgeDeleted(deps.db, message.workspaceId, deps.now(), deps.undoWindowMs);
}
