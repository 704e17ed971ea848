import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../domain/permissions';
import { acceptInvitation, findOpenInvitation } from '../services/auth/invitations';
import { createInvitation, listInvitations, revokeInvitation } from '../services/members';
import { router } from './env';
import { requires, requiresUser } from './guard';
import { isoTime } from '../domain/time';
import { errorResponses, idParam, json, jsonBody, security } from './openapi';

const tags = ['members'];
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
    createRoute({
      method: 'get',
      path: '/',
      summary: 'List open invitations',
      description: 'Invitations of this workspace that are neither accepted, revoked nor expired.',
      tags,
      security,
      middleware: [requires('members:invite')] as const,
      responses: { 200: json(z.object({ data: z.array(invitationSchema) }), 'Open invitations'), ...errorResponses },
    }),
    async (c) => c.json({ data: await listInvitations(c.get('scope')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Invite a colleague by link',
      description:
        "Creates an invitation for a role no stronger than the inviter's and returns its link once; share the link yourself (no email is sent). The optional email is a note of whom it is for. The link expires after a week.",
      tags,
      security,
      middleware: [requires('members:invite')] as const,
      request: jsonBody(z.object({ role: z.enum(ROLES), email: z.string().trim().toLowerCase().email().max(254).optional() }).strict()),
      responses: {
        201: json(invitationSchema.extend({ url: z.string().url(), token: z.string() }), 'The invitation and its link'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { token, invitation } = await createInvitation(c.get('scope'), c.req.valid('json'));
      const url = `${c.get('deps').config.publicUrl}/invite/${token}`;
      return c.json({ ...invitation, token, url }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      summary: 'Revoke an invitation',
      description: 'The link stops working at once.',
      tags,
      security,
      middleware: [requires('members:invite')] as const,
      request: { params: idParam('inv') },
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
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
      summary: 'Look up an invitation link',
      description:
        "What an open invitation is for: the workspace's name, the role, and when it expires. Needs no sign-in, so the invitation page can show it before signing up.",
      tags,
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
      summary: 'Accept an invitation',
      description:
        "The signed-in user joins the inviting workspace with the invitation's role, and the session switches to it. A link is accepted once.",
      tags,
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
