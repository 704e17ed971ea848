import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceId } from './columns';

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    changes: text('changes', { mode: 'json' }).$type<Record<string, unknown>>(),
    at: integer('at').notNull(),
  },
  (t) => [index('audit_ws_entity').on(t.workspaceId, t.entityType, t.entityId, t.at)],
);
