import { z } from '@hono/zod-openapi';
import { WEBHOOK_DELIVERY_STATUSES } from '../../db/schema/outbound-webhooks';
import { OUTBOUND_EVENT_TYPES } from '../domain/webhooks/outbound-events';
import { idRef } from './common';
import { pageQuery } from './cursor';

// Outbound webhook subscriptions (Settings → Integrations) and their
// delivery log.

// A workspace's subscriptions, at most: each event is written once per
// matching subscription in the write that causes it.
export const MAX_SUBSCRIPTIONS = 20;
export const MAX_URL_LENGTH = 2000;

const eventTypes = z
  .array(z.enum(OUTBOUND_EVENT_TYPES))
  .min(1)
  .max(OUTBOUND_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'lists an event type twice')
  .openapi({ description: 'The events to send (GET /api/webhook-subscriptions/event-types lists them)' });

const url = z.string().trim().min(1).max(MAX_URL_LENGTH).openapi({ description: 'A public http(s) address; one inside a private network is refused' });
const description = z.string().trim().max(500);

export const subscriptionCreate = z.object({ url, description: description.default(''), eventTypes }).strict();
export type SubscriptionCreate = z.infer<typeof subscriptionCreate>;

export const subscriptionUpdate = z
  .object({
    url: url.optional(),
    description: description.optional(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional().openapi({ description: 'Off: nothing is sent and what was waiting is marked failed; on again: events are sent from now' }),
  })
  .strict();
export type SubscriptionUpdate = z.infer<typeof subscriptionUpdate>;

export const subscriptionRotation = z
  .object({ graceHours: z.number().int().min(0).max(168).default(24).openapi({ description: 'How long requests are also signed with the previous secret (0–168 hours)' }) })
  .strict();

const lastDelivery = z
  .object({ id: z.string(), eventType: z.string(), status: z.enum(WEBHOOK_DELIVERY_STATUSES), createdAt: z.string().datetime(), lastStatus: z.number().int().nullable(), lastError: z.string().nullable() })
  .nullable()
  .openapi({ description: 'The newest delivery and how it went' });

export const subscriptionSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.enum(OUTBOUND_EVENT_TYPES)),
    secretHint: z.string().openapi({ description: 'The last characters of the signing secret; the secret itself is shown once' }),
    previousSecretUntil: z.string().datetime().nullable().openapi({ description: 'Until when requests also carry a signature with the secret before the last rotation' }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    disabledAt: z.string().datetime().nullable(),
    failingSince: z.string().datetime().nullable().openapi({ description: 'When the current run of failed attempts began; after five days of nothing but failures the subscription is turned off' }),
    lastDelivery,
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookSubscription');
export type SubscriptionView = z.infer<typeof subscriptionSchema>;

export const subscriptionWithSecret = subscriptionSchema
  .extend({ secret: z.string().openapi({ description: 'The signing secret (whsec_…), shown this once: give it to the receiver now' }) })
  .openapi('WebhookSubscriptionWithSecret');
export const subscriptionList = z.object({ data: z.array(subscriptionSchema) }).openapi('WebhookSubscriptionList');

export const eventTypeCatalogue = z
  .object({ data: z.array(z.object({ type: z.enum(OUTBOUND_EVENT_TYPES), description: z.string() })) })
  .openapi('WebhookEventTypes');

export const deliverySchema = z
  .object({
    id: z.string().openapi({ description: 'Also the webhook-id header, the same on every attempt' }),
    subscriptionId: z.string(),
    eventType: z.string(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.string().datetime().nullable(),
    lastStatus: z.number().int().nullable().openapi({ description: "The HTTP status of the last attempt's answer" }),
    lastError: z.string().nullable(),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('WebhookDelivery');
export type DeliveryView = z.infer<typeof deliverySchema>;

export const attemptSchema = z
  .object({
    id: z.string(),
    at: z.string().datetime(),
    url: z.string(),
    requestHeaders: z.record(z.string(), z.string()),
    responseStatus: z.number().int().nullable(),
    responseHeaders: z.record(z.string(), z.string()).nullable(),
    responseBody: z.string().nullable().openapi({ description: 'The first 4 KiB of the answer' }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
  })
  .openapi('WebhookAttempt');

export const deliveryDetail = deliverySchema
  .extend({ payload: z.string().openapi({ description: 'The request body, as sent on every attempt' }), attempts: z.number().int(), attemptLog: z.array(attemptSchema) })
  .openapi('WebhookDeliveryDetail');

export const deliveryQuery = z
  .object({
    subscription: idRef('wsub').optional(),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
    eventType: z.enum([...OUTBOUND_EVENT_TYPES, 'webhook.test']).optional(),
    ...pageQuery('whd'),
  })
  .strict();
export type DeliveryQuery = z.infer<typeof deliveryQuery>;
export const deliveryPage = z.object({ data: z.array(deliverySchema), nextCursor: z.string().nullable() }).openapi('WebhookDeliveryPage');

export const redeliverRequest = z
  .object({ ids: z.array(idRef('whd')).min(1).max(100).openapi({ description: 'Deliveries to send again, each as a fresh attempt with the same webhook-id' }) })
  .strict();
