import { createRoute, type z } from '@hono/zod-openapi';
import { BULK_CHUNK } from '../domain/lists';
import { can } from '../domain/permissions';
import { companyBulkRequest, companyCountQuery } from '../schemas/company-list';
import { contactBulkRequest, contactCountQuery } from '../schemas/contact-list';
import { bulkOperationSchema, countSchema, tagVocabulary as tagVocabularySchema } from '../schemas/lists';
import { startBulk } from '../services/bulk';
import type { BulkAction } from '../services/bulk/actions';
import { companyList } from '../services/companies/list';
import { contactList } from '../services/contacts/list';
import { forbidden } from '../services/errors';
import { countRecords, tagVocabulary } from '../services/lists';
import type { Scope } from '../services/scope';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, json, jsonBody, security, sendJson } from './openapi';

// What every list adds beside its pages (GET /api/<list>): the count of a
// filter, the tags in use, and bulk actions over a selection. Mounted
// before the object's own routes, so /count is not read as an id.

// The routes' contracts, for any list; each list's handlers follow.
const countRoute = <Q extends z.ZodObject>(plural: string, query: Q) =>
  createRoute({
    method: 'get',
    path: '/count',
    tags: [plural],
    security,
    summary: `Count the ${plural} a filter matches`,
    description: `Takes the list's filters (not its sort or page) and counts the ${plural} they match, up to 10,000: past that, \`capped\` is true and the list shows "10,000+". A separate request from the list's pages, so paging never recounts.`,
    middleware: [requires('records:read')] as const,
    request: { query },
    responses: { 200: json(countSchema, `How many ${plural} match`), ...errorResponses },
  });

const tagsRoute = (plural: string) =>
  createRoute({
    method: 'get',
    path: '/tags',
    tags: [plural],
    security,
    summary: `The tags in use on ${plural}`,
    description: `Every tag on ${plural} outside the trash, most used first, with how many have it. Tags differing only in case ("VIP", "vip") are one tag, shown in the spelling most use; filters match them without regard to case.`,
    middleware: [requires('records:read')] as const,
    responses: { 200: json(tagVocabularySchema, 'Tags and their counts'), ...errorResponses },
  });

const bulkRoute = <B extends z.ZodType>(plural: string, singular: string, body: B) =>
  createRoute({
    method: 'post',
    path: '/bulk',
    tags: [plural],
    security,
    summary: `Change or delete many ${plural} at once`,
    description:
      `Applies an action to a selection: some ids, or everything a filter matches less some ids (\`{ filter, except }\`), so "all 10,000 that match" never travels as ids. ` +
      `Works in chunks of ${BULK_CHUNK}: a selection that fits one chunk is done when the answer comes (200); a larger one carries on as a queue job (202) whose progress GET /api/bulk-operations/{id} shows. ` +
      `Each ${singular} changed gets an audit row naming the operation (bulkId); one that needs no change (already tagged) is left alone. A delete moves to the trash and can be undone (POST /api/bulk-operations/{id}/undo). ` +
      'Deleting needs the right to delete; every other action the right to edit.',
    middleware: [requires('records:write')] as const,
    request: jsonBody(body),
    responses: {
      200: json(bulkOperationSchema, 'Done: every record of the selection was gone through'),
      202: json(bulkOperationSchema, 'Started: the rest runs as a queue job'),
      ...errorResponses,
    },
  });

// Deleting in bulk needs what deleting one record needs.
function mayRun(scope: Scope, action: BulkAction) {
  if (action.type === 'delete' && !can(scope.actor.principal, 'records:delete')) throw forbidden();
}

export const contactListRoutes = router()
  .openapi(countRoute('contacts', contactCountQuery), async (c) => {
    const { deleted, ...filter } = c.req.valid('query');
    return c.json(await countRecords(c.get('scope'), contactList, filter, deleted === 'true'), 200);
  })
  .openapi(tagsRoute('contacts'), async (c) => c.json(await tagVocabulary(c.get('scope'), 'contact'), 200))
  .openapi(bulkRoute('contacts', 'contact', contactBulkRequest), async (c) => {
    const request = c.req.valid('json');
    mayRun(c.get('scope'), request.action);
    const started = await startBulk(c.get('scope'), c.get('deps').queues, contactList, request);
    return started.status === 200 ? sendJson(c, started.json, 200) : sendJson(c, started.json, 202);
  });

export const companyListRoutes = router()
  .openapi(countRoute('companies', companyCountQuery), async (c) => {
    const { deleted, ...filter } = c.req.valid('query');
    return c.json(await countRecords(c.get('scope'), companyList, filter, deleted === 'true'), 200);
  })
  .openapi(tagsRoute('companies'), async (c) => c.json(await tagVocabulary(c.get('scope'), 'company'), 200))
  .openapi(bulkRoute('companies', 'company', companyBulkRequest), async (c) => {
    const request = c.req.valid('json');
    mayRun(c.get('scope'), request.action);
    const started = await startBulk(c.get('scope'), c.get('deps').queues, companyList, request);
    return started.status === 200 ? sendJson(c, started.json, 200) : sendJson(c, started.json, 202);
  });
