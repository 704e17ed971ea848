import { z } from '@hono/zod-openapi';
import { getWorkspace, renameWorkspace } from '../services/workspaces';
import { router } from './env';
import { contractsOf } from './contract';
import { json, jsonBody } from './openapi';

const contract = contractsOf('workspace');
const workspaceSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string().datetime() })
  .openapi('Workspace');

// The workspace the caller is acting in; there is no id to pass, so no
// other workspace can be named here.
export const workspaceRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'The current workspace',
      description: 'The workspace the session or API key acts in; there is no id to pass, so no other workspace can be named.',
      permission: 'records:read',
      responses: { 200: json(workspaceSchema, 'The current workspace') },
    }),
    async (c) => c.json(await getWorkspace(c.get('scope')), 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/',
      summary: 'Rename the workspace',
      description: 'Owners only. Every member sees the new name on their next page load.',
      permission: 'workspace:manage',
      request: jsonBody(z.object({ name: z.string().trim().min(1).max(120) }).strict()),
      responses: { 200: json(workspaceSchema, 'The renamed workspace') },
    }),
    async (c) => c.json(await renameWorkspace(c.get('scope'), c.req.valid('json').name), 200),
  );
