import type { Db } from '../../db/client';
import { BULK_SUBREQUESTS, continueBulk } from '../services/bulk';
import { continueImport, IMPORT_SUBREQUESTS } from '../services/imports/job';
import { forgetImports } from '../services/imports/retention';
import { systemScope } from '../services/scope';
import { mergeSearchIndexStep } from '../services/search-index';
import { purgePass, ROUND_TRIPS_PER_PASS } from '../services/trash/purge';
import { forgetWebhookLog } from '../services/webhooks/retention';
import { FAN_OUT_SUBREQUESTS, fanOutNightly } from './cron';
import { maintenanceMessage, type MaintenanceMessage, type Queues } from './queues';

export type MaintenanceDeps = { db: Db; now: () => number; queues: Queues; undoWindowMs: number };

// Passes one message runs (each purges up to PURGE_CHUNK records) before
// it hands the rest of the workspace to a continuation message.
export const PASSES_PER_MESSAGE = 10;
// Merge steps one message runs before it continues in another.
export const MERGE_STEPS_PER_MESSAGE = 20;
export const MAINTENANCE_SUBREQUESTS = Math.max(
  2 + PASSES_PER_MESSAGE * ROUND_TRIPS_PER_PASS + 1,
  FAN_OUT_SUBREQUESTS,
  MERGE_STEPS_PER_MESSAGE + 1,
  BULK_SUBREQUESTS,
  IMPORT_SUBREQUESTS,
);

// Purges the records of one workspace (contacts, companies, products,
// orders, segments) whose undo window has passed (services/trash/
// purge.ts), after forgetting what is past keeping of its imports
// (services/imports/retention.ts) and its outbound webhook log past keeping
// (services/webhooks/retention.ts). A message that leaves work behind sends a continuation with
// the same cut-off; one that made no progress at all
// (every record raced by an edit or a restore) leaves the rest to the next
// night rather than chase it.
async function purgeDeleted(deps: MaintenanceDeps, message: Extract<MaintenanceMessage, { type: 'purge-deleted' }>) {
  const now = deps.now();
  // A continuation never purges younger trash than the window allows.
  const cutoff = Math.min(message.cutoff ?? Infinity, now - deps.undoWindowMs);
  const scope = systemScope(deps.db, message.workspaceId, now);
  // Once a night, not in the continuations.
  if (message.cutoff === undefined) {
    await forgetImports(scope, deps.undoWindowMs);
    await forgetWebhookLog(scope);
  }
  let purged = 0;
  let unlinked = 0;
  for (let pass = 0; pass < PASSES_PER_MESSAGE; pass++) {
    const result = await purgePass(scope, cutoff);
    purged += result.purged;
    unlinked += result.unlinked;
    if (result.done) return { purged, unlinked, continued: false };
  }
  if (purged + unlinked === 0) return { purged, unlinked, continued: false };
  await deps.queues.send('maintenance', { type: 'purge-deleted', workspaceId: message.workspaceId, cutoff } satisfies MaintenanceMessage);
  return { purged, unlinked, continued: true };
}

// Safe to run twice or at once: a merge step on an index with nothing left
// to merge writes nothing, and SQLite serialises two merging at once.
async function mergeSearchIndex(deps: MaintenanceDeps, message: Extract<MaintenanceMessage, { type: 'merge-search-index' }>) {
  for (let step = 1; step <= MERGE_STEPS_PER_MESSAGE; step++) {
    const starting = step === 1 && !message.continuing;
    if (!(await mergeSearchIndexStep(deps.db, { starting }))) return { steps: step, continued: false };
  }
  await deps.queues.send('maintenance', { type: 'merge-search-index', continuing: true } satisfies MaintenanceMessage);
  return { steps: MERGE_STEPS_PER_MESSAGE, continued: true };
}

export async function runMaintenance(deps: MaintenanceDeps, body: unknown) {
  const message = maintenanceMessage.parse(body);
  switch (message.type) {
    case 'purge-deleted':
      return purgeDeleted(deps, message);
    case 'nightly-fan-out':
      return fanOutNightly(deps, message.after, message.night);
    case 'merge-search-index':
      return mergeSearchIndex(deps, message);
    case 'bulk-operation':
      return continueBulk(deps, (now) => systemScope(deps.db, message.workspaceId, now), message.operationId);
    case 'import':
      return continueImport(deps, (now) => systemScope(deps.db, message.workspaceId, now), message.importId);
  }
}
