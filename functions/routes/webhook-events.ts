import { z } from '@hono/zod-openapi';
import { replayRequest, webhookEventDetail, webhookEventPage, webhookEventQuery } from '../schemas/webhooks';
import { getWebhookEvent, listWebhookEvents, replayWebhookEvents } from '../services/webhooks/inbox';
import { contractsOf } from './contract';
import { router } from './env';
import { idParam, json, jsonBody, sendJson } from './openapi';

const contract = contractsOf('webhook-events');

// The event inbox of Settings → Integrations.
export const webhookEventsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List received webhook events',
      description: 'Every request a source sent that verified, newest first, with its outcome (pending, applied, failed) and what applying it did; filtered by source, type and outcome.',
      permission: 'integrations:manage',
      request: { query: webhookEventQuery },
      responses: { 200: json(webhookEventPage, 'A page of the inbox') },
    }),
    async (c) => sendJson(c, await listWebhookEvents(c.get('scope'), c.req.valid('query')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/replay',
      summary: 'Replay webhook events',
      description: 'Applies up to 100 events of the inbox again, through the events queue. Applying is idempotent: a replay adds only what an earlier application missed, never a second contact or a second email event.',
      permission: 'integrations:manage',
      request: jsonBody(replayRequest),
      responses: { 202: json(z.object({ replayed: z.number().int() }), 'How many were queued') },
    }),
    async (c) => c.json(await replayWebhookEvents(c.get('scope'), c.get('deps').queues, c.req.valid('json').ids), 202),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get a received webhook event',
      description: 'One event as it came (headers without credentials, the body) with its outcome.',
      permission: 'integrations:manage',
      request: { params: idParam('whe') },
      responses: { 200: json(webhookEventDetail, 'The event') },
    }),
    async (c) => c.json(await getWebhookEvent(c.get('scope'), c.req.valid('param').id), 200),
  );
