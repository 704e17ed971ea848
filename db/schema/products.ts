import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { CustomFieldValues } from '../../functions/domain/records';
import { timestamps, workspaceId } from './columns';

// What the workspace sells. Prices are integer minor units of `currency`.
export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    sortName: text('sort_name').notNull(),
    category: text('category'),
    description: text('description'),
    price: integer('price').notNull(),
    currency: text('currency').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    customFields: text('custom_fields', { mode: 'json' }).$type<CustomFieldValues>().notNull(),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    // A SKU names one product of a workspace, the trash included: restoring
    // must never make two.
    uniqueIndex('products_ws_sku').on(t.workspaceId, t.sku),
    index('products_ws_name').on(t.workspaceId, t.sortName, t.id).where(sql`deleted_at is null`),
    index('products_ws_created').on(t.workspaceId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('products_ws_category').on(t.workspaceId, t.category).where(sql`deleted_at is null`),
    index('products_ws_deleted').on(t.workspaceId, t.deletedAt).where(sql`deleted_at is not null`),
  ],
);
