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
      summary: 'List contacts',
      description:
        "A page of the workspace's contacts, filtered and sorted as the query asks, with `nextCursor` for the next page (null on the last). `q` searches names, emails, phones and company; `deleted=true` lists the trash instead.",
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
      summary: 'Create a contact',
      description:
        "Creates a contact from any subset of its fields; it needs at least a first name, a last name or an email. Emails are stored trimmed and lower-cased. The creation is written to the audit trail and the contact's timeline.",
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
      summary: 'Get a contact',
      description:
        "One contact with its company's name, custom field values and consent state. A contact in the trash is still returned, with `deletedAt` set.",
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
      summary: 'Update a contact',
      description:
        'Changes only the fields sent; a field sent as null is cleared. The old and new values of the fields a timeline shows are written to the audit trail. A contact in the trash cannot be changed: restore it first.',
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
      summary: 'Move a contact to the trash',
      description:
        "The contact leaves lists and search but is kept, with its timeline, for the workspace's undo window (30 days unless configured otherwise); restore brings it back, and the nightly job erases it after that.",
      tags,
      security,
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
      summary: 'Restore a contact from the trash',
      description: 'Brings a trashed contact back into lists and search exactly as it was deleted.',
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
      summary: 'Erase a contact for good',
      description:
        'Deletes the contact and its timeline at once, without waiting for the undo window; the audit trail records that it happened, not what it held. Needs a manager or stronger; it cannot be undone.',
      tags,
      security,
      middleware: [requires('records:purge')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await purgeContact(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

