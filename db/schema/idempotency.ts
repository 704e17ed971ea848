import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceId } from './columns';

// Creates sent with an Idempotency-Key header (IETF draft
// "The Idempotency-Key HTTP Header Field"): the first request claims the
// key; its answer is kept, so a retry of the same request gets the same
// answer instead of a second record. `status` is null while the first is
// still running. Kept a day (the nightly cron forgets older keys).
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    workspaceId: workspaceId(),
    key: text('key').notNull(),
    // What the key was first used for: method, path and body, hashed.
    fingerprint: text('fingerprint').notNull(),
    status: integer('status'),
    body: text('body'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);
