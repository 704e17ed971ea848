import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { OutboundEventType } from '../../functions/domain/webhooks/outbound-events';
import { timestamps, workspaceId } from './columns';

// Outbound webhooks (issue 8): where a workspace wants its events sent,
// each event owed to each of them (the outbox), and every attempt made.

export const webhookSubscriptions = sqliteTable(
  'webhook_subscriptions',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    url: text('url').notNull(),
    description: text('description').notNull(),
    // Event type names (functions/domain/webhooks/outbound-events.ts).
    eventTypes: text('event_types', { mode: 'json' }).$type<OutboundEventType[]>().notNull(),
    // Standard Webhooks form, whsec_ + base64; during a rotation's grace
    // period requests carry a signature with each.
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousUntil: integer('previous_until'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    disabledReason: text('disabled_reason'),
    disabledAt: integer('disabled_at'),
    // When the current run of failed attempts began (null after a success).
    failingSince: integer('failing_since'),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (t) => [index('webhook_subscriptions_ws').on(t.workspaceId, t.enabled)],
);

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

// One event owed to one subscription. Written in the same batch as the
// change it reports, so none is lost; the row, not a queue message, says
// what is still to send and when (nextAttemptAt). Its id is the
// webhook-id header, the same on every attempt.
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    subscriptionId: text('subscription_id').notNull(),
    eventType: text('event_type').$type<OutboundEventType | 'webhook.test'>().notNull(),
    // What caused it, when a cause may be applied again (an inbound event
    // replayed): the same cause owes a subscription one delivery.
    causeKey: text('cause_key'),
    // The request body, built when the event happened: { type, timestamp, data }.
    payload: text('payload').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at'),
    // A sender holding it until then; another leaves it alone.
    leaseUntil: integer('lease_until'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
  },
  (t) => [
    index('webhook_deliveries_ws_created').on(t.workspaceId, t.createdAt, t.id),
    index('webhook_deliveries_ws_sub_created').on(t.workspaceId, t.subscriptionId, t.createdAt, t.id),
    // The sweep for deliveries whose nudge was lost.
    index('webhook_deliveries_due').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    uniqueIndex('webhook_deliveries_cause').on(t.workspaceId, t.subscriptionId, t.causeKey).where(sql`cause_key is not null`),
  ],
);

// Every request made for a delivery and what came back, truncated.
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    deliveryId: text('delivery_id').notNull(),
    at: integer('at').notNull(),
    url: text('url').notNull(),
    requestHeaders: text('request_headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: text('response_headers', { mode: 'json' }).$type<Record<string, string>>(),
    responseBody: text('response_body'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
  },
  (t) => [index('webhook_attempts_ws_delivery').on(t.workspaceId, t.deliveryId, t.at), index('webhook_attempts_at').on(t.at)],
);
