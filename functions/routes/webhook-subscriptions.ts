import { z } from '@hono/zod-openapi';
import { outboundCatalogue } from '../domain/webhooks/outbound-events';
import {
  eventTypeCatalogue,
  subscriptionCreate,
  subscriptionList,
  subscriptionRotation,
  subscriptionSchema,
  subscriptionUpdate,
  subscriptionWithSecret,
} from '../schemas/outbound-webhooks';
import {
  createSubscription,
  deleteSubscription,
  enableSubscription,
  getSubscription,
  listSubscriptions,
  rotateSubscriptionSecret,
  sendTestEvent,
  updateSubscription,
} from '../services/webhooks/subscriptions';
import { contractsOf } from './contract';
import { router } from './env';
import { idParam, json, jsonBody } from './openapi';

const contract = contractsOf('webhook-subscriptions');
const params = idParam('wsub');

// Outbound webhooks: where this workspace's events are sent (Settings →
// Integrations), each request signed per Standard Webhooks.
export const webhookSubscriptionsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List webhook subscriptions',
      description: 'Where this workspace sends its events, oldest first, each with whether it is on (and why not), its run of failures and its newest delivery.',
      permission: 'integrations:manage',
      responses: { 200: json(subscriptionList, 'Subscriptions') },
    }),
    async (c) => c.json(await listSubscriptions(c.get('scope')), 200),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/event-types',
      summary: 'List webhook event types',
      description: 'Every event a subscription can choose, with a line saying when it happens. Each request body is { type, timestamp, data }, data being the record as this API shows it (for a deletion, its id and name).',
      permission: 'integrations:manage',
      responses: { 200: json(eventTypeCatalogue, 'The catalogue') },
    }),
    (c) => c.json({ data: outboundCatalogue() }, 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Add a webhook subscription',
      description:
        'A public http(s) URL and the events to send to it. Its signing secret (whsec_…, Standard Webhooks) is in this response only. Addresses inside a private network are refused, now and at every send. At most 20 per workspace.',
      permission: 'integrations:manage',
      request: jsonBody(subscriptionCreate),
      responses: { 201: json(subscriptionWithSecret, 'The new subscription, with its secret') },
    }),
    async (c) => c.json(await createSubscription(c.get('scope'), c.get('deps').config.webhooksAllowLoopback ?? false, c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get a webhook subscription',
      description: 'One subscription, with the last characters of its secret and its newest delivery.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 200: json(subscriptionSchema, 'The subscription') },
    }),
    async (c) => c.json(await getSubscription(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a webhook subscription',
      description: 'Its URL, description or events; or turns it off (what waits for it is marked failed) or on again (events are sent from then on).',
      permission: 'integrations:manage',
      request: { params, ...jsonBody(subscriptionUpdate) },
      responses: { 200: json(subscriptionSchema, 'The subscription as changed') },
    }),
    async (c) =>
      c.json(await updateSubscription(c.get('scope'), c.get('deps').config.webhooksAllowLoopback ?? false, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/enable',
      summary: 'Re-enable a webhook subscription',
      description: 'Turns on a subscription that was turned off, by hand or after failing (a 410 Gone, or five days of failures). Events are sent from now; failed deliveries can be redelivered from the log.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 200: json(subscriptionSchema, 'The subscription, on') },
    }),
    async (c) => c.json(await enableSubscription(c.get('scope'), c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/rotate-secret',
      summary: "Rotate a webhook subscription's secret",
      description: 'A new signing secret in this response only. For the grace period (24 hours unless told otherwise, at most 7 days) each request carries a signature with the old secret too, so the receiver can switch over without refusing one.',
      permission: 'integrations:manage',
      request: { params, ...jsonBody(subscriptionRotation) },
      responses: { 200: json(subscriptionWithSecret, 'The subscription, with its new secret') },
    }),
    async (c) => c.json(await rotateSubscriptionSecret(c.get('scope'), c.req.valid('param').id, c.req.valid('json').graceHours), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/test',
      summary: 'Send a test webhook event',
      description: 'Sends a webhook.test event to this subscription alone, signed and logged like any other; answers the delivery to follow in the log.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 202: json(z.object({ deliveryId: z.string() }), 'The test delivery, queued') },
    }),
    async (c) => c.json(await sendTestEvent(c.get('scope'), c.req.valid('param').id), 202),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Remove a webhook subscription',
      description: 'Nothing more is sent to it; its deliveries and their log go with it.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      await deleteSubscription(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
