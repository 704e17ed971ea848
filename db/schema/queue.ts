import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The Node host's durable queue (functions/node/queue.ts): one row per
// message until it is acked; dead letters move to the dead-letter queue's name.
export const queueMessages = sqliteTable(
  'queue_messages',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull(),
    availableAt: integer('available_at').notNull(),
    leaseUntil: integer('lease_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('queue_messages_due').on(t.queue, t.availableAt)],
);
