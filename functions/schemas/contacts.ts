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

// The list's query lives with the other list pieces.
export { CONTACT_SORTS, contactListQuery, contactSortOf, type ContactListQuery, type ContactSort } from './contact-list';

export const contactPage = z
  .object({ data: z.array(contactSchema), nextCursor: z.string().nullable() })
  .openapi('ContactPage');
