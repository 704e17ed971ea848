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
      tags,
      security,
      summary: 'Move to the trash (undo with restore)',
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
      tags,
      security,
      summary: 'Erase the company and its timeline for good; its contacts stay',
      middleware: [requires('records:purge')] as const,
      request: { params },
      responses: noContent,
    }),
    async (c) => {
      await purgeCompany(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

