import { z } from '@hono/zod-openapi';
import { FORM_FIELDS } from '../domain/webhooks/forms';
import { HMAC_ALGORITHMS, SOURCE_KINDS } from '../domain/webhooks/verify';
import { WEBHOOK_EVENT_STATUSES } from '../../db/schema/webhooks';
import { idRef } from './common';
import { pageQuery } from './cursor';

// Inbound webhook sources (Settings → Integrations) and their inbox.

const kindDescription =
  'standard: Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature); svix: Svix-signed senders such as Resend; postmark: basic auth in the URL; ' +
  "sendgrid: SendGrid's signed event webhook (its public key as the secret); mailgun: Mailgun's webhook signing key; hmac: a form tool's own HMAC of the body";

export const hmacSchemeSchema = z
  .object({
    header: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a header name'),
    algorithm: z.enum(HMAC_ALGORITHMS),
    encoding: z.enum(['hex', 'base64']),
    prefix: z.string().max(20).default('').openapi({ description: 'Text before the signature in the header, such as "sha256="' }),
  })
  .strict()
  .openapi('HmacScheme');

// Where each contact field is in a form tool's payload: a key, or a dot
// path into nested JSON.
export const formMappingSchema = z
  .partialRecord(z.enum(FORM_FIELDS), z.string().trim().min(1).max(200))
  .openapi('FormMapping', { description: 'Contact fields by where the form puts them; a field left out is looked for under its usual names' });

const secretInput = z
  .string()
  .trim()
  .min(8)
  .max(2000)
  .openapi({ description: "Pasted from the sender: SendGrid's public key, Mailgun's signing key, or a secret the sender generated. Left out, one is generated (not for SendGrid or Mailgun)." });

export const sourceCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(SOURCE_KINDS).openapi({ description: kindDescription }),
    secret: secretInput.optional(),
    hmac: hmacSchemeSchema.optional(),
    mapping: formMappingSchema.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === 'hmac' && !input.hmac) ctx.addIssue({ code: 'custom', path: ['hmac'], message: 'the hmac kind needs its header, algorithm and encoding' });
    if (input.kind !== 'hmac' && input.hmac) ctx.addIssue({ code: 'custom', path: ['hmac'], message: 'only the hmac kind takes a scheme' });
    if ((input.kind === 'sendgrid' || input.kind === 'mailgun') && !input.secret) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: `paste the ${input.kind === 'sendgrid' ? 'public verification key' : 'webhook signing key'} the sender shows` });
    }
  });
export type SourceCreate = z.infer<typeof sourceCreate>;

export const sourceUpdate = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    hmac: hmacSchemeSchema.optional(),
    mapping: formMappingSchema.optional(),
  })
  .strict();
export type SourceUpdate = z.infer<typeof sourceUpdate>;

export const secretRotation = z
  .object({
    secret: secretInput.optional(),
    graceHours: z.number().int().min(0).max(168).default(24).openapi({ description: 'How long the previous secret still verifies (0–168 hours)' }),
  })
  .strict();
export type SecretRotation = z.infer<typeof secretRotation>;

export const sourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    url: z.string().openapi({ description: 'Where the sender posts' }),
    secretHint: z.string().openapi({ description: 'The last characters of the current secret, to tell it apart; the secret itself is shown once' }),
    previousSecretUntil: z.string().datetime().nullable().openapi({ description: 'Until when the secret before the last rotation still verifies' }),
    hmac: hmacSchemeSchema.nullable(),
    mapping: formMappingSchema,
    enabled: z.boolean(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookSource');
export type SourceView = z.infer<typeof sourceSchema>;

export const sourceWithSecret = sourceSchema.extend({ secret: z.string().openapi({ description: 'The secret, shown this once: give it to the sender now' }) }).openapi('WebhookSourceWithSecret');
export const sourceListItem = sourceSchema
  .extend({
    received: z.number().int().openapi({ description: 'Requests it sent that verified, in the event inbox' }),
    lastReceivedAt: z.string().datetime().nullable().openapi({ description: 'When the latest of them came' }),
  })
  .openapi('WebhookSourceListItem');
export type SourceListItem = z.infer<typeof sourceListItem>;
export const sourceList = z.object({ data: z.array(sourceListItem) }).openapi('WebhookSourceList');

export const webhookEventSchema = z
  .object({
    id: z.string(),
    sourceId: z.string(),
    sourceName: z.string().nullable(),
    receivedAt: z.string().datetime(),
    type: z.string().nullable(),
    status: z.enum(WEBHOOK_EVENT_STATUSES),
    verifiedWith: z.enum(['current secret', 'previous secret']),
    attempts: z.number().int(),
    result: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    appliedAt: z.string().datetime().nullable(),
  })
  .openapi('WebhookEvent');
export type WebhookEventView = z.infer<typeof webhookEventSchema>;

export const webhookEventDetail = webhookEventSchema
  .extend({
    eventKey: z.string().openapi({ description: "The sender's id for the request, or sha256:… of its body" }),
    contentType: z.string().nullable(),
    headers: z.record(z.string(), z.string()).openapi({ description: 'As received, credentials left out' }),
    body: z.string(),
  })
  .openapi('WebhookEventDetail');

export const webhookEventQuery = z
  .object({
    source: idRef('whs').optional(),
    type: z.enum(['form', 'email']).optional(),
    status: z.enum(WEBHOOK_EVENT_STATUSES).optional(),
    ...pageQuery('whe'),
  })
  .strict();
export type WebhookEventQuery = z.infer<typeof webhookEventQuery>;
export const webhookEventPage = z.object({ data: z.array(webhookEventSchema), nextCursor: z.string().nullable() }).openapi('WebhookEventPage');

export const replayRequest = z
  .object({ ids: z.array(idRef('whe')).min(1).max(100).openapi({ description: 'Events of the inbox to apply again' }) })
  .strict();
