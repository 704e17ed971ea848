import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../domain/permissions';
import { acceptInvitation, findOpenInvitation } from '../services/auth/invitations';
import { createInvitation, listInvitations, revokeInvitation } from '../services/members';
import { router } from './env';
import { contractsOf } from './contract';
import { requiresUser } from './guard';
import { isoTime } from '../domain/time';
import { errorResponses, idParam, json, jsonBody } from './openapi';

const tags = ['members'];
const contract = contractsOf(tags[0]!);
const invitationSchema = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    email: z.string().nullable(),
    expiresAt: z.string().datetime(),
    createdAt: z.string().datetime(),
  })
  .openapi('Invitation');
const tokenSchema = z.string().min(20).max(100);

export const invitationsRoutes = router()
  .openapi(
    contract({
      method: 'get',
      path: '/',
      summary: 'List open invitations',
      description: 'Invitations not yet used, revoked or expired. Their links are not shown again: only a hash of each is kept.',
      permission: 'members:invite',
      responses: { 200: json(z.object({ data: z.array(invitationSchema) }), 'Open invitations') },
    }),
    async (c) => c.json({ data: await listInvitations(c.get('scope')) }, 200),
  )
  .openapi(
    contract({
      method: 'post',
      path: '/',
      summary: 'Invite a colleague by link; the link is returned once',
      description:
        'Relate sends no email: pass the link on yourself. With an email, only someone signing up or in with that address can use the link; ' +
        'without, whoever holds it. The role must be one the caller may assign. The link works once and expires after 7 days.',
      permission: 'members:invite',
      request: jsonBody(z.object({ role: z.enum(ROLES), email: z.string().trim().toLowerCase().email().max(254).optional() }).strict()),
      responses: {
        201: json(invitationSchema.extend({ url: z.string().url(), token: z.string() }), 'The invitation and its link'),
      },
    }),
    async (c) => {
      const { token, invitation } = await createInvitation(c.get('scope'), c.req.valid('json'));
      const url = `${c.get('deps').config.publicUrl}/invite/${token}`;
      return c.json({ ...invitation, token, url }, 201);
    },
  )
  .openapi(
    contract({
      method: 'delete',
      path: '/{id}',
      summary: 'Revoke an invitation',
      description: 'Its link stops working at once. Only invitations for roles the caller may assign.',
      permission: 'members:invite',
      request: { params: idParam('inv') },
      responses: { 204: { description: 'Revoked' } },
    }),
    async (c) => {
      await revokeInvitation(c.get('scope'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/lookup',
      tags,
      summary: 'What an invitation link is for (no sign-in needed)',
      description:
        'The workspace, role, email (if it is made out to one) and expiry of an open invitation, for the page its link opens. ' +
        'An unknown, used, revoked or expired token all answer the same 404.',
      request: jsonBody(z.object({ token: tokenSchema }).strict()),
      responses: {
        200: json(z.object({ workspaceName: z.string(), role: z.enum(ROLES), email: z.string().nullable(), expiresAt: z.string() }), 'The invitation'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { invitation, workspaceName } = await findOpenInvitation(c.get('deps').db, c.req.valid('json').token, c.get('deps').now());
      return c.json({ workspaceName, role: invitation.role, email: invitation.email, expiresAt: isoTime(invitation.expiresAt)! }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/accept',
      tags,
      summary: 'Join the inviting workspace as the signed-in user',
      description:
        'Uses up the invitation and moves this session to the workspace. 403 wrong_invitee when it is made out to another email; ' +
        '409 already_member (the link is left unused) when the person is a member already.',
      middleware: [requiresUser] as const,
      request: jsonBody(z.object({ token: tokenSchema }).strict()),
      responses: { 200: json(z.object({ workspaceId: z.string() }), 'Joined; the session switched to it'), ...errorResponses },
    }),
    async (c) => {
      const { userId, sessionId } = c.get('user');
      const { db, now } = c.get('deps');
      return c.json(await acceptInvitation(db, c.get('authCache'), c.req.valid('json').token, userId, sessionId, now()), 200);
    },
  );
