import { companyDuplicatesQuery, contactDuplicatesQuery, duplicateList } from '../schemas/duplicates';
import { companyDuplicates, contactDuplicates } from '../services/duplicates';
import { router } from './env';
import { contractsOf } from './contract';
import { json, sendJson } from './openapi';

const contract = contractsOf('duplicates');

// Asked before a create, so the form can warn and link to what exists
// (merging records comes later).
export const duplicatesRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/contacts',
      summary: 'Contacts that already have this email',
      description: 'Live contacts (not those in the trash) with the email among theirs, ignoring case; at most five.',
      permission: 'records:read',
      request: { query: contactDuplicatesQuery },
      responses: { 200: json(duplicateList, 'The contacts found, possibly none') },
    }),
    async (c) => sendJson(c, await contactDuplicates(c.get('scope'), c.req.valid('query').email), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/companies',
      summary: 'Companies that already have this domain',
      description:
        'Live companies (not those in the trash) whose domain is the one given, or the one a website would be given (acme.com for https://www.acme.com/about), ignoring case; at most five.',
      permission: 'records:read',
      request: { query: companyDuplicatesQuery },
      responses: { 200: json(duplicateList, 'The companies found, possibly none') },
    }),
    async (c) => sendJson(c, await companyDuplicates(c.get('scope'), c.req.valid('query')), 200),
  );
