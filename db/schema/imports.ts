import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DEDUPE_MODES, IMPORT_ENTITIES, IMPORT_STATUSES } from '../../functions/domain/imports';
import { timestamps, workspaceId } from './columns';

// CSV imports (functions/services/imports). There is no object store in our
// stack, so the uploaded file is kept here, in chunks of whole records,
// until the import has run; the rows it rejected and a ledger of what it
// created and updated (for Undo) stay with it.
export const imports = sqliteTable(
  'imports',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    entity: text('entity', { enum: IMPORT_ENTITIES }).notNull(),
    actorId: text('actor_id').notNull(),
    filename: text('filename').notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull(),
    // Why the file was refused, for the user.
    error: text('error'),
    delimiter: text('delimiter'),
    headers: text('headers', { mode: 'json' }).$type<string[]>(),
    preview: text('preview', { mode: 'json' }).$type<string[][]>(),
    // Data rows (the header row not counted) and stored chunks.
    totalRows: integer('total_rows').notNull(),
    chunks: integer('chunks').notNull(),
    bytes: integer('bytes').notNull(),
    // Set when the import starts: a field (or null, ignored) per column.
    mapping: text('mapping', { mode: 'json' }).$type<(string | null)[]>(),
    dedupe: text('dedupe', { enum: DEDUPE_MODES }),
    // Where the job carries on: a stored chunk, a character offset in it
    // (a record boundary) and the line of the file it is on. The step that
    // writes rows moves them in the same batch.
    cursorChunk: integer('cursor_chunk').notNull(),
    cursorOffset: integer('cursor_offset').notNull(),
    cursorLine: integer('cursor_line').notNull(),
    processed: integer('processed').notNull(),
    created: integer('created').notNull(),
    updated: integer('updated').notNull(),
    skipped: integer('skipped').notNull(),
    rejected: integer('rejected').notNull(),
    // Undo walks the ledger by record id from here.
    undoCursor: text('undo_cursor'),
    ...timestamps,
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    undoneAt: integer('undone_at'),
  },
  (t) => [index('imports_ws_created').on(t.workspaceId, t.createdAt)],
);

export const importChunks = sqliteTable(
  'import_chunks',
  {
    workspaceId: workspaceId(),
    importId: text('import_id').notNull(),
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

// A row the import did not write, and why: the report users download. A
// row is named by the line of the file it starts on.
export const importRejects = sqliteTable(
  'import_rejects',
  {
    workspaceId: workspaceId(),
    importId: text('import_id').notNull(),
    line: integer('line').notNull(),
    reason: text('reason').notNull(),
    fields: text('fields', { mode: 'json' }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.line] })],
);

// What an import did to each record, so Undo can take it back: a record
// it created goes to the trash, one it updated gets `before` (its columns
// as they were) back. A record the import touches twice keeps its first
// entry. 'skipped' marks a record that dedupe "skip" left alone, for
// objects whose rows a file spreads over several steps (an order's
// lines): it is counted once, and Undo has nothing to take back.
export const importItems = sqliteTable(
  'import_items',
  {
    workspaceId: workspaceId(),
    importId: text('import_id').notNull(),
    recordId: text('record_id').notNull(),
    action: text('action', { enum: ['created', 'updated', 'skipped'] }).notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.recordId] })],
);

// Every address of every contact, lower-cased, kept by triggers on
// contacts (like record_tags): an import finds the contacts a chunk's
// emails already belong to with one indexed query instead of reading
// every contact's emails.
export const contactEmails = sqliteTable(
  'contact_emails',
  {
    workspaceId: workspaceId(),
    address: text('address').notNull(),
    contactId: text('contact_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.address, t.contactId] })],
);
