import { and, eq } from 'drizzle-orm';
import { imports } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { ImportEntity } from '../../domain/imports';
import type { Queues } from '../../jobs/queues';
import type { ImportStart, ImportView } from '../../schemas/imports';
import { conflict, invalid } from '../errors';
import type { Scope } from '../scope';
import { undoWindowPassed } from './retention';
import { importerOf } from './index';
import { importMessage } from './job';
import { importView, readImport } from './views';

// An import's life as the API drives it: made (waiting for its file), the
// file received (./upload.ts), started with a mapping, run by the queue
// job (./job.ts), and undone.

export async function createImport(scope: Scope, input: { entity: ImportEntity; filename: string }): Promise<ImportView> {
  importerOf(input.entity);
  const row = {
    id: newId('import', scope.now),
    entity: input.entity,
    actorId: scope.actor.actorId,
    filename: input.filename,
    status: 'uploading' as const,
    totalRows: 0,
    chunks: 0,
    bytes: 0,
    cursorChunk: 0,
    cursorOffset: 0,
    cursorLine: 1,
    processed: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    rejected: 0,
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  await scope.ws.insert(imports, row);
  return importView({ ...row, workspaceId: scope.ws.workspaceId, error: null, delimiter: null, headers: null, preview: null, mapping: null, dedupe: null, undoCursor: null, startedAt: null, finishedAt: null, undoneAt: null }, null);
}

function checkMapping(fields: readonly { key: string }[], headers: string[], mapping: (string | null)[]) {
  if (mapping.length !== headers.length) {
    throw invalid(`The mapping has ${mapping.length} columns; the file has ${headers.length}`, [{ path: 'mapping', message: 'one entry per column' }]);
  }
  const known = new Set(fields.map((f) => f.key));
  const seen = new Set<string>();
  const problems = mapping.flatMap((field, i) => {
    if (field === null) return [];
    if (!known.has(field)) return [{ path: `mapping.${i}`, message: `no field ${field}` }];
    if (seen.has(field)) return [{ path: `mapping.${i}`, message: `${field} is mapped to an earlier column already` }];
    seen.add(field);
    return [];
  });
  if (problems.length) throw invalid('Some columns are mapped to fields that cannot take them', problems);
  if (!seen.size) throw invalid('Map at least one column to a field', [{ path: 'mapping', message: 'nothing mapped' }]);
}

export async function startImport(scope: Scope, queues: Queues, id: string, start: ImportStart): Promise<ImportView> {
  const row = await readImport(scope, id);
  if (row.status !== 'uploaded') throw conflict(row.status === 'uploading' ? 'Upload the file first' : 'This import has already started');
  checkMapping(importerOf(row.entity).fields, row.headers ?? [], start.mapping);
  const where = and(scope.ws.scope(imports, eq(imports.id, id)), eq(imports.status, 'uploaded'));
  const [started] = await scope.db
    .update(imports)
    .set({ status: 'running', mapping: start.mapping, dedupe: start.dedupe, startedAt: scope.now, updatedAt: scope.now })
    .where(where)
    .returning();
  if (!started) throw conflict('This import has already started');
  await queues.send('maintenance', importMessage(scope.ws.workspaceId, id));
  return importView(started, null);
}

export async function undoImport(scope: Scope, queues: Queues, id: string, undoWindowMs: number): Promise<ImportView> {
  const row = await readImport(scope, id);
  if (row.status === 'undoing' || row.status === 'undone') throw conflict('This import was already undone');
  if (row.status !== 'done') throw conflict('Only a finished import can be undone');
  if (undoWindowPassed(row.finishedAt, scope.now, undoWindowMs)) {
    throw conflict(`This import finished more than ${Math.round(undoWindowMs / 86_400_000)} days ago, past the undo window; what it changed can no longer be put back`);
  }
  const [undoing] = await scope.db
    .update(imports)
    .set({ status: 'undoing', undoCursor: null, updatedAt: scope.now })
    .where(and(scope.ws.scope(imports, eq(imports.id, id)), eq(imports.status, 'done')))
    .returning();
  if (!undoing) throw conflict('This import was already undone');
  await queues.send('maintenance', importMessage(scope.ws.workspaceId, id));
  return importView(undoing, undoWindowMs);
}
