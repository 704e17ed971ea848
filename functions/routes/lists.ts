import type { z } from '@hono/zod-openapi';
import { BULK_CHUNK } from '../domain/lists';
import { can } from '../domain/permissions';
import { companyBulkRequest, companyCountQuery } from '../schemas/company-list';
import { contactBulkRequest, contactCountQuery } from '../schemas/contact-list';
import { orderBulkRequest, orderCountQuery } from '../schemas/orders';
import { productBulkRequest, productCountQuery } from '../schemas/products';
import { bulkOperationSchema, countSchema, tagVocabulary as tagVocabularySchema } from '../schemas/lists';
import { startBulk, type Selection } from '../services/bulk';
import type { BulkAction } from '../services/bulk/actions';
import { companyList } from '../services/companies/list';
import { contactList } from '../services/contacts/list';
import { orderList } from '../services/orders/list';
import { productList } from '../services/products/list';
import { forbidden } from '../services/errors';
import { countRecords, tagVocabulary } from '../services/lists';
import type { ListShape, ListSource } from '../services/lists/source';
import type { Scope } from '../services/scope';
import type { Context } from 'hono';
import type { Deps } from '../deps';
import { router } from './env';
import { contractsOf } from './contract';
import { json, jsonBody, sendJson } from './openapi';

// What every list adds beside its pages (GET /api/<list>): the count of a
// filter, the tags in use, and bulk actions over a selection. Mounted
// before the object's own routes, so /count is not read as an id.

// The routes' contracts, for any list; each list's handlers follow.
const countRoute = <Q extends z.ZodObject>(plural: string, query: Q) =>
  contractsOf(plural)({
    method: 'get',
    path: '/count',
    summary: `Count the ${plural} a filter matches`,
    description: `Takes the list's filters (not its sort or page) and counts the ${plural} they match, up to 10,000: past that, \`capped\` is true and the list shows "10,000+". A separate request from the list's pages, so paging never recounts.`,
    permission: 'records:read',
    request: { query },
    responses: { 200: json(countSchema, `How many ${plural} match`) },
  });

const tagsRoute = (plural: string) =>
  contractsOf(plural)({
    method: 'get',
    path: '/tags',
    summary: `The tags in use on ${plural}`,
    description: `Every tag on ${plural} outside the trash, most used first, with how many have it. Tags differing only in case ("VIP", "vip") are one tag, shown in the spelling most use; filters match them without regard to case.`,
    permission: 'records:read',
    responses: { 200: json(tagVocabularySchema, 'Tags and their counts') },
  });

const bulkRoute = <B extends z.ZodType>(plural: string, singular: string, body: B) =>
  contractsOf(plural)({
    method: 'post',
    path: '/bulk',
    summary: `Change or delete many ${plural} at once`,
    description:
      `Applies an action to a selection: some ids, or everything a filter matches less some ids (\`{ filter, except }\`), so "all 10,000 that match" never travels as ids. ` +
      `Works in chunks of ${BULK_CHUNK}: a selection that fits one chunk is done when the answer comes (200); a larger one carries on as a queue job (202) whose progress GET /api/bulk-operations/{id} shows. ` +
      `Each ${singular} changed gets an audit row naming the operation (bulkId); one that needs no change (already tagged) is left alone. A delete moves to the trash and can be undone (POST /api/bulk-operations/{id}/undo). ` +
      'Deleting needs the right to delete; every other action the right to edit.',
    permission: 'records:write',
    request: jsonBody(body),
    responses: {
      200: json(bulkOperationSchema, 'Done: every record of the selection was gone through'),
      202: json(bulkOperationSchema, 'Started: the rest runs as a queue job'),
    },
  });

// Deleting in bulk needs what deleting one record needs.
function mayRun(scope: Scope, action: BulkAction) {
  if (action.type === 'delete' && !can(scope.actor.principal, 'records:delete')) throw forbidden();
}

// What the handlers of every list share: the count splits the trash flag
// from the filter; a bulk action is checked, started, and answered 200 when
// done or 202 when it carries on as a queue job.
function counted<F>(scope: Scope, source: ListSource<F, ListShape>, query: F & { deleted?: 'true' | 'false' }) {
  const { deleted, ...filter } = query;
  return countRecords(scope, source, filter as F, deleted === 'true');
}

async function bulkAnswer<F>(c: Context, scope: Scope, source: ListSource<F, ListShape>, request: { selection: Selection<F>; action: BulkAction }) {
  mayRun(scope, request.action);
  const started = await startBulk(scope, (c.get('deps') as Deps).queues, source, request);
  return started.status === 200 ? sendJson(c, started.json, 200) : sendJson(c, started.json, 202);
}

export const contactListRoutes = router()
  .openapi(countRoute('contacts', contactCountQuery), async (c) => c.json(await counted(c.get('scope'), contactList, c.req.valid('query')), 200))
  .openapi(tagsRoute('contacts'), async (c) => c.json(await tagVocabulary(c.get('scope'), 'contact'), 200))
  .openapi(bulkRoute('contacts', 'contact', contactBulkRequest), (c) => bulkAnswer(c, c.get('scope'), contactList, c.req.valid('json')));

export const companyListRoutes = router()
  .openapi(countRoute('companies', companyCountQuery), async (c) => c.json(await counted(c.get('scope'), companyList, c.req.valid('query')), 200))
  .openapi(tagsRoute('companies'), async (c) => c.json(await tagVocabulary(c.get('scope'), 'company'), 200))
  .openapi(bulkRoute('companies', 'company', companyBulkRequest), (c) => bulkAnswer(c, c.get('scope'), companyList, c.req.valid('json')));

export const productListRoutes = router()
  .openapi(countRoute('products', productCountQuery), async (c) => c.json(await counted(c.get('scope'), productList, c.req.valid('query')), 200))
  .openapi(bulkRoute('products', 'product', productBulkRequest), (c) => bulkAnswer(c, c.get('scope'), productList, c.req.valid('json')));

export const orderListRoutes = router()
  .openapi(countRoute('orders', orderCountQuery), async (c) => c.json(await counted(c.get('scope'), orderList, c.req.valid('query')), 200))
  .openapi(bulkRoute('orders', 'order', orderBulkRequest), (c) => bulkAnswer(c, c.get('scope'), orderList, c.req.valid('json')));
