import { and, eq, sql } from 'drizzle-orm';
import { importChunks, imports } from '../../../db/schema';
import type { Delimiter } from '../../domain/csv/parse';
import type { Queues } from '../../jobs/queues';
import type { Scope } from '../scope';
import { importStep, type Running } from './run';
import { undoStep } from './undo';

// The queue job that runs an import (or its Undo): up to STEPS_PER_MESSAGE
// steps, then a continuation message while there is more. Each step reads
// the import and the chunk at its cursor (one round trip), looks up
// existing records (one) and writes (one batch). A message waits for its
// turn on the queue before it is delivered (on Cloudflare a hop between
// invocations; maintenance has no batch window, wrangler.toml),
// so a message does a lot: 30 steps are 150,000 rows, 91 subrequests and
// a few seconds of CPU, inside a consumer's limits.
export const STEPS_PER_MESSAGE = 30;
export const IMPORT_SUBREQUESTS = STEPS_PER_MESSAGE * 3 + 1;

export const importMessage = (workspaceId: string, importId: string) => ({ type: 'import' as const, workspaceId, importId });

type Stored = typeof imports.$inferSelect;

async function readState(scope: Scope, id: string): Promise<{ row: Stored; text: string | null } | undefined> {
  const [rows, chunk] = await scope.ws.batch([
    scope.db.select().from(imports).where(scope.ws.scope(imports, eq(imports.id, id))),
    scope.db.all<{ text: string }>(
      sql`select ${importChunks.text} as "text" from ${importChunks} join ${imports} on ${imports.id} = ${importChunks.importId}
        where ${scope.ws.scope(importChunks, and(eq(importChunks.importId, id), sql`${importChunks.seq} = ${imports.cursorChunk}`))}
          and ${imports.status} = 'running'`,
    ),
  ]);
  const row = rows[0];
  return row && { row, text: chunk[0]?.text ?? null };
}

const runningOf = (row: Stored): Running => ({
  id: row.id,
  entity: row.entity,
  actorId: row.actorId,
  delimiter: row.delimiter as Delimiter,
  headers: row.headers ?? [],
  mapping: row.mapping ?? [],
  dedupe: row.dedupe ?? 'skip',
  chunks: row.chunks,
  cursorChunk: row.cursorChunk,
  cursorOffset: row.cursorOffset,
  cursorLine: row.cursorLine,
});

export async function continueImport(
  deps: { now: () => number; queues: Queues },
  scopeAt: (now: number) => Scope,
  importId: string,
): Promise<{ steps: number; continued: boolean }> {
  for (let step = 1; step <= STEPS_PER_MESSAGE; step++) {
    const scope = scopeAt(deps.now());
    const state = await readState(scope, importId);
    if (!state) return { steps: step - 1, continued: false };
    const { row, text } = state;
    let finished: boolean;
    if (row.status === 'running' && text !== null) finished = (await importStep(scope, runningOf(row), text)).finished;
    else if (row.status === 'undoing') finished = (await undoStep(scope, row)).finished;
    else return { steps: step - 1, continued: false };
    if (finished) return { steps: step, continued: false };
  }
  const scope = scopeAt(deps.now());
  await deps.queues.send('maintenance', importMessage(scope.ws.workspaceId, importId));
  return { steps: STEPS_PER_MESSAGE, continued: true };
}
