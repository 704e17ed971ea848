import { z } from '@hono/zod-openapi';
import { contacts } from '../../db/schema';
import {
  addressSchema,
  channel,
  consentStatus,
  createInsertSchema,
  createSelectSchema,
  customFieldValuesSchema,
  emailSchema,
  idRef,
  lifecycleStage,
  optionalText,
  phoneSchema,
  softDataSchema,
  tagsSchema,
} from './common';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';

const fields = createInsertSchema(contacts, {
  firstName: (s) => s.trim().max(100),
  lastName: (s) => s.trim().max(100),
  emails: z.array(emailSchema).max(20),
  phones: z.array(phoneSchema).max(20),
  address: addressSchema.nullable(),
  jobTitle: optionalText(150),
  companyId: idRef('com').nullable(),
  ownerId: idRef('usr').nullable(),
  lifecycleStage,
  leadSource: optionalText(100),
  tags: tagsSchema,
  preferredChannel: channel.nullable(),
  emailConsent: consentStatus,
  emailConsentMethod: optionalText(200),
  softData: softDataSchema,
  customFields: customFieldValuesSchema,
}).pick({
  firstName: true,
  lastName: true,
  emails: true,
  phones: true,
  address: true,
  jobTitle: true,
  companyId: true,
  ownerId: true,
  lifecycleStage: true,
  leadSource: true,
  tags: true,
  preferredChannel: true,
  emailConsent: true,
  emailConsentMethod: true,
  softData: true,
  customFields: true,
});

// Every field optional on the wire; a contact needs a name or an email.
export const contactUpdate = fields.partial().strict().openapi('ContactUpdate');
export const contactCreate = contactUpdate
  .refine((c) => !!(c.firstName || c.lastName || c.emails?.length), {
    message: 'A contact needs a first name, a last name or an email',
    path: ['firstName'],
  })
  .openapi('ContactCreate');
export type ContactInput = z.infer<typeof contactUpdate>;

export const contactSchema = createSelectSchema(contacts, {
  emails: z.array(emailSchema),
  phones: z.array(phoneSchema),
  address: addressSchema.nullable(),
  tags: z.array(z.string()),
  softData: softDataSchema,
  customFields: customFieldValuesSchema,
})
  .omit({ seq: true, workspaceId: true, sortName: true, searchText: true })
  .extend({
    companyName: z.string().nullable(),
    emailConsentAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    deletedAt: z.string().datetime().nullable(),
  })
  .openapi('Contact');
export type ContactView = z.infer<typeof contactSchema>;

// `recent` is most recently added first. It is the default while searching:
// the full-text index yields matches in that order, so a page of results
// costs the same whether a fragment matches ten contacts or ten thousand.
export const CONTACT_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'recent'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export const contactSortOf = (query: { sort?: ContactSort; q?: string }): ContactSort =>
  query.sort ?? (query.q ? 'recent' : 'name');
const sortsByName = (sort: ContactSort) => sort === 'name' || sort === '-name';

export const contactListQuery = z
  .object({
    q: z.string().trim().max(200).optional().openapi({ description: 'Searches name, emails, phones and company' }),
    lifecycleStage: lifecycleStage.optional(),
    ownerId: idRef('usr').optional(),
    companyId: idRef('com').optional(),
    tag: z.string().max(50).optional(),
    leadSource: z.string().max(100).optional(),
    emailConsent: consentStatus.optional(),
    deleted: z.enum(['true', 'false']).default('false').openapi({ description: 'true lists the trash' }),
    sort: z.enum(CONTACT_SORTS).optional().openapi({ description: "Defaults to 'recent' with q, else 'name'" }),
    ...pageQuery('con'),
  })
  .strict()
  .superRefine((query, ctx) => refuseCursorOfAnotherSort(query.cursor, sortsByName(contactSortOf(query)), ctx));
export type ContactListQuery = z.infer<typeof contactListQuery>;

export const contactPage = z
  .object({ data: z.array(contactSchema), nextCursor: z.string().nullable() })
  .openapi('ContactPage');
