import { and, exists, inArray, lt, sql } from 'drizzle-orm';
import { importChunks, importItems, imports } from '../../../db/schema';
import type { Scope } from '../scope';

// What the night forgets of a workspace's imports, in one batch:
// - a file uploaded and never started is deleted after a day, its import
//   marked failed with why (the list still shows it);
// - an import's ledger (what it made and the records as they were before
//   it updated them) is kept for the undo window, as the trash is; past
//   it the import can no longer be undone (operations.ts refuses), and a
//   few imports' ledgers go each night, so no night deletes millions of
//   rows at once.

export const ABANDONED_UPLOAD_MS = 86_400_000;
export const LEDGERS_FORGOTTEN_PER_NIGHT = 5;

export const undoWindowPassed = (finishedAt: number | null, now: number, undoWindowMs: number) =>
  finishedAt !== null && finishedAt < now - undoWindowMs;

export async function forgetImports(scope: Scope, undoWindowMs: number) {
  const abandoned = scope.ws.scope(imports, and(inArray(imports.status, ['uploading', 'uploaded']), lt(imports.updatedAt, scope.now - ABANDONED_UPLOAD_MS)));
  const settled = scope.db
    .select({ id: imports.id })
    .from(imports)
    .where(
      scope.ws.scope(
        imports,
        and(
          inArray(imports.status, ['done', 'undone']),
          lt(imports.finishedAt, scope.now - undoWindowMs),
          exists(scope.db.select({ one: sql`1` }).from(importItems).where(scope.ws.scope(importItems, sql`${importItems.importId} = ${imports.id}`))),
        ),
      ),
    )
    .limit(LEDGERS_FORGOTTEN_PER_NIGHT);
  const [chunks, marked, ledger] = await scope.ws.batch([
    scope.ws.delete(importChunks, inArray(importChunks.importId, scope.db.select({ id: imports.id }).from(imports).where(abandoned))),
    scope.ws.update(imports, { status: 'failed', error: 'Never started: its file was deleted a day after the upload', updatedAt: scope.now }, abandoned!),
    scope.ws.delete(importItems, inArray(importItems.importId, settled)),
  ]);
  return { chunks: chunks.rowsAffected, abandoned: marked.rowsAffected, ledgerRows: ledger.rowsAffected };
}
