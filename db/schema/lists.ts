import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { BULK_STATUSES, LIST_ENTITIES, VIEW_VISIBILITIES } from '../../functions/domain/lists';
import { timestamps, workspaceId } from './columns';

// What the shared list adds to the database: the tags of every record as
// rows (so a tag is found by index and without regard to case), saved
// views, and bulk operations with the records a bulk delete moved to the
// trash (so Undo restores exactly those).

// One row per tag of a contact or company, kept by triggers on those tables
// (migrations 0007, 0009 and 0011): every writer — the services, bulk
// operations, imports, a hand-run UPDATE — keeps it right without knowing
// it exists.
// `key` is lower(tag); `live` is false while the record is in the trash.
// `stage` (contacts), `ownerId` and `sortName` copy the record's, so a
// filter of a tag with stages or an owner, the lists' most common, is
// answered inside this index: at 100k contacts, "vip" with two stages is
// counted and put in name order from its 1,409 entries, and only the page's
// 50 contacts are read, instead of the 5,837 contacts tagged "vip"
// (test/bench/results.md).
export const recordTags = sqliteTable(
  'record_tags',
  {
    workspaceId: workspaceId(),
    entity: text('entity', { enum: LIST_ENTITIES }).notNull(),
    recordId: text('record_id').notNull(),
    key: text('key').notNull(),
    tag: text('tag').notNull(),
    live: integer('live', { mode: 'boolean' }).notNull(),
    stage: text('stage'),
    ownerId: text('owner_id'),
    sortName: text('sort_name'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.entity, t.recordId, t.key] }),
    // Filters (records with a tag) and the vocabulary (tags with counts).
    index('record_tags_by_key').on(t.workspaceId, t.entity, t.key, t.live, t.stage, t.ownerId, t.sortName, t.recordId),
  ],
);

export type SavedViewState = {
  filters: Record<string, unknown>;
  sort?: string;
  columns?: string[];
};

export const savedViews = sqliteTable(
  'saved_views',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    entity: text('entity', { enum: LIST_ENTITIES }).notNull(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    visibility: text('visibility', { enum: VIEW_VISIBILITIES }).notNull(),
    state: text('state', { mode: 'json' }).$type<SavedViewState>().notNull(),
    ...timestamps,
  },
  (t) => [index('saved_views_ws_entity').on(t.workspaceId, t.entity, t.name)],
);

// A bulk action over a selection, done in chunks of rows ordered by a key
// (contacts: seq, companies: id) from `cursor` on. Progress is counted here,
// by the same batch that changes a chunk, so a retried or doubled job
// continues where the last committed chunk ended.
export const bulkOperations = sqliteTable(
  'bulk_operations',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    entity: text('entity', { enum: LIST_ENTITIES }).notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    selection: text('selection', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: BULK_STATUSES }).notNull(),
    // Records the selection matched when the operation started.
    total: integer('total').notNull(),
    processed: integer('processed').notNull(),
    changed: integer('changed').notNull(),
    // The key of the last record processed; null before the first chunk.
    cursor: text('cursor'),
    // The chunk being written: its last key, rows and rows it changes.
    chunkEnd: text('chunk_end'),
    chunkRows: integer('chunk_rows'),
    chunkChanges: integer('chunk_changes'),
    // A restore (an Undo) names the operation it undoes; that operation
    // names it back, once.
    undoOf: text('undo_of'),
    undoneBy: text('undone_by'),
    ...timestamps,
    finishedAt: integer('finished_at'),
  },
  (t) => [index('bulk_operations_ws').on(t.workspaceId, t.createdAt), uniqueIndex('bulk_operations_undo_of').on(t.undoOf)],
);

// The records a bulk delete moved to the trash.
export const bulkOperationItems = sqliteTable(
  'bulk_operation_items',
  {
    workspaceId: workspaceId(),
    operationId: text('operation_id').notNull(),
    recordId: text('record_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.operationId, t.recordId] })],
);
