import { createOrder, deleteOrder, getOrder, listOrders, purgeOrder, restoreOrder, updateOrder, upsertOrders } from '../services/orders';
import { MAX_BATCH_ORDERS, orderBatch, orderBatchResult, orderCreate, orderListQuery, orderPage, orderSchema, orderUpdate } from '../schemas/orders';
import { router } from './env';
import { contractsOf } from './contract';
import { json, jsonBody, sendJson } from './openapi';
import { recordContracts } from './record-routes';

const routes = recordContracts({
  prefix: 'ord',
  names: { one: 'order', many: 'orders', a: 'an order' },
  schemas: { record: orderSchema, create: orderCreate, update: orderUpdate, listQuery: orderListQuery, page: orderPage },
  describe: {
    list: 'A page of orders, newest first unless sorted otherwise, filtered by status, customer, days ordered (UTC) and the shop\'s order id; `deleted=true` lists the trash instead.',
    create:
      "Records a purchase: its customer (a contact's id, or an email that finds the contact or makes one), its lines (linked to the catalogue by product id or SKU), amounts in minor units of its currency and its status. The total defaults to the lines less discount plus shipping and tax. An external id may be used once; send orders from a shop through the batch endpoint, which updates instead.",
    get: 'One order with its lines and its customer\'s name. An order in the trash is still returned, with `deletedAt` set.',
    update:
      'Changes only the fields sent; lines sent replace all the lines and the amounts follow them unless a total is sent too. A refund may never exceed the total. An order in the trash cannot be changed: restore it first.',
    trash: 'The order leaves lists, the purchase history and the nightly scores for the undo window.',
    restore: 'Brings a trashed order back, into the purchase history and the next scores.',
    purge: 'Erases the order and its lines at once. Needs a manager or stronger; it cannot be undone.',
  },
});

const batchRoute = contractsOf('orders')({
  method: 'post',
  path: '/batch',
  summary: 'Create or update orders by their external ids',
  description: `Up to ${MAX_BATCH_ORDERS} orders from a shop, each with its own external id: an order not seen before is created, one seen before is updated where it differs and left alone where it does not. Sending the same batch again changes nothing, so a retry never counts revenue twice. Customers are found by email (ignoring case) or made. The answer says, per order, whether it was created, updated or unchanged.`,
  permission: 'records:write',
  request: jsonBody(orderBatch),
  responses: { 200: json(orderBatchResult, 'What happened to each order') },
});

export const ordersRoutes = router()
  .openapi(batchRoute, async (c) => c.json(await upsertOrders(c.get('scope'), c.req.valid('json')), 200))
  .openapi(routes.list, async (c) => sendJson(c, await listOrders(c.get('scope'), c.req.valid('query')), 200))
  .openapi(routes.create, async (c) => sendJson(c, await createOrder(c.get('scope'), c.req.valid('json')), 201))
  .openapi(routes.get, async (c) => sendJson(c, await getOrder(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.update, async (c) => sendJson(c, await updateOrder(c.get('scope'), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(routes.trash, async (c) => {
    await deleteOrder(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(routes.restore, async (c) => sendJson(c, await restoreOrder(c.get('scope'), c.req.valid('param').id), 200))
  .openapi(routes.purge, async (c) => {
    await purgeOrder(c.get('scope'), c.req.valid('param').id);
    return c.body(null, 204);
  });
