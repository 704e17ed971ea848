import { createRoute } from '@hono/zod-openapi';
import {
  createContact,
  deleteContact,
  getContact,
  listContacts,
  purgeContact,
  restoreContact,
  updateContact,
} from '../services/contacts';
import { contactCreate, contactListQuery, contactPage, contactSchema, contactUpdate } from '../schemas/contacts';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, idParam, json, jsonBody, security, sendJson } from './openapi';

const params = idParam('con');
const tags = ['contacts'];
const noContent = { 204: { description: 'Done' }, ...errorResponses };

export const contactsRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      middleware: [requires('records:read')] as const,
      request: { query: contactListQuery },
      responses: { 200: json(contactPage, 'A page of contacts'), ...errorResponses },
    }),
    async (c) => sendJson(c, await listContacts(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      middleware: [requires('records:write')] as const,
      request: jsonBody(contactCreate),
      responses: { 201: json(contactSchema, 'The new contact'), ...errorResponses },
    }),
    async (c) => sendJson(c, await createContact(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      middleware: [requires('records:read')] as const,
      request: { params },
      responses: { 200: json(contactSchema, 'The contact'), ...errorResponses },
    }),
    async (c) => sendJson(c, await getContact(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      security,
      middleware: [requires('records:write')] as const,
      request: { params, ...jsonBody(contactUpdate) },
      responses: { 200: json(contactSchema, 'The updated contact'), ...errorResponses },
    }),
    async (c) => sendJson(c, await updateContact(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Move to the trash (undo with restore)',
      middleware: [requires('records:delete')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await deleteContact(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/restore',
      tags,
      security,
      middleware: [requires('records:delete')] as const,
      request: { params },
      responses: { 200: json(contactSchema, 'The restored contact'), ...errorResponses },
    }),
    async (c) => sendJson(c, await restoreContact(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/purge',
      tags,
      security,
      summary: 'Erase the contact and its timeline for good',
      middleware: [requires('records:purge')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await purgeContact(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

