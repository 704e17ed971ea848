import { secretRotation, sourceCreate, sourceList, sourceSchema, sourceUpdate, sourceWithSecret } from '../schemas/webhooks';
import { createSource, deleteSource, getSource, listSources, rotateSecret, updateSource } from '../services/webhooks/sources';
import { contractsOf } from './contract';
import { router } from './env';
import { idParam, json, jsonBody } from './openapi';

const contract = contractsOf('webhook-sources');
const params = idParam('whs');

// The senders a workspace takes webhooks from (Settings → Integrations);
// each posts to its own URL, POST /webhooks/{id} (routes/webhooks.ts).
export const webhookSourcesRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List webhook sources',
      description: 'The form tools and email senders this workspace takes webhooks from, by name, each with its URL, how many requests it sent and when last. Secrets are not shown again.',
      permission: 'integrations:manage',
      responses: { 200: json(sourceList, 'Sources') },
    }),
    async (c) => c.json(await listSources(c.get('scope'), c.get('deps').config.publicUrl), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Add a webhook source',
      description:
        "A sender of one kind, with its secret: generated (Standard Webhooks, Svix, Postmark's credentials, the HMAC kind) or pasted (SendGrid's public key, Mailgun's signing key, or a secret the sender made). The secret is in this response only. A form tool's mapping says where its payload puts each contact field.",
      permission: 'integrations:manage',
      request: jsonBody(sourceCreate),
      responses: { 201: json(sourceWithSecret, 'The new source, with its secret') },
    }),
    async (c) => c.json(await createSource(c.get('scope'), c.get('deps').config.publicUrl, c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'get',
      path: '/{id}',
      summary: 'Get a webhook source',
      description: 'One source, with its URL and the last characters of its secret.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 200: json(sourceSchema, 'The source') },
    }),
    async (c) => c.json(await getSource(c.get('scope'), c.get('deps').config.publicUrl, c.req.valid('param').id), 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a webhook source',
      description: 'Renames it, turns it off or on (a source that is off refuses every request), or changes its HMAC scheme or form mapping.',
      permission: 'integrations:manage',
      request: { params, ...jsonBody(sourceUpdate) },
      responses: { 200: json(sourceSchema, 'The source as changed') },
    }),
    async (c) => c.json(await updateSource(c.get('scope'), c.get('deps').config.publicUrl, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/{id}/rotate-secret',
      summary: "Rotate a webhook source's secret",
      description:
        'A new secret (generated, or pasted) in this response only. The previous one still verifies for the grace period (24 hours unless told otherwise, at most 7 days), so the sender can be switched over without a refused request.',
      permission: 'integrations:manage',
      request: { params, ...jsonBody(secretRotation) },
      responses: { 200: json(sourceWithSecret, 'The source, with its new secret') },
    }),
    async (c) => c.json(await rotateSecret(c.get('scope'), c.get('deps').config.publicUrl, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Remove a webhook source',
      description: 'Its URL refuses every request from now on. What it sent stays in the event inbox.',
      permission: 'integrations:manage',
      request: { params },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      await deleteSource(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
