import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { CustomFieldValues, PostalAddress } from '../../functions/domain/records';
import { timestamps, workspaceId } from './columns';

export const companies = sqliteTable(
  'companies',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    sortName: text('sort_name').notNull(),
    domain: text('domain'),
    website: text('website'),
    industry: text('industry'),
    employees: integer('employees'),
    phone: text('phone'),
    address: text('address', { mode: 'json' }).$type<PostalAddress>(),
    description: text('description'),
    ownerId: text('owner_id'),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    customFields: text('custom_fields', { mode: 'json' }).$type<CustomFieldValues>().notNull(),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    index('companies_ws_name').on(t.workspaceId, t.sortName, t.id).where(sql`deleted_at is null`),
    index('companies_ws_created').on(t.workspaceId, t.createdAt, t.id).where(sql`deleted_at is null`),
    // Duplicate checks: "does a company with this domain exist?"
    index('companies_ws_domain').on(t.workspaceId, t.domain).where(sql`deleted_at is null`),
    index('companies_ws_deleted').on(t.workspaceId, t.deletedAt).where(sql`deleted_at is not null`),
  ],
);
