import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
  // Analytics: the currency revenue is reported in, and how far back the
  // nightly RFM looks.
  reportingCurrency: text('reporting_currency').notNull().default('USD'),
  rfmWindowDays: integer('rfm_window_days').notNull().default(365),
});
