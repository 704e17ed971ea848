import { z } from '@hono/zod-openapi';
import { MAX_CONDITIONS, MAX_DAYS, OPERATORS, SEGMENT_CHANGE_KINDS, type SegmentGroup, type SegmentNode } from '../domain/segments';
import { contactSchema } from './contacts';
import { countSchema, trashParam } from './lists';
import { pageQuery } from './cursor';

// A segment's definition: AND/OR groups of conditions, nested. zod checks
// the shape; domain/segments.ts checkDefinition checks the fields,
// operators and values against the registry and the workspace.

const money = z
  .object({
    amount: z.number().int().min(-1e15).max(1e15).openapi({ description: 'Whole minor units (cents)' }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  })
  .strict()
  .openapi('Money');
const scalar = z.union([z.string().max(200), z.number(), z.boolean(), money]);

export const segmentCondition = z
  .object({
    type: z.literal('condition'),
    field: z.string().max(100).openapi({ description: 'A field of GET /api/segments/fields, e.g. `contact.tags`, `orders.count`, `contact.cf.tier`' }),
    operator: z.enum(OPERATORS),
    value: z
      .union([scalar, z.array(scalar).max(50)])
      .nullable()
      .optional()
      .openapi({ description: 'A value of the field\'s type; a list for any_of and none_of, [from, to] for between, days for in_last_days, nothing for is_empty and is_set' }),
    days: z.number().int().min(1).max(MAX_DAYS).optional().openapi({ description: 'Order facts only: count only purchases of the last N days' }),
  })
  .strict()
  .openapi('SegmentCondition');

// A child is told apart by its `type`, so a bad one is reported where it
// is wrong (children.0.value) rather than as "matches no alternative". The
// cast only tells TypeScript what zod finds at run time: a lazy schema's
// discriminator is its inner object's.
const segmentNode = () =>
  z.discriminatedUnion('type', [segmentCondition, segmentGroup as unknown as z.ZodObject<{ type: z.ZodLiteral<'group'> }>]) as unknown as z.ZodType<SegmentNode>;

// Recursive: the document names it once (SegmentGroup) and refers to itself.
export const segmentGroup: z.ZodType<SegmentGroup> = z
  .lazy(() =>
    z
      .object({
        type: z.literal('group'),
        op: z.enum(['and', 'or']).openapi({ description: 'and: every child holds; or: at least one does. An empty group holds for everyone.' }),
        children: z.array(segmentNode()).max(MAX_CONDITIONS),
      })
      .strict(),
  )
  .openapi('SegmentGroup');

const name = z.string().trim().min(1).max(120);
const description = z.string().trim().max(1000).nullable().optional();

export const segmentCreate = z.object({ name, description, definition: segmentGroup }).strict().openapi('SegmentCreate');
export type SegmentCreate = z.infer<typeof segmentCreate>;
export const segmentUpdate = z
  .object({ name: name.optional(), description, definition: segmentGroup.optional() })
  .strict()
  .openapi('SegmentUpdate');
export type SegmentUpdate = z.infer<typeof segmentUpdate>;
export const segmentPreviewBody = z.object({ definition: segmentGroup }).strict().openapi('SegmentPreviewRequest');

export const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    definition: segmentGroup,
    memberCount: z.number().int().openapi({ description: 'Members at the last refresh' }),
    refreshedAt: z.string().datetime().nullable().openapi({ description: 'null until the first refresh' }),
    createdBy: z.string(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable().openapi({ description: 'Set while the segment is in the trash' }),
  })
  .openapi('Segment');
export const segmentListQuery = z.object({ deleted: trashParam }).strict();
export type SegmentView = z.infer<typeof segmentSchema>;
export const segmentList = z.object({ data: z.array(segmentSchema) }).openapi('SegmentList');

export const segmentPreview = z
  .object({ ...countSchema.shape, contacts: z.array(contactSchema).openapi({ description: 'Up to 20 matches by name; past the cap, the first by name of the matches counted' }) })
  .openapi('SegmentPreview');
export type SegmentPreviewView = z.infer<typeof segmentPreview>;

export const segmentRefresh = z
  .object({ entered: z.number().int(), left: z.number().int(), memberCount: z.number().int(), refreshedAt: z.string().datetime() })
  .openapi('SegmentRefresh');
export type SegmentRefreshView = z.infer<typeof segmentRefresh>;

export const segmentMembersQuery = z.object(pageQuery('con')).strict();
export const segmentMemberPage = z
  .object({
    data: z.array(z.object({ since: z.string().datetime(), contact: contactSchema })),
    nextCursor: z.string().nullable(),
  })
  .openapi('SegmentMemberPage');
export type SegmentMemberView = z.infer<typeof segmentMemberPage>['data'][number];

export const segmentChangesQuery = z.object(pageQuery('con')).strict();
export const segmentChangePage = z
  .object({
    data: z.array(
      z.object({
        contactId: z.string(),
        contactName: z.string().nullable().openapi({ description: 'null once the contact is erased' }),
        kind: z.enum(SEGMENT_CHANGE_KINDS),
        at: z.string().datetime(),
        runId: z.string().nullable().openapi({ description: 'The nightly run that saw it; null when refreshed on demand' }),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('SegmentChangePage');
export type SegmentChangeView = z.infer<typeof segmentChangePage>['data'][number];

// What the builder offers: every field with its type and operators.
export const segmentFields = z
  .object({
    data: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        group: z.string(),
        type: z.string(),
        operators: z.array(z.enum(OPERATORS)),
        options: z.array(z.string()).nullable(),
        ref: z.string().nullable(),
        windowed: z.boolean(),
      }),
    ),
    reportingCurrency: z.string(),
  })
  .openapi('SegmentFields');
export type SegmentFieldsView = z.infer<typeof segmentFields>;
