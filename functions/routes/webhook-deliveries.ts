import { z } from '@hono/zod-openapi';
import { deliveryDetail, deliveryPage, deliveryQuery, redeliverRequest } from '../schemas/outbound-webhooks';
import { getDelivery, listDeliveries, redeliver } from '../services/webhooks/delivery-log';
import { contractsOf } from './contract';
import { router } from './env';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('webhook-deliveries');

// The outbound webhooks' delivery log.
export const webhookDeliveriesRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List webhook deliveries',
      description: 'Every event owed to a subscription, newest first: pending (with its next attempt), delivered or failed; by subscription, outcome and event type.',
      permission: 'integrations:manage',
      request: { query: deliveryQuery },
      responses: { 200: json(deliveryPage, 'A page of the log') },
    }),
    async (c) => sendJson(c, await listDeliveries(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/redeliver',
      summary: 'Redeliver webhook deliveries',
      description: 'Sends up to 100 deliveries again, now, each with its same webhook-id (receivers drop what they already have). Their subscriptions must be on.',
      permission: 'integrations:manage',
      request: jsonBody(redeliverRequest),
      responses: { 202: json(z.object({ redelivered: z.number().int() }), 'How many were queued') },
    }),
    async (c) => c.json(await redeliver(c.get('scope'), c.req.valid('json').ids), 202),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get a webhook delivery',
      description: 'One delivery with its body and every attempt: the request headers sent, the answer (status, headers, the first 4 KiB of its body), how long it took, and any error.',
      permission: 'integrations:manage',
      request: { params: idParam('whd') },
      responses: { 200: json(deliveryDetail, 'The delivery') },
    }),
    async (c) => c.json(await getDelivery(c.get('scope'), c.req.valid('param').id), 200),
  );
