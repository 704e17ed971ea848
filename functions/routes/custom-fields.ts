import { z } from '@hono/zod-openapi';
import { CUSTOM_FIELD_ENTITIES } from '../domain/custom-fields';
import { customFieldCreate, customFieldSchema, customFieldUpdate } from '../schemas/custom-fields';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from '../services/custom-fields';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('custom-fields');
const params = idParam('cf');

export const customFieldsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List custom field definitions',
      description: "The workspace's custom field definitions for contacts and companies, or (with `entity`) for one of them.",
      permission: 'records:read',
      request: { query: z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() }).strict() },
      responses: { 200: json(z.object({ data: z.array(customFieldSchema) }), 'Custom field definitions') },
    }),
    async (c) => sendJson(c, await listCustomFields(c.get('scope'), c.req.valid('query').entity), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Define a custom field',
      description:
        'Adds a field of a type (text, number, date, select, multi-select, boolean) to contacts or companies. Its key is fixed once created; values are validated against the definition on every write. Needs custom-fields:manage (managers and stronger).',
      permission: 'custom-fields:manage',
      request: jsonBody(customFieldCreate),
      responses: { 201: json(customFieldSchema, 'The new field') },
    }),
    async (c) => sendJson(c, await createCustomField(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a custom field definition',
      description:
        'Renames a field or changes its options. The key and the type cannot change, so stored values always match their definition.',
      permission: 'custom-fields:manage',
      request: { params, ...jsonBody(customFieldUpdate) },
      responses: { 200: json(customFieldSchema, 'The updated field') },
    }),
    async (c) => sendJson(c, await updateCustomField(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Delete a custom field definition',
      description:
        'Removes the field from forms and lists. Values already stored on records are kept, so nothing a user entered is lost if the field is defined again.',
      permission: 'custom-fields:manage',
      request: { params },
      responses: { 204: { description: 'Deleted; stored values are kept' } },
    }),
    async (c) => {
      await deleteCustomField(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
