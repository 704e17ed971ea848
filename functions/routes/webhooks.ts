import { Hono } from 'hono';
import { logInfo } from '../log';
import { MAX_WEBHOOK_BODY_BYTES, receiveWebhook } from '../services/webhooks/ingest';
import type { AppEnv } from './env';
import { errorBody } from './errors';
import { readBody } from './request-body';

// POST /webhooks/{source}: where marketing tools send form fills and email
// events (services/webhooks/ingest.ts). No session, no CSRF: the request's
// signature is its authentication. Outside /api, and so outside the
// OpenAPI document our own clients are typed from.

const SOURCE_ID = /^whs_[0-9A-Z]{26}$/;

export const webhookReceiver = new Hono<AppEnv>().post(
  '/:id',
  async (c) => {
    const id = c.req.param('id');
    // One answer for every refusal (an unknown source, a missing, stale or
    // wrong signature): a forger learns nothing from it. The log says which.
    const refused = (failure: string) => {
      logInfo({ webhook: id.slice(0, 40), outcome: 'refused', failure });
      return c.json(errorBody(c, { code: 'unauthorized', message: 'The request could not be verified' }), 401);
    };
    if (!SOURCE_ID.test(id)) return refused('unknown source');
    const deps = c.get('deps');
    const body = await readBody(c, MAX_WEBHOOK_BODY_BYTES);
    if (body === 'too large') return c.json(errorBody(c, { code: 'payload_too_large', message: `The body is over ${MAX_WEBHOOK_BODY_BYTES / 1024} KiB` }), 413);
    const received = await receiveWebhook(deps, id, { headers: c.req.raw.headers, body });
    switch (received.outcome) {
      case 'refused':
        return refused(received.failure);
      case 'malformed':
        return c.json(errorBody(c, { code: 'invalid_request', message: received.reason }), 400);
      default:
        return c.json({ id: received.id, duplicate: received.outcome === 'duplicate' }, 200);
    }
  },
);
