import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ACTIVITY_TYPES } from '../../functions/domain/records';
import { timestamps, workspaceId } from './columns';

// The timeline: notes now; calls, meetings, tasks, letters and the rest share
// this table as the sales capability lands.
export const activities = sqliteTable(
  'activities',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    type: text('type', { enum: ACTIVITY_TYPES }).notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    contactId: text('contact_id'),
    companyId: text('company_id'),
    authorId: text('author_id'),
    occurredAt: integer('occurred_at').notNull(),
    ...timestamps,
  },
  (t) => [
    index('activities_ws_contact').on(t.workspaceId, t.contactId, t.occurredAt),
    index('activities_ws_company').on(t.workspaceId, t.companyId, t.occurredAt),
  ],
);
