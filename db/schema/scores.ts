import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { RFM_SEGMENTS, RUN_PHASES, RUN_STATUSES, RUN_TRIGGERS, VALUE_TIERS } from '../../functions/domain/rfm';
import { workspaceId } from './columns';

// What the nightly segmentation knows about each customer (a contact with
// at least one purchase): RFM, spend tier, churn risk and lifetime value.
// Money is integer minor units of the workspace's reporting currency.
export const customerScores = sqliteTable(
  'customer_scores',
  {
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    runId: text('run_id').notNull(),
    // Purchases in the workspace's RFM window.
    orders: integer('orders').notNull(),
    revenue: integer('revenue').notNull(),
    // Purchases ever.
    lifetimeOrders: integer('lifetime_orders').notNull(),
    lifetimeRevenue: integer('lifetime_revenue').notNull(),
    firstOrderAt: integer('first_order_at').notNull(),
    lastOrderAt: integer('last_order_at').notNull(),
    recencyDays: integer('recency_days').notNull(),
    r: integer('r').notNull(),
    f: integer('f').notNull(),
    m: integer('m').notNull(),
    segment: text('segment', { enum: RFM_SEGMENTS }).notNull(),
    tier: text('tier', { enum: VALUE_TIERS }).notNull(),
    // 0 (buying on rhythm) to 100 (long past due), and the rhythm it was
    // measured against.
    churnRisk: integer('churn_risk').notNull(),
    expectedGapDays: real('expected_gap_days'),
    predictedValue: integer('predicted_value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId] }),
    // The segment builder's "segment is At risk": a segment's contact ids
    // from the index alone.
    index('customer_scores_ws_segment_contact').on(t.workspaceId, t.segment, t.contactId),
    index('customer_scores_ws_tier').on(t.workspaceId, t.tier, t.revenue),
    index('customer_scores_ws_grid').on(t.workspaceId, t.r, t.f, t.m),
    index('customer_scores_ws_churn').on(t.workspaceId, t.churnRisk, t.lifetimeRevenue),
  ],
);

// A customer's score history, one row per run in which their segment,
// tier or scores changed (the first scoring included), so "entered At risk
// since the last run" is a query on (run, toSegment).
export const customerScoreChanges = sqliteTable(
  'customer_score_changes',
  {
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    runId: text('run_id').notNull(),
    at: integer('at').notNull(),
    fromSegment: text('from_segment', { enum: RFM_SEGMENTS }),
    toSegment: text('to_segment', { enum: RFM_SEGMENTS }).notNull(),
    fromTier: text('from_tier', { enum: VALUE_TIERS }),
    toTier: text('to_tier', { enum: VALUE_TIERS }).notNull(),
    r: integer('r').notNull(),
    f: integer('f').notNull(),
    m: integer('m').notNull(),
    churnRisk: integer('churn_risk').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId, t.runId] }),
    index('customer_score_changes_ws_run').on(t.workspaceId, t.runId, t.toSegment),
  ],
);

// One segmentation of one workspace: its progress while it runs (phase and
// cursor, so a retried chunk resumes) and its figures once done.
export const segmentationRuns = sqliteTable(
  'segmentation_runs',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    // What makes two requests one run: the night's date for the cron, so a
    // doubled message does not run twice.
    key: text('key').notNull(),
    trigger: text('trigger', { enum: RUN_TRIGGERS }).notNull(),
    requestedBy: text('requested_by'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    phase: text('phase', { enum: RUN_PHASES }).notNull(),
    cursor: text('cursor'),
    // The run's "now" and window, fixed at its start so every chunk agrees.
    asOf: integer('as_of').notNull(),
    windowDays: integer('window_days').notNull(),
    chunks: integer('chunks').notNull(),
    customers: integer('customers').notNull(),
    // Customers gone through in the current chunked phase, of `customers`,
    // so a progress bar moves with the work rather than with the phases.
    processed: integer('processed').notNull().default(0),
    // The last committed chunk: a run still running long after it is stalled
    // (its messages dead-lettered), and "run now" resumes it.
    updatedAt: integer('updated_at').notNull().default(0),
    stats: text('stats', { mode: 'json' }).$type<Record<string, unknown>>(),
    error: text('error'),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [uniqueIndex('segmentation_runs_ws_key').on(t.workspaceId, t.key), index('segmentation_runs_ws_started').on(t.workspaceId, t.startedAt)],
);

// Products bought together, from the last run: "customers who bought X
// also buy Y" with the pair's support, confidence (X → Y) and lift.
export const productAffinities = sqliteTable(
  'product_affinities',
  {
    workspaceId: workspaceId(),
    productId: text('product_id').notNull(),
    otherProductId: text('other_product_id').notNull(),
    runId: text('run_id').notNull(),
    ordersTogether: integer('orders_together').notNull(),
    support: real('support').notNull(),
    confidence: real('confidence').notNull(),
    lift: real('lift').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.productId, t.otherProductId] }),
    index('product_affinities_ws_rank').on(t.workspaceId, t.productId, t.lift),
  ],
);

// What one unit of a currency is worth in the workspace's reporting
// currency, for orders in other currencies; an order in a currency without
// a rate counts as a purchase but adds no revenue (the run says how many).
export const exchangeRates = sqliteTable(
  'exchange_rates',
  {
    workspaceId: workspaceId(),
    currency: text('currency').notNull(),
    rate: real('rate').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency] })],
);

// A run's working set: one row per customer, filled chunk by chunk from
// the orders, sorted once for the cut points of the scores, then scored
// into customer_scores chunk by chunk and deleted when the run ends. Keyed
// by run, so two runs never mix rows.
export const segmentationCustomers = sqliteTable(
  'segmentation_customers',
  {
    workspaceId: workspaceId(),
    runId: text('run_id').notNull(),
    contactId: text('contact_id').notNull(),
    orders: integer('orders').notNull(),
    revenue: integer('revenue').notNull(),
    lifetimeOrders: integer('lifetime_orders').notNull(),
    lifetimeRevenue: integer('lifetime_revenue').notNull(),
    // Purchases in a currency without an exchange rate: counted, worth 0.
    unpricedOrders: integer('unpriced_orders').notNull(),
    firstOrderAt: integer('first_order_at').notNull(),
    lastOrderAt: integer('last_order_at').notNull(),
    recencyDays: integer('recency_days').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.runId, t.contactId] })],
);
