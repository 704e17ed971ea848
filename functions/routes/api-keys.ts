import { z } from '@hono/zod-openapi';
import { API_KEY_SCOPES } from '../domain/permissions';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys';
import { router } from './env';
import { contractsOf } from './contract';
import { idParam, json, jsonBody } from './openapi';

const contract = contractsOf('api-keys');
const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    scope: z.enum(API_KEY_SCOPES),
    createdAt: z.string().datetime(),
    lastUsedAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('ApiKey');

export const apiKeysRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List API keys',
      description: "The workspace's keys, revoked ones included, with their prefix and last use. Secrets are never shown again.",
      permission: 'api-keys:manage',
      responses: { 200: json(z.object({ data: z.array(apiKeySchema) }), 'Keys of this workspace') },
    }),
    async (c) => c.json({ data: await listApiKeys(c.get('scope')) }, 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Create an API key',
      description:
        'A read key sees what a viewer sees; a write key may also create, change and delete records. No key manages people, keys or the workspace. The secret is in this response only: store it now.',
      permission: 'api-keys:manage',
      request: jsonBody(z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(API_KEY_SCOPES) }).strict()),
      responses: { 201: json(apiKeySchema.extend({ key: z.string() }), 'The new key, with its secret') },
    }),
    async (c) => c.json(await createApiKey(c.get('scope'), c.req.valid('json')), 201),
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Revoke an API key',
      description: 'The key stops working at once, everywhere.',
      permission: 'api-keys:manage',
      request: { params: idParam('key') },
      responses: { 204: { description: 'Revoked' } },
    }),
    async (c) => {
      await revokeApiKey(c.get('scope'), c.get('authCache'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
