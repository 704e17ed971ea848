import { createRoute } from '@hono/zod-openapi';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  purgeCompany,
  restoreCompany,
  updateCompany,
} from '../services/companies';
import { companyCreate, companyListQuery, companyPage, companySchema, companyUpdate } from '../schemas/companies';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, idParam, json, jsonBody, security, sendJson } from './openapi';

const params = idParam('com');
const tags = ['companies'];
const noContent = { 204: { description: 'Done' }, ...errorResponses };

export const companiesRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'List companies',
      description:
        "A page of the workspace's companies, filtered and sorted as the query asks, with `nextCursor` for the next page (null on the last). `q` searches names and domains; `deleted=true` lists the trash instead.",
      tags,
      security,
      middleware: [requires('records:read')] as const,
      request: { query: companyListQuery },
      responses: { 200: json(companyPage, 'A page of companies'), ...errorResponses },
    }),
    async (c) => sendJson(c, await listCompanies(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Create a company',
      description: "Creates a company; a name is required. The creation is written to the audit trail and the company's timeline.",
      tags,
      security,
      middleware: [requires('records:write')] as const,
      request: jsonBody(companyCreate),
      responses: { 201: json(companySchema, 'The new company'), ...errorResponses },
    }),
    async (c) => sendJson(c, await createCompany(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'Get a company',
      description: 'One company with its custom field values. A company in the trash is still returned, with `deletedAt` set.',
      tags,
      security,
      middleware: [requires('records:read')] as const,
      request: { params },
      responses: { 200: json(companySchema, 'The company'), ...errorResponses },
    }),
    async (c) => sendJson(c, await getCompany(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Update a company',
      description:
        'Changes only the fields sent; a field sent as null is cleared. The old and new values of the fields a timeline shows are written to the audit trail. A company in the trash cannot be changed: restore it first.',
      tags,
      security,
      middleware: [requires('records:write')] as const,
      request: { params, ...jsonBody(companyUpdate) },
      responses: { 200: json(companySchema, 'The updated company'), ...errorResponses },
    }),
    async (c) => sendJson(c, await updateCompany(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      summary: 'Move a company to the trash',
      description:
        "The company leaves lists and search but is kept for the workspace's undo window (30 days unless configured otherwise); its people keep their link to it. Restore brings it back; the nightly job erases it after that.",
      tags,
      security,
      middleware: [requires('records:delete')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await deleteCompany(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/restore',
      summary: 'Restore a company from the trash',
      description: 'Brings a trashed company back into lists and search exactly as it was deleted.',
      tags,
      security,
      middleware: [requires('records:delete')] as const,
      request: { params },
      responses: { 200: json(companySchema, 'The restored company'), ...errorResponses },
    }),
    async (c) => sendJson(c, await restoreCompany(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/purge',
      summary: 'Erase a company for good',
      description:
        'Deletes the company and its timeline at once; its people stay, without a company, and the audit trail records that it happened. Needs a manager or stronger; it cannot be undone.',
      tags,
      security,
      middleware: [requires('records:purge')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await purgeCompany(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

