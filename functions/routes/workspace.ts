import { createRoute, z } from '@hono/zod-openapi';
import { getWorkspace, renameWorkspace } from '../services/workspaces';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, json, jsonBody, security } from './openapi';

const tags = ['workspace'];
const workspaceSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string().datetime() })
  .openapi('Workspace');

// The workspace the caller is acting in; there is no id to pass, so no
// other workspace can be named here.
export const workspaceRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      security,
      summary: 'The current workspace',
      description: 'The workspace the session or API key acts in; there is no id to pass, so no other workspace can be named.',
      middleware: [requires('records:read')] as const,
      responses: { 200: json(workspaceSchema, 'The current workspace'), ...errorResponses },
    }),
    async (c) => c.json(await getWorkspace(c.get('scope')), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/',
      tags,
      security,
      summary: 'Rename the workspace',
      description: 'Owners only. Every member sees the new name on their next page load.',
      middleware: [requires('workspace:manage')] as const,
      request: jsonBody(z.object({ name: z.string().trim().min(1).max(120) }).strict()),
      responses: { 200: json(workspaceSchema, 'The renamed workspace'), ...errorResponses },
    }),
    async (c) => c.json(await renameWorkspace(c.get('scope'), c.req.valid('json').name), 200),
  );
