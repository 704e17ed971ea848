import { z } from '@hono/zod-openapi';
import { customFieldDefinitions } from '../../db/schema';
import { CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_TYPES } from '../domain/custom-fields';
import { createInsertSchema, createSelectSchema, customFieldKey } from './common';

const options = z.array(z.string().trim().min(1).max(200)).max(200).refine((o) => new Set(o).size === o.length, 'options must be distinct');

export const customFieldCreate = createInsertSchema(customFieldDefinitions, {
  entity: z.enum(CUSTOM_FIELD_ENTITIES),
  key: customFieldKey
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lower_snake_case, starting with a letter')
    .openapi({ description: 'lower_snake_case, and not a name every JavaScript object already has (constructor)' }),
  label: (s) => s.trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options,
})
  .pick({ entity: true, key: true, label: true, type: true, options: true })
  .partial({ options: true })
  .strict()
  .openapi('CustomFieldCreate');
export type CustomFieldCreate = z.infer<typeof customFieldCreate>;

export const customFieldUpdate = z
  .object({ label: z.string().trim().min(1).max(100).optional(), options: options.optional() })
  .strict()
  .openapi('CustomFieldUpdate');
export type CustomFieldUpdate = z.infer<typeof customFieldUpdate>;

export const customFieldSchema = createSelectSchema(customFieldDefinitions, { options: z.array(z.string()) })
  .omit({ workspaceId: true })
  .extend({ createdAt: z.string().datetime(), updatedAt: z.string().datetime() })
  .openapi('CustomField');
export type CustomFieldView = z.infer<typeof customFieldSchema>;
