import { createRoute } from '@hono/zod-openapi';
import { companyDuplicatesQuery, contactDuplicatesQuery, duplicateList } from '../schemas/duplicates';
import { companyDuplicates, contactDuplicates } from '../services/duplicates';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, json, security, sendJson } from './openapi';

const tags = ['duplicates'];

// Asked before a create, so the form can warn and link to what exists
// (merging records comes later).
export const duplicatesRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/contacts',
      tags,
      security,
      summary: 'Contacts that already have this email',
      description: 'Live contacts (not those in the trash) with the email among theirs, ignoring case; at most five.',
      middleware: [requires('records:read')] as const,
      request: { query: contactDuplicatesQuery },
      responses: { 200: json(duplicateList, 'The contacts found, possibly none'), ...errorResponses },
    }),
    async (c) => sendJson(c, await contactDuplicates(c.get('scope'), c.req.valid('query').email), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/companies',
      tags,
      security,
      summary: 'Companies that already have this domain',
      description:
        'Live companies (not those in the trash) whose domain is the one given, or the one a website would be given (acme.com for https://www.acme.com/about), ignoring case; at most five.',
      middleware: [requires('records:read')] as const,
      request: { query: companyDuplicatesQuery },
      responses: { 200: json(duplicateList, 'The companies found, possibly none'), ...errorResponses },
    }),
    async (c) => sendJson(c, await companyDuplicates(c.get('scope'), c.req.valid('query')), 200),
  );
