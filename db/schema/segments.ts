import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { SEGMENT_CHANGE_KINDS, type SegmentDefinition } from '../../functions/domain/segments';
import { timestamps, workspaceId } from './columns';

// Dynamic segments: a saved filter over contacts (functions/domain/
// segments.ts) whose members are kept here, refreshed nightly and on
// demand, so an audience (a campaign's) is an index range, not a query.
export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    description: text('description'),
    definition: text('definition', { mode: 'json' }).$type<SegmentDefinition>().notNull(),
    // Members at the last refresh (refreshedAt null: never refreshed).
    memberCount: integer('member_count').notNull(),
    refreshedAt: integer('refreshed_at'),
    createdBy: text('created_by').notNull(),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('segments_ws_name').on(t.workspaceId, t.name, t.id).where(sql`deleted_at is null`),
    // The nightly refresh walks a workspace's segments by id, a chunk at a time.
    index('segments_ws_id').on(t.workspaceId, t.id).where(sql`deleted_at is null`),
  ],
);

// Who is in a segment now. The key starts with the tenant and the segment,
// so "members of segment X" reads one range of the primary key.
export const segmentMembers = sqliteTable(
  'segment_members',
  {
    workspaceId: workspaceId(),
    segmentId: text('segment_id').notNull(),
    contactId: text('contact_id').notNull(),
    since: integer('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.segmentId, t.contactId] }), index('segment_members_ws_contact').on(t.workspaceId, t.contactId)],
);

// Every entry to and exit from a segment, by the refresh that saw it: a
// nightly run's id, or null for one asked for on demand. `seq` orders them
// (two refreshes within one millisecond still come out in order).
export const segmentChanges = sqliteTable(
  'segment_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    workspaceId: workspaceId(),
    segmentId: text('segment_id').notNull(),
    contactId: text('contact_id').notNull(),
    kind: text('kind', { enum: SEGMENT_CHANGE_KINDS }).notNull(),
    at: integer('at').notNull(),
    runId: text('run_id'),
  },
  (t) => [index('segment_changes_ws_segment').on(t.workspaceId, t.segmentId, t.seq)],
);
