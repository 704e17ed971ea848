import { z } from '@hono/zod-openapi';
import { COMPANY_SORTS, companyFilterQuery } from './company-list';
import { CONTACT_SORTS, contactFilterQuery } from './contact-list';
import { several, trashParam } from './lists';
import { ORDER_SORTS, orderFilterQuery } from './orders';
import { PRODUCT_SORTS, productFilterQuery } from './products';

// An export takes its list's query (filters, trash, sort; not the page) and
// the columns shown, in order.
const columns = several(z.string().max(80).regex(/^((cf|softData)\.)?[A-Za-z][A-Za-z0-9_]*$/, 'must be a column key'), 40)
  .optional()
  .openapi({ description: "The list's visible columns, in order (custom fields as cf.<key>); the list's default columns when absent" });

export const contactExportQuery = z
  .object({ ...contactFilterQuery, deleted: trashParam, sort: z.enum(CONTACT_SORTS).optional(), columns })
  .strict();
export const companyExportQuery = z
  .object({ ...companyFilterQuery, deleted: trashParam, sort: z.enum(COMPANY_SORTS).default('name'), columns })
  .strict();

export const productExportQuery = z
  .object({ ...productFilterQuery, deleted: trashParam, sort: z.enum(PRODUCT_SORTS).default('name'), columns })
  .strict();
export const orderExportQuery = z
  .object({ ...orderFilterQuery, deleted: trashParam, sort: z.enum(ORDER_SORTS).default('-orderedAt'), columns })
  .strict();

export const csvFile = (description: string) => ({
  content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
  description,
});
