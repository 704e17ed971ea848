import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../domain/permissions';
import { changeRole, listMembers, removeMember } from '../services/members';
import { router } from './env';
import { requires } from './guard';
import { errorResponses, json, jsonBody, security } from './openapi';

const tags = ['members'];
const memberSchema = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES), joinedAt: z.string().datetime() })
  .openapi('Member');
const params = z.object({
  userId: z.string().regex(/^usr_[0-9A-Z]{26}$/, 'must be a user id').openapi({ param: { name: 'userId', in: 'path' } }),
});

export const membersRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'List members',
      description: 'Everyone in this workspace, with their role and when they joined.',
      tags,
      security,
      middleware: [requires('members:read')] as const,
      responses: { 200: json(z.object({ data: z.array(memberSchema) }), 'Members of this workspace'), ...errorResponses },
    }),
    async (c) => c.json({ data: await listMembers(c.get('scope')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/{userId}',
      summary: "Change a member's role",
      description:
        'Members may give only roles no stronger than their own, and only an owner makes another owner. A workspace always keeps one owner, so the last owner cannot be demoted.',
      tags,
      security,
      middleware: [requires('members:manage')] as const,
      request: { params, ...jsonBody(z.object({ role: z.enum(ROLES) }).strict()) },
      responses: { 204: { description: 'Role changed' }, ...errorResponses },
    }),
    async (c) => {
      await changeRole(c.get('scope'), c.get('authCache'), c.req.valid('param').userId, c.req.valid('json').role);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{userId}',
      summary: 'Remove a member',
      description:
        'The member loses access at once: their sessions move to another workspace of theirs, or end. Records they own keep them as owner until reassigned. The last owner cannot be removed.',
      tags,
      security,
      middleware: [requires('members:manage')] as const,
      request: { params },
      responses: { 204: { description: 'Removed' }, ...errorResponses },
    }),
    async (c) => {
      await removeMember(c.get('scope'), c.get('authCache'), c.req.valid('param').userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/leave',
      summary: 'Leave this workspace',
      description:
        'The signed-in member leaves the workspace they are acting in. The last owner cannot leave: make someone else owner first.',
      tags,
      security,
      middleware: [requires('members:read')] as const,
      responses: { 204: { description: 'Left' }, ...errorResponses },
    }),
    async (c) => {
      const scope = c.get('scope');
      await removeMember(scope, c.get('authCache'), scope.actor.userId!);
      return c.body(null, 204);
    },
  );
