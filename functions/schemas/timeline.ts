import { z } from '@hono/zod-openapi';
import { ORDER_STATUSES } from '../domain/commerce';
import { activitySchema } from './activities';
import { cursorParam, refuseCursorOfAnotherSort } from './cursor';
import { idRef } from './common';

// The record timeline: one list of entries drawn from several sources
// (functions/services/timeline/sources.ts), each of a kind with a payload
// of its own. A later capability adds a kind here, a source there and a
// renderer in the web app (web/src/lib/timeline/).
export const TIMELINE_KINDS = ['activity', 'change', 'order', 'touch'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

// What the audit trail says about the record: made, edited, trashed,
// restored. `from`/`to` hold the shown fields' old and new values (rows
// written before that format have only `fields`); `names` names the owners
// and companies those values point at, as they are called now.
export const CHANGE_ACTIONS = ['create', 'update', 'delete', 'restore'] as const;
const changePayload = z
  .object({
    action: z.enum(CHANGE_ACTIONS),
    fields: z.array(z.string()),
    from: z.record(z.string(), z.unknown()),
    to: z.record(z.string(), z.unknown()),
    names: z.record(z.string(), z.string()),
    bulkId: z.string().nullable(),
  })
  .openapi('TimelineChange');

// A purchase: the order, what it held (its first lines' names and how many
// lines) and what it was worth, in minor units of its currency.
const orderPayload = z
  .object({
    orderId: z.string(),
    externalId: z.string().nullable(),
    status: z.enum(ORDER_STATUSES),
    currency: z.string(),
    total: z.number().int(),
    refunded: z.number().int(),
    lines: z.number().int(),
    items: z.array(z.string()),
  })
  .openapi('TimelineOrder');

// A touch: the person came in through a channel a webhook reported (a
// form fill), with where from as the sender told it.
const touchPayload = z
  .object({
    channel: z.enum(['form']),
    sourceId: z.string(),
    sourceName: z.string().nullable().openapi({ description: 'null once the source is removed' }),
    utm: z.object({ source: z.string().nullable(), medium: z.string().nullable(), campaign: z.string().nullable(), term: z.string().nullable(), content: z.string().nullable() }),
    landingPage: z.string().nullable(),
    referrer: z.string().nullable(),
    message: z.string().nullable(),
    company: z.string().nullable(),
  })
  .openapi('TimelineTouch');

const common = {
  id: z.string().openapi({ description: 'The id of the row the entry comes from (an activity, an audit row)' }),
  at: z.string().datetime(),
  actor: z
    .object({ id: z.string(), name: z.string().nullable() })
    .nullable()
    .openapi({ description: 'Who did it: a member, an API key (named as the key) or the system' }),
  target: z
    .object({ type: z.enum(['contact', 'company']), id: z.string(), name: z.string() })
    .openapi({ description: "The record the entry is about: the timeline's own, or on a company's one of its people" }),
};

export const timelineEntry = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('activity'), ...common, payload: activitySchema }),
    z.object({ kind: z.literal('change'), ...common, payload: changePayload }),
    z.object({ kind: z.literal('order'), ...common, payload: orderPayload }),
    z.object({ kind: z.literal('touch'), ...common, payload: touchPayload }),
  ])
  .openapi('TimelineEntry');
export type TimelineEntry = z.infer<typeof timelineEntry>;

export const timelineQuery = z
  .object({
    contactId: idRef('con').optional(),
    companyId: idRef('com').optional(),
    kinds: z
      .string()
      .max(100)
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const kinds = [...new Set(text.split(','))];
        const unknown = kinds.filter((k) => !(TIMELINE_KINDS as readonly string[]).includes(k));
        if (unknown.length || !kinds.length) {
          ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${TIMELINE_KINDS.join(', ')}` });
          return z.NEVER;
        }
        return kinds as TimelineKind[];
      })
      .openapi({ description: `Only these kinds, comma-separated (${TIMELINE_KINDS.join(', ')}); all when absent` }),
    // Entries come from several tables, so their ids have several prefixes.
    cursor: cursorParam('[a-z]{2,5}'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((q) => !!q.contactId !== !!q.companyId, { message: 'Give contactId or companyId', path: ['contactId'] })
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, false, ctx));
export type TimelineQuery = z.infer<typeof timelineQuery>;

export const timelinePage = z
  .object({ data: z.array(timelineEntry), nextCursor: z.string().nullable() })
  .openapi('TimelinePage');
