import { z } from '@hono/zod-openapi';
import { products } from '../../db/schema';
import { isCurrency } from '../domain/commerce';
import { createInsertSchema, createSelectSchema, optionalText, tagsSchema } from './common';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';
import { listEntity, selectionSchema, several, trashParam, viewStateSchema } from './lists';

// Money on the wire is what the database holds: integer minor units (cents
// for USD, yen for JPY) beside an ISO 4217 currency.
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, 'must be an ISO 4217 currency code such as USD')
  .openapi({ example: 'USD' });
export const minorUnits = z.number().int().min(0).max(1e13).openapi({ description: 'Integer minor units of the currency (cents for USD)' });

const fields = createInsertSchema(products, {
  sku: (s) => s.trim().min(1).max(64).regex(/^[^\s]+$/, 'must have no spaces'),
  name: (s) => s.trim().min(1).max(200),
  category: optionalText(100),
  description: optionalText(10_000),
  price: minorUnits,
  currency: currencySchema,
  active: z.boolean(),
  tags: tagsSchema,
}).pick({ sku: true, name: true, category: true, description: true, price: true, currency: true, active: true, tags: true });

export const productCreate = fields.partial().required({ sku: true, name: true, price: true, currency: true }).strict().openapi('ProductCreate');
export const productUpdate = fields.partial().strict().openapi('ProductUpdate');
export type ProductInput = z.infer<typeof productUpdate>;

export const productSchema = createSelectSchema(products, { tags: z.array(z.string()) })
  .omit({ workspaceId: true, sortName: true, customFields: true })
  .extend({
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable(),
  })
  .openapi('Product');
export type ProductView = z.infer<typeof productSchema>;

export const PRODUCT_SORTS = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

const q = z.string().trim().max(200).openapi({ description: 'Name or SKU containing this text' });
const category = z.string().trim().min(1).max(100);
const activeParam = z.enum(['true', 'false']).openapi({ description: 'Only products on sale (true) or withdrawn (false)' });

export const productFilterQuery = {
  q: q.optional(),
  category: several(category, 20).optional().openapi({ description: 'Any of these categories' }),
  active: activeParam.optional(),
};

export const productFilter = z
  .object({ q: q.optional(), category: z.array(category).max(20).optional(), active: activeParam.optional() })
  .strict()
  .openapi('ProductFilter');
export type ProductFilter = z.infer<typeof productFilter>;

export const productListQuery = z
  .object({ ...productFilterQuery, deleted: trashParam, sort: z.enum(PRODUCT_SORTS).default('name'), ...pageQuery('prd') })
  .strict()
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, query.sort.endsWith('name'), ctx));
export type ProductListQuery = z.infer<typeof productListQuery>;

export const productCountQuery = z.object({ ...productFilterQuery, deleted: trashParam }).strict();

export const productBulkRequest = z
  .object({
    selection: selectionSchema('prd', productFilter),
    action: z
      .discriminatedUnion('type', [z.object({ type: z.literal('delete') }).strict(), z.object({ type: z.literal('setActive'), active: z.boolean() }).strict()])
      .openapi('ProductBulkAction'),
  })
  .strict()
  .openapi('ProductBulkRequest');

export const productViewState = viewStateSchema(productFilter, z.enum(PRODUCT_SORTS)).openapi('ProductViewState');
export const productViewEntity = z.object({ entity: listEntity.extract(['product']), state: productViewState });

export const productPage = z.object({ data: z.array(productSchema), nextCursor: z.string().nullable() }).openapi('ProductPage');
