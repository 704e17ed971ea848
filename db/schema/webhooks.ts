import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { SourceKind, HmacScheme } from '../../functions/domain/webhooks/verify';
import type { FormMapping } from '../../functions/domain/webhooks/forms';
import type { EmailEventType } from '../../functions/domain/webhooks/email-events';
import type { Suppression } from '../../functions/domain/deliverability';
import { timestamps, workspaceId } from './columns';

// Inbound webhooks (issue 8): the senders a workspace takes requests from,
// every request accepted (the inbox), and what the email events among
// them say of each address.

// A sender: POST /webhooks/{id} is its URL. The secret verifies its
// requests (functions/domain/webhooks/verify.ts); after a rotation the
// previous one still does until `previousUntil`.
export const webhookSources = sqliteTable(
  'webhook_sources',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    kind: text('kind').$type<SourceKind>().notNull(),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousUntil: integer('previous_until'),
    // The configurable HMAC kind's header, algorithm and encoding.
    hmac: text('hmac', { mode: 'json' }).$type<HmacScheme>(),
    // Where a form tool puts each contact field; empty for email senders.
    mapping: text('mapping', { mode: 'json' }).$type<FormMapping>().notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    createdBy: text('created_by').notNull(),
    ...timestamps,
  },
  (t) => [index('webhook_sources_ws_name').on(t.workspaceId, t.name, t.id)],
);

export const WEBHOOK_EVENT_STATUSES = ['pending', 'applied', 'failed'] as const;

// Every request a source sent that verified, as it came (the body's text,
// the headers worth keeping), deduplicated on the sender's id for it, and
// what applying it did. A replay applies it again, idempotently.
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    sourceId: text('source_id').notNull(),
    // The source's kind when it came, for reading the body even after the
    // source is gone.
    kind: text('kind').$type<SourceKind>().notNull(),
    // The sender's id for the request (webhook-id, svix-id), else the
    // body's SHA-256: a resend of the same request is the same key.
    eventKey: text('event_key').notNull(),
    receivedAt: integer('received_at').notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    contentType: text('content_type'),
    body: text('body').notNull(),
    // Which secret verified it: 0 the current one, 1 the previous.
    verifiedWith: integer('verified_with').notNull(),
    // form, email, or what the payload said it was.
    type: text('type'),
    status: text('status', { enum: WEBHOOK_EVENT_STATUSES }).notNull(),
    attempts: integer('attempts').notNull(),
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    error: text('error'),
    appliedAt: integer('applied_at'),
  },
  (t) => [
    uniqueIndex('webhook_events_source_key').on(t.workspaceId, t.sourceId, t.eventKey),
    index('webhook_events_ws_received').on(t.workspaceId, t.receivedAt, t.id),
    index('webhook_events_ws_status').on(t.workspaceId, t.status, t.receivedAt),
    // The inbox filtered by source, newest first, and each source's count
    // and latest request on the sources list, read from the index alone.
    index('webhook_events_ws_source_received').on(t.workspaceId, t.sourceId, t.receivedAt, t.id),
    // The */5 sweep's (functions/jobs/sweep.ts): events never tried, in
    // every workspace, oldest first; only those rows are in it.
    index('webhook_events_untried').on(t.receivedAt).where(sql`status = 'pending' and attempts = 0`),
  ],
);

// One email event a provider reported, applied once: unique on the
// provider's own id for it, per source.
export const emailEvents = sqliteTable(
  'email_events',
  {
    workspaceId: workspaceId(),
    sourceId: text('source_id').notNull(),
    providerEventId: text('provider_event_id').notNull(),
    webhookEventId: text('webhook_event_id').notNull(),
    address: text('address').notNull(),
    type: text('type').$type<EmailEventType>().notNull(),
    bounce: text('bounce', { enum: ['hard', 'soft'] }),
    at: integer('at').notNull(),
    detail: text('detail'),
    url: text('url'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.sourceId, t.providerEventId] }),
    index('email_events_ws_address').on(t.workspaceId, t.address, t.at),
  ],
);

// What the events say of each address (functions/domain/deliverability.ts):
// the suppression list is the rows with a suppression.
export const emailDeliverability = sqliteTable(
  'email_deliverability',
  {
    workspaceId: workspaceId(),
    address: text('address').notNull(),
    suppression: text('suppression').$type<Suppression>(),
    suppressedAt: integer('suppressed_at'),
    latestStatus: text('latest_status', { enum: ['deliverable', 'soft_bouncing'] }),
    latestAt: integer('latest_at'),
    lastOpenedAt: integer('last_opened_at'),
    lastClickedAt: integer('last_clicked_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.address] }),
    index('email_deliverability_ws_suppressed').on(t.workspaceId, t.suppressedAt, t.address).where(sql`suppression is not null`),
  ],
);

// A person's arrival through a channel a webhook reported (a form fill):
// where from, as the form tool told it. One per request (the webhook
// event's id), shown on the contact's timeline.
export const contactTouches = sqliteTable(
  'contact_touches',
  {
    id: text('id').primaryKey(),
    workspaceId: workspaceId(),
    contactId: text('contact_id').notNull(),
    sourceId: text('source_id').notNull(),
    channel: text('channel', { enum: ['form'] }).notNull(),
    at: integer('at').notNull(),
    utm: text('utm', { mode: 'json' }).$type<Record<string, string | null>>().notNull(),
    landingPage: text('landing_page'),
    referrer: text('referrer'),
    // What else the form said: its message, the company named.
    detail: text('detail', { mode: 'json' }).$type<Record<string, string | null>>().notNull(),
  },
  (t) => [index('contact_touches_ws_contact').on(t.workspaceId, t.contactId, t.at, t.id)],
);
