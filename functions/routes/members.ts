import { z } from '@hono/zod-openapi';
import { ROLES } from '../domain/permissions';
import { changeRole, listMembers, removeMember } from '../services/members';
import { router } from './env';
import { contractsOf } from './contract';
import { json, jsonBody } from './openapi';

const contract = contractsOf('members');
const memberSchema = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES), joinedAt: z.string().datetime() })
  .openapi('Member');
const params = z.object({
  userId: z.string().regex(/^usr_[0-9A-Z]{26}$/, 'must be a user id').openapi({ param: { name: 'userId', in: 'path' } }),
});

export const membersRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List the members',
      description: 'Everyone in this workspace with their role and when they joined, by name.',
      permission: 'members:read',
      responses: { 200: json(z.object({ data: z.array(memberSchema) }), 'Members of this workspace') },
    }),
    async (c) => c.json({ data: await listMembers(c.get('scope')) }, 200),
  )
  .openapi(
    contract({
      method: 'patch',
      path: '/{userId}',
      summary: "Change a member's role",
      description:
        'Only to and from roles the caller may assign (an admin cannot make or unmake owners). ' +
        'The last owner cannot be demoted (409). Takes effect on their next request.',
      permission: 'members:manage',
      request: { params, ...jsonBody(z.object({ role: z.enum(ROLES) }).strict()) },
      responses: { 204: { description: 'Role changed' } },
    }),
    async (c) => {
      await changeRole(c.get('scope'), c.get('authCache'), c.req.valid('param').userId, c.req.valid('json').role);
      return c.body(null, 204);
    },
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{userId}',
      summary: 'Remove a member',
      description:
        'They lose access to this workspace at once (their sessions here end); the records they own stay. ' +
        'The last owner cannot be removed (409).',
      permission: 'members:manage',
      request: { params },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      await removeMember(c.get('scope'), c.get('authCache'), c.req.valid('param').userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    contract({
      method: 'post',
      path: '/leave',
      summary: 'Leave this workspace',
      description:
        "Ends the caller's membership and this session's access to the workspace; their other workspaces are untouched. " +
        'The only owner cannot leave (409): make someone else an owner first.',
      permission: 'members:read',
      responses: { 204: { description: 'Left' } },
    }),
    async (c) => {
      const scope = c.get('scope');
      await removeMember(scope, c.get('authCache'), scope.actor.userId!);
      return c.body(null, 204);
    },
  );
