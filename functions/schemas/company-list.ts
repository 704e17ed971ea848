import { z } from '@hono/zod-openapi';
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

// The company list's filters: as a query string and as JSON (see
// contact-list.ts).
export const COMPANY_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export type CompanySort = (typeof COMPANY_SORTS)[number];

const q = z.string().trim().max(200).openapi({ description: 'Name or domain containing this text' });

export const companyFilterQuery = {
  q: q.optional(),
  ownerId: ownerFilter.optional(),
  tag: several(tagText, MAX_TAG_FILTERS).optional().openapi({ description: 'Any of these tags, ignoring case' }),
  industry: z.string().max(100).optional(),
  cf: several(customConditionParam, MAX_CUSTOM_CONDITIONS).optional().openapi({ description: 'Custom field conditions, all of which must hold' }),
};

export const companyFilter = z
  .object({
    q: q.optional(),
    ownerId: ownerFilter.optional(),
    tag: z.array(tagText).max(MAX_TAG_FILTERS).optional(),
    industry: z.string().max(100).optional(),
    cf: z.array(customCondition).max(MAX_CUSTOM_CONDITIONS).optional(),
  })
  .strict()
  .openapi('CompanyFilter');
export type CompanyFilter = z.infer<typeof companyFilter>;

export const companyListQuery = z
  .object({
    ...companyFilterQuery,
    deleted: trashParam,
    sort: z.enum(COMPANY_SORTS).default('name'),
    ...pageQuery('com'),
  })
  .strict()
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, query.sort.endsWith('name'), ctx));
export type CompanyListQuery = z.infer<typeof companyListQuery>;

export const companyCountQuery = z.object({ ...companyFilterQuery, deleted: trashParam }).strict();

export const companyBulkRequest = z
  .object({
    selection: selectionSchema('com', companyFilter),
    action: z.discriminatedUnion('type', [...commonBulkActions]).openapi('CompanyBulkAction'),
  })
  .strict()
  .openapi('CompanyBulkRequest');
export type CompanyBulkRequest = z.infer<typeof companyBulkRequest>;

export const companyViewState = viewStateSchema(companyFilter, z.enum(COMPANY_SORTS)).openapi('CompanyViewState');
export const companyViewEntity = z.object({ entity: listEntity.extract(['company']), state: companyViewState });
