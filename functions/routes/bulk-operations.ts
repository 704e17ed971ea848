import { bulkOperationSchema } from '../schemas/lists';
import { getBulkOperation, undoBulk } from '../services/bulk';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, sendJson } from './openapi';

const contract = contractsOf('bulk operations');
const params = idParam('bulk');

// Bulk operations started by POST /api/contacts/bulk or /api/companies/bulk.
export const bulkOperationsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: "A bulk operation's progress",
      description: 'How far an operation has got: running until every chunk is written, then done; the counts of records gone through and changed.',
      permission: 'records:read',
      request: { params },
      responses: { 200: json(bulkOperationSchema, 'The operation') },
    }),
    async (c) => sendJson(c, await getBulkOperation(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/undo',
      summary: 'Undo a bulk delete',
      description:
        'Restores exactly the records that delete moved to the trash and that are still there from it (not one deleted again since by someone else), as a new operation: done at once (200) or carried on as a queue job (202). A delete still running stops first. Only a delete can be undone, and once (409).',
      permission: 'records:delete',
      request: { params },
      responses: {
        200: json(bulkOperationSchema, 'The restore, done'),
        202: json(bulkOperationSchema, 'The restore, started'),
      },
    }),
    async (c) => {
      const started = await undoBulk(c.get('scope'), c.get('deps').queues, c.req.valid('param').id);
      return started.status === 200 ? sendJson(c, started.json, 200) : sendJson(c, started.json, 202);
    },
  );
