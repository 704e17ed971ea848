import { and, desc, eq, gt } from 'drizzle-orm';
import { importRejects, imports } from '../../../db/schema';
import { suggestMapping } from '../../domain/csv/mapping';
import { csvRecord, spreadsheetSafe, UTF8_BOM } from '../../domain/csv/write';
import type { ImportView } from '../../schemas/imports';
import { notFound } from '../errors';
import type { Scope } from '../scope';
import { IMPORTERS } from './index';

type Stored = typeof imports.$inferSelect;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// `undoWindowMs` gives a finished import the time its Undo runs out; null
// where the row cannot be finished yet (one just made or started).
export function importView(row: Stored, undoWindowMs: number | null): ImportView {
  const fields = IMPORTERS[row.entity]?.fields ?? [];
  const headers = row.headers ?? [];
  return {
    id: row.id,
    entity: row.entity,
    filename: row.filename,
    status: row.status,
    error: row.error,
    delimiter: row.delimiter as ImportView['delimiter'],
    headers,
    preview: row.preview ?? [],
    fields: fields.map(({ key, label }) => ({ key, label })),
    suggestedMapping: suggestMapping(headers, fields),
    mapping: row.mapping,
    dedupe: row.dedupe,
    totalRows: row.totalRows,
    bytes: row.bytes,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    rejected: row.rejected,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    undoneAt: iso(row.undoneAt),
    undoUntil: row.status === 'done' && row.finishedAt !== null && undoWindowMs !== null ? iso(row.finishedAt + undoWindowMs) : null,
  };
}

export async function readImport(scope: Scope, id: string): Promise<Stored> {
  const [row] = await scope.db.select().from(imports).where(scope.ws.scope(imports, eq(imports.id, id)));
  if (!row) throw notFound('Import');
  return row;
}

export const getImport = async (scope: Scope, id: string, undoWindowMs: number) => importView(await readImport(scope, id), undoWindowMs);

// The workspace's imports, newest first.
export const MAX_LISTED = 100;
export async function listImports(scope: Scope, undoWindowMs: number): Promise<{ data: ImportView[] }> {
  const rows = await scope.db.select().from(imports).where(scope.ws.scope(imports)).orderBy(desc(imports.createdAt), desc(imports.id)).limit(MAX_LISTED);
  return { data: rows.map((row) => importView(row, undoWindowMs)) };
}

// The rejected rows as a CSV file: the line, why, then the row as it was
// (formula cells neutralised: the file came from outside).
const REPORT_PAGE = 1000;
export async function rejectsReport(scope: Scope, id: string): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const row = await readImport(scope, id);
  const encoder = new TextEncoder();
  let after = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(UTF8_BOM + csvRecord(['Line', 'Reason', ...(row.headers ?? [])])));
        return;
      }
      const page = await scope.db
        .select({ line: importRejects.line, reason: importRejects.reason, fields: importRejects.fields })
        .from(importRejects)
        .where(scope.ws.scope(importRejects, and(eq(importRejects.importId, id), gt(importRejects.line, after))))
        .orderBy(importRejects.line)
        .limit(REPORT_PAGE);
      if (page.length) controller.enqueue(encoder.encode(page.map((r) => csvRecord([String(r.line), r.reason, ...r.fields.map(spreadsheetSafe)])).join('')));
      if (page.length < REPORT_PAGE) controller.close();
      else after = page[page.length - 1]!.line;
    },
  });
  const base = row.filename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-') || 'import';
  return { filename: `${base}-rejected-rows.csv`, body };
}
