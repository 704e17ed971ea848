import { z } from '@hono/zod-openapi';
import { companies } from '../../db/schema';
import { DOMAIN, websiteOf } from '../domain/web';
import {
  addressSchema,
  createInsertSchema,
  createSelectSchema,
  customFieldValuesSchema,
  idRef,
  optionalText,
  tagsSchema,
  webUrl,
} from './common';

const fields = createInsertSchema(companies, {
  name: (s) => s.trim().min(1).max(200),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(DOMAIN, 'must be a domain name, without http:// or a path')
    .nullable()
    .openapi({ description: 'Derived from the website when not given (functions/domain/web.ts)' }),
  // A bare host ("acme.com") is taken as https://acme.com.
  website: z
    .preprocess((value) => (typeof value === 'string' ? websiteOf(value) : value), webUrl)
    .nullable()
    .openapi({ description: 'An http(s) address; a bare host such as acme.com is stored as https://acme.com' }),
  industry: optionalText(100),
  employees: z.number().int().min(0).max(10_000_000).nullable(),
  phone: optionalText(40),
  address: addressSchema.nullable(),
  description: optionalText(10_000),
  ownerId: idRef('usr').nullable(),
  tags: tagsSchema,
  customFields: customFieldValuesSchema,
}).pick({
  name: true,
  domain: true,
  website: true,
  industry: true,
  employees: true,
  phone: true,
  address: true,
  description: true,
  ownerId: true,
  tags: true,
  customFields: true,
});

export const companyCreate = fields.partial().required({ name: true }).strict().openapi('CompanyCreate');
export const companyUpdate = fields.partial().strict().openapi('CompanyUpdate');
export type CompanyInput = z.infer<typeof companyUpdate>;

export const companySchema = createSelectSchema(companies, {
  address: addressSchema.nullable(),
  tags: z.array(z.string()),
  customFields: customFieldValuesSchema,
})
  .omit({ workspaceId: true, sortName: true })
  .extend({
    contactCount: z.number().int(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable(),
  })
  .openapi('Company');
export type CompanyView = z.infer<typeof companySchema>;

// The list's query lives with the other list pieces.
export { COMPANY_SORTS, companyListQuery, type CompanyListQuery } from './company-list';

export const companyPage = z
  .object({ data: z.array(companySchema), nextCursor: z.string().nullable() })
  .openapi('CompanyPage');
