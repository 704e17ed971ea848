import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { workspaceId } from './columns';

// Running totals the dashboards read instead of the orders themselves: at a
// million orders a month-by-month sum over `orders` is a scan of every row
// in the period (hundreds of ms), while these hold a few rows per month.
//
// They are kept by triggers on orders and order_lines (the
// analytics_totals_triggers migration), not by the nightly segmentation:
// an import the user has just run shows in the charts at once, whoever
// wrote the orders (API, CSV import, a script), in the same transaction.
// Months are UTC calendar months, 'YYYY-MM'. An order counts when it is
// neither cancelled nor in the trash; its revenue is total - refunded
// (never below zero), in its own currency: conversion to the reporting
// currency happens when read, so a changed exchange rate needs no rebuild.

// Orders and revenue per month and currency.
export const orderMonthTotals = sqliteTable(
  'order_month_totals',
  {
    workspaceId: workspaceId(),
    month: text('month').notNull(),
    currency: text('currency').notNull(),
    orders: integer('orders').notNull(),
    revenue: integer('revenue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.month, t.currency] })],
);

// Distinct customers who bought in a month (whatever the currency).
export const monthCustomers = sqliteTable(
  'month_customers',
  {
    workspaceId: workspaceId(),
    month: text('month').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.month] })],
);

// Units and revenue per catalogue product, month and currency. A line's
// revenue is its total less its share of the order's refund (pro rata:
// refunds are recorded per order, not per line); lines whose SKU is not in
// the catalogue (no product_id) are not counted here.
export const productMonthTotals = sqliteTable(
  'product_month_totals',
  {
    workspaceId: workspaceId(),
    productId: text('product_id').notNull(),
    month: text('month').notNull(),
    currency: text('currency').notNull(),
    units: integer('units').notNull(),
    revenue: integer('revenue').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.month, t.productId, t.currency] }),
    // The period's rows read from the index alone (the primary key's leaves
    // would send each row to the table: 12 ms for 2,600 rows at 1M orders).
    index('product_month_totals_ws_month').on(t.workspaceId, t.month, t.productId, t.currency, t.units, t.revenue),
  ],
);

// The nightly scores counted by RFM cell (R and FM = (F + M + 1) div 2),
// tier and month of the last purchase, rebuilt by each segmentation run as
// it finishes (functions/services/segmentation/summaries.ts): the RFM grid and the tiers
// read a few hundred of these rows instead of every customer's scores
// (100k index entries, over 100 ms at that size). Revenue is the scores'
// window revenue, in the reporting currency.
export const scoreCells = sqliteTable(
  'score_cells',
  {
    workspaceId: workspaceId(),
    r: integer('r').notNull(),
    fm: integer('fm').notNull(),
    tier: text('tier').notNull(),
    lastMonth: text('last_month').notNull(),
    customers: integer('customers').notNull(),
    revenue: integer('revenue').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.lastMonth, t.r, t.fm, t.tier] })],
);

// How many customers moved from one segment to another in a run ('' for
// first scored), counted from customer_score_changes as the run finishes: a run that
// scores 100k customers for the first time writes 100k change rows, which
// the movements chart would otherwise count on every request.
export const segmentMoves = sqliteTable(
  'segment_moves',
  {
    workspaceId: workspaceId(),
    runId: text('run_id').notNull(),
    fromSegment: text('from_segment').notNull(),
    toSegment: text('to_segment').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.runId, t.fromSegment, t.toSegment] })],
);

// Each customer's purchases per currency, kept by triggers on orders (the
// contact_purchase_totals_triggers migration) with the same counting rule:
// not cancelled, not in the trash; revenue net of refunds, never below
// zero per order. The segment builder's conditions on a customer's
// purchases ever (count, amount spent, last purchase) read these rows, one
// or two per customer, instead of every order (a million at 100k
// customers: half a second per count).
export const contactPurchaseTotals = sqliteTable(
  'contact_purchase_totals',
  {
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    currency: text('currency').notNull(),
    orders: integer('orders').notNull(),
    revenue: integer('revenue').notNull(),
    // NULL once no counted order is left.
    lastOrderAt: integer('last_order_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId, t.currency] }),
    // "Spent at least / at most" as one range of the index.
    index('contact_purchase_totals_ws_revenue').on(t.workspaceId, t.currency, t.revenue, t.contactId),
    // Counts and last purchases summed per customer from the index alone
    // (the primary key's leaves send each row to the table).
    index('contact_purchase_totals_ws_contact').on(t.workspaceId, t.contactId, t.orders, t.lastOrderAt),
  ],
);

// Which products each customer bought: the lines of their counted orders
// (not cancelled, not in the trash) per product, kept by triggers on
// orders and order_lines (the contact_product_purchases_triggers
// migration); a row leaves when its count reaches zero. The segment
// builder's "bought product X" is one range of the key here: through the
// order lines and their orders it was a lookup of every order holding the
// product (8,700 buyers of a best seller: 200 ms at a million orders).
export const contactProductPurchases = sqliteTable(
  'contact_product_purchases',
  {
    workspaceId: workspaceId(),
    productId: text('product_id').notNull(),
    contactId: text('contact_id').notNull(),
    lines: integer('lines').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.productId, t.contactId] })],
);
