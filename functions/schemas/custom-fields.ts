import { z } from '@hono/zod-openapi';
import { customFieldDefinitions } from '../../db/schema';
import { CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES, SECTION_KEYS } from '../domain/custom-fields';
import { createInsertSchema, createSelectSchema, customFieldKey } from './common';

const section = z
  .enum(SECTION_KEYS)
  .nullable()
  .openapi({ description: 'The record page section it shows in (contacts: person, reach, sales, consent, about; companies: company, sales, about); null for the default' });
const options = z.array(z.string().trim().min(1).max(200)).max(200).refine((o) => new Set(o).size === o.length, 'options must be distinct');

export const customFieldCreate = createInsertSchema(customFieldDefinitions, {
  entity: z.enum(CUSTOM_FIELD_ENTITIES),
  key: customFieldKey
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower_snake_case, starting with a letter')
    .openapi({ description: 'lower_snake_case, and not a name every JavaScript object already has (constructor)' }),
  label: (s) => s.trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options,
  section,
})
  .pick({ entity: true, key: true, label: true, type: true, options: true, section: true })
  .partial({ options: true, section: true })
  .strict()
  .openapi('CustomFieldCreate');
export type CustomFieldCreate = z.infer<typeof customFieldCreate>;

export const customFieldUpdate = z
  .object({ label: z.string().trim().min(1).max(100).optional(), options: options.optional(), section: section.optional() })
  .strict()
  .openapi('CustomFieldUpdate');
export type CustomFieldUpdate = z.infer<typeof customFieldUpdate>;

export const customFieldSchema = createSelectSchema(customFieldDefinitions, { options: z.array(z.string()), section: z.string().nullable() })
  .omit({ workspaceId: true })
  .extend({ createdAt: z.string().datetime(), updatedAt: z.string().datetime() })
  .openapi('CustomField');
export type CustomFieldView = z.infer<typeof customFieldSchema>;
