import { z } from '@hono/zod-openapi';
import {
  BULK_STATUSES,
  CUSTOM_KEY,
  LIST_ENTITIES,
  MAX_SELECTED_IDS,
  parseCustomCondition,
  VIEW_VISIBILITIES,
  type CustomCondition,
} from '../domain/lists';
import { idRef } from './common';

// What every list's query, count, bulk selection and saved view share.

// A query parameter given once or several times (?tag=a&tag=b), always an
// array once parsed; the RPC client accepts a value or an array.
export const several = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess<z.input<T> | z.input<T>[], z.ZodArray<T>, z.input<T> | z.input<T>[]>(
    (value) => (value === undefined || Array.isArray(value) ? value : [value]) as z.input<T>[],
    z.array(item).max(max),
  );

export const tagText = z.string().trim().min(1).max(50);
export const MAX_TAG_FILTERS = 20;
export const MAX_CUSTOM_CONDITIONS = 10;

// An owner filter: a member, the person asking ("me") or nobody ("none").
export const ownerFilter = z
  .union([idRef('usr'), z.enum(['me', 'none'])])
  .openapi({ description: "A member's id, `me` (the signed-in member) or `none` (no owner)" });

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const customKey = z.string().max(64).regex(CUSTOM_KEY, 'must be a custom field key');
const bound = z.union([z.number().finite(), date]);

// One condition on a custom field: the value's kind follows the operator.
export const customCondition = z
  .discriminatedUnion('op', [
    z.object({ key: customKey, op: z.literal('eq'), value: z.union([z.string().max(200), z.number().finite(), z.boolean()]) }).strict(),
    z.object({ key: customKey, op: z.literal('contains'), value: z.string().min(1).max(200) }).strict(),
    z.object({ key: customKey, op: z.literal('gte'), value: bound }).strict(),
    z.object({ key: customKey, op: z.literal('lte'), value: bound }).strict(),
    z.object({ key: customKey, op: z.literal('in'), value: z.array(z.string().max(200)).min(1).max(50) }).strict(),
  ])
  .openapi('CustomFieldCondition');

// The same condition as one query parameter, `<key>:<op>:<value>` with the
// value as JSON (domain/lists.ts).
export const customConditionParam = z
  .string()
  .max(2000)
  .transform((text, ctx): CustomCondition => {
    const parts = parseCustomCondition(text);
    const parsed = parts ? customCondition.safeParse(parts) : undefined;
    if (!parsed?.success) {
      const problem = parsed?.error.issues[0];
      ctx.addIssue({
        code: 'custom',
        message: problem ? `is not a condition: ${problem.path.join('.')} ${problem.message}` : 'must be key:op:value',
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .openapi({
    description:
      'A custom field condition, `key:op:value` with a JSON value: `tier:in:["gold"]`, `score:gte:10`, `since:lte:"2026-12-31"`, `notes:contains:renewal`, `vip:eq:true`',
  });

export const trashParam = z.enum(['true', 'false']).default('false').openapi({ description: 'true lists the trash' });

// ---------------------------------------------------------------------------
// Counts and the tag vocabulary

export const countSchema = z
  .object({
    count: z.number().int().openapi({ description: 'How many match, up to the cap' }),
    capped: z.boolean().openapi({ description: 'True when more match than the count says ("10,000+")' }),
  })
  .openapi('ListCount');
export type CountView = z.infer<typeof countSchema>;

export const tagVocabulary = z
  .object({
    data: z.array(
      z.object({
        tag: z.string().openapi({ description: 'The spelling most of its records use' }),
        count: z.number().int().openapi({ description: 'Records outside the trash with this tag, in any case' }),
      }),
    ),
  })
  .openapi('TagVocabulary');
export type TagVocabularyView = z.infer<typeof tagVocabulary>;

// ---------------------------------------------------------------------------
// Bulk operations

const idList = (prefix: string) => z.array(idRef(prefix)).max(MAX_SELECTED_IDS);

// A selection is a rule: the ids someone ticked, or everything a filter
// matches less the ids unticked since. `filter` is the list's own filter.
export const selectionSchema = <F extends z.ZodType>(prefix: string, filter: F) =>
  z
    .object({
      ids: idList(prefix).min(1).optional().openapi({ description: 'These records (at most 1,000)' }),
      filter: filter.optional().openapi({ description: "Every record the list's filter matches…" }),
      except: idList(prefix).optional().openapi({ description: '…less these (with a filter only)' }),
    })
    .strict()
    .superRefine((selection, ctx) => {
      if (!selection.ids === !selection.filter) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'name either ids or a filter' });
      if (selection.except && !selection.filter) ctx.addIssue({ code: 'custom', path: ['except'], message: 'goes with a filter' });
    });

const tagsToChange = z
  .array(tagText)
  .min(1)
  .max(20)
  .refine((tags) => new Set(tags.map((t) => t.toLowerCase())).size === tags.length, 'tags must differ in more than case');

// What a bulk operation does to each record; an object adds its own
// actions (contacts: a stage) to these.
export const commonBulkActions = [
  z.object({ type: z.literal('addTags'), tags: tagsToChange }).strict(),
  z.object({ type: z.literal('removeTags'), tags: tagsToChange }).strict(),
  z.object({ type: z.literal('setOwner'), ownerId: idRef('usr').nullable() }).strict(),
  z.object({ type: z.literal('delete') }).strict(),
] as const;

export const bulkOperationSchema = z
  .object({
    id: z.string(),
    entity: z.enum(LIST_ENTITIES),
    action: z.object({ type: z.string() }).passthrough(),
    status: z.enum(BULK_STATUSES).openapi({ description: 'running until every chunk is written; cancelled when undone while running' }),
    total: z.number().int().openapi({ description: 'Records the selection matched when it started' }),
    processed: z.number().int().openapi({ description: 'Records gone through so far' }),
    changed: z.number().int().openapi({ description: 'Records changed (a record that already had the tag is not)' }),
    undoOf: z.string().nullable().openapi({ description: 'The operation this one undoes' }),
    undoneBy: z.string().nullable().openapi({ description: 'The operation that undid this one' }),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('BulkOperation');
export type BulkOperationView = z.infer<typeof bulkOperationSchema>;

// ---------------------------------------------------------------------------
// Saved views

const viewName = z.string().trim().min(1).max(80);
export const columnsSchema = z
  .array(z.string().max(80).regex(/^(cf\.)?[A-Za-z][A-Za-z0-9_]*$/, 'must be a field key'))
  .max(40)
  .openapi({ description: 'Field keys in the order shown; custom fields as cf.<key>' });

export const viewStateSchema = <F extends z.ZodType, S extends z.ZodType>(filter: F, sort: S) =>
  z.object({ filters: filter, sort: sort.optional(), columns: columnsSchema.optional() }).strict();

export const viewVisibility = z.enum(VIEW_VISIBILITIES).openapi({ description: 'private: only you; workspace: every member' });
export const viewCommon = { name: viewName, visibility: viewVisibility.default('private') };
export const viewUpdateCommon = { name: viewName.optional(), visibility: viewVisibility.optional() };
export const listEntity = z.enum(LIST_ENTITIES);
