import { z } from '@hono/zod-openapi';
import { DOMAIN } from '../domain/web';
import { emailSchema } from './common';

// "Does this already exist?" before a create: cheap lookups that find live
// records (the trash does not count: a record there is on its way out, and
// its page cannot be opened) matching without regard to case.
export const contactDuplicatesQuery = z
  .object({ email: emailSchema.shape.address.openapi({ description: 'Matched against every email of every live contact, ignoring case' }) })
  .strict();

export const companyDuplicatesQuery = z
  .object({
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .max(253)
      .regex(DOMAIN, 'must be a domain name, without http:// or a path')
      .optional(),
    website: z.string().trim().max(500).optional().openapi({ description: 'Its domain is looked up (functions/domain/web.ts)' }),
  })
  .strict()
  .refine((q) => !!q.domain !== !!q.website, { message: 'Give domain or website', path: ['domain'] });

export const duplicateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    matched: z.string().openapi({ description: 'The email or domain that matched, as stored' }),
  })
  .openapi('Duplicate');
export type DuplicateView = z.infer<typeof duplicateSchema>;

export const duplicateList = z.object({ data: z.array(duplicateSchema) }).openapi('DuplicateList');
