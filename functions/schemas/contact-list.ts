import { z } from '@hono/zod-openapi';
import { RFM_SEGMENTS, VALUE_TIERS } from '../domain/rfm';
import { idRef, consentStatus, lifecycleStage } from './common';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';
import {
  commonBulkActions,
  customCondition,
  customConditionParam,
  listEntity,
  MAX_CUSTOM_CONDITIONS,
  MAX_TAG_FILTERS,
  ownerFilter,
  selectionSchema,
  several,
  tagText,
  trashParam,
  viewStateSchema,
} from './lists';

// The contact list's filters, once as a query string (the list, its count)
// and once as JSON (a bulk selection, a saved view): the same names and
// meanings, several values where a filter takes several.

// `recent` is most recently added first. It is the default while searching:
// the full-text index yields matches in that order, so a page of results
// costs the same whether a fragment matches ten contacts or ten thousand.
export const CONTACT_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'recent'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export const contactSortOf = (query: { sort?: ContactSort; q?: string }): ContactSort =>
  query.sort ?? (query.q ? 'recent' : 'name');
const sortsByName = (sort: ContactSort) => sort === 'name' || sort === '-name';

const q = z
  .string()
  .trim()
  .max(200)
  .openapi({ description: 'Searches name, emails, phones and company: any fragment of three or more characters; one or two characters match the start of a name' });

// The nightly scores (functions/jobs/segmentation.ts): a segment, a spend
// tier, or a cell of the R×FM grid the insights page draws.
const score = z.coerce.number().int().min(1).max(5);
const scoreFilter = {
  segment: several(z.enum(RFM_SEGMENTS), RFM_SEGMENTS.length).optional().openapi({ description: 'Customers in any of these RFM segments' }),
  tier: several(z.enum(VALUE_TIERS), VALUE_TIERS.length).optional().openapi({ description: 'Customers in any of these spend tiers' }),
  r: score.optional().openapi({ description: 'Customers with this recency score (1–5)' }),
  fm: score.optional().openapi({ description: 'Customers with this combined frequency and monetary score, (F + M + 1) div 2 (1–5)' }),
};

export const contactFilterQuery = {
  q: q.optional(),
  lifecycleStage: several(lifecycleStage, 8).optional().openapi({ description: 'Any of these stages' }),
  ownerId: ownerFilter.optional(),
  companyId: idRef('com').optional(),
  tag: several(tagText, MAX_TAG_FILTERS).optional().openapi({ description: 'Any of these tags, ignoring case' }),
  leadSource: z.string().max(100).optional(),
  emailConsent: consentStatus.optional(),
  cf: several(customConditionParam, MAX_CUSTOM_CONDITIONS).optional().openapi({ description: 'Custom field conditions, all of which must hold' }),
  ...scoreFilter,
};

export const contactFilter = z
  .object({
    q: q.optional(),
    lifecycleStage: z.array(lifecycleStage).max(8).optional(),
    ownerId: ownerFilter.optional(),
    companyId: idRef('com').optional(),
    tag: z.array(tagText).max(MAX_TAG_FILTERS).optional(),
    leadSource: z.string().max(100).optional(),
    emailConsent: consentStatus.optional(),
    cf: z.array(customCondition).max(MAX_CUSTOM_CONDITIONS).optional(),
    segment: z.array(z.enum(RFM_SEGMENTS)).max(RFM_SEGMENTS.length).optional(),
    tier: z.array(z.enum(VALUE_TIERS)).max(VALUE_TIERS.length).optional(),
    r: score.optional(),
    fm: score.optional(),
  })
  .strict()
  .openapi('ContactFilter');
export type ContactFilter = z.infer<typeof contactFilter>;

export const contactListQuery = z
  .object({
    ...contactFilterQuery,
    deleted: trashParam,
    sort: z.enum(CONTACT_SORTS).optional().openapi({ description: "Defaults to 'recent' with q, else 'name'" }),
    ...pageQuery('con'),
  })
  .strict()
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, sortsByName(contactSortOf(query)), ctx));
export type ContactListQuery = z.infer<typeof contactListQuery>;

export const contactCountQuery = z.object({ ...contactFilterQuery, deleted: trashParam }).strict();

export const contactBulkRequest = z
  .object({
    selection: selectionSchema('con', contactFilter),
    action: z
      .discriminatedUnion('type', [...commonBulkActions, z.object({ type: z.literal('setStage'), lifecycleStage }).strict()])
      .openapi('ContactBulkAction'),
  })
  .strict()
  .openapi('ContactBulkRequest');
export type ContactBulkRequest = z.infer<typeof contactBulkRequest>;

export const contactViewState = viewStateSchema(contactFilter, z.enum(CONTACT_SORTS)).openapi('ContactViewState');
export const contactViewEntity = z.object({ entity: listEntity.extract(['contact']), state: contactViewState });
