import { integer, text } from 'drizzle-orm/sqlite-core';

// Time is UTC epoch milliseconds in the database (ISO strings on the wire).
export const timestamps = {
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
};

export const workspaceId = () => text('workspace_id').notNull();
