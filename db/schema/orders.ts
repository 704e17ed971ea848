import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ORDER_STATUSES } from '../../functions/domain/commerce';
import { timestamps, workspaceId } from './columns';

// A customer's purchase. Amounts are integer minor units of `currency`;
// `total` is what was charged and `refunded` what was given back, so
// revenue is total - refunded and a cancelled order is worth nothing.
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    // The shop's own id: a re-sent batch finds its orders by it instead of
    // adding them again.
    externalId: text('external_id'),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    orderedAt: integer('ordered_at').notNull(),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    discount: integer('discount').notNull(),
    shipping: integer('shipping').notNull(),
    tax: integer('tax').notNull(),
    total: integer('total').notNull(),
    refunded: integer('refunded').notNull(),
    note: text('note'),
    ...timestamps,
    deletedAt: integer('deleted_at'),
  },
  (t) => [
    uniqueIndex('orders_ws_external').on(t.workspaceId, t.externalId).where(sql`external_id is not null`),
    // A customer's purchase history, and the nightly per-customer
    // aggregates, read from the index alone.
    index('orders_ws_contact').on(t.workspaceId, t.contactId, t.orderedAt, t.status, t.currency, t.total, t.refunded).where(sql`deleted_at is null`),
    index('orders_ws_ordered').on(t.workspaceId, t.orderedAt, t.id).where(sql`deleted_at is null`),
    index('orders_ws_created').on(t.workspaceId, t.createdAt, t.id).where(sql`deleted_at is null`),
    index('orders_ws_deleted').on(t.workspaceId, t.deletedAt).where(sql`deleted_at is not null`),
  ],
);

// What an order was made of. `sku` and `name` are kept as sold, so a line
// still reads right after its product is renamed or erased; `productId`
// links it to the catalogue when the SKU is known there.
export const orderLines = sqliteTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    orderId: text('order_id').notNull(),
    position: integer('position').notNull(),
    productId: text('product_id'),
    sku: text('sku'),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: integer('unit_price').notNull(),
    total: integer('total').notNull(),
  },
  (t) => [
    uniqueIndex('order_lines_order').on(t.workspaceId, t.orderId, t.position),
    // An order's lines by product, as the analytics triggers (migration
    // 0018) sum them on every write of an order: without it SQLite walks
    // the workspace's whole product index to spare itself a GROUP BY sort,
    // and an import slows with every order it adds.
    index('order_lines_ws_order_product').on(t.workspaceId, t.orderId, t.productId),
    // What sells (top products, seasonality) and bought-together pairs.
    index('order_lines_ws_product').on(t.workspaceId, t.productId, t.orderId),
  ],
);
