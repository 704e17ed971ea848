import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_PROBLEMS } from '../domain/password-rule';
import { SIGNED_IN_HINT_COOKIE } from '../domain/signed-in-hint';
import { changePassword, renameAccount } from '../services/auth/account';
import { signIn, signUp, sessionInfo, switchWorkspace } from '../services/auth/accounts';
import { SESSION_TTL_MS, signOut } from '../services/auth/sessions';
import { SESSION_COOKIE } from './authenticate';
import { router, type AppEnv } from './env';
import { requiresUser } from './guard';
import { errorResponses, json, jsonBody } from './openapi';

const email = z.string().trim().toLowerCase().email().max(254);
// A new password: its length is checked here, the rest of the rule
// (common, patterned or personal passwords) by the service, which answers
// 422 weak_password (functions/domain/password-rule.ts). The cap keeps
// PBKDF2 input bounded.
const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, PASSWORD_PROBLEMS.short)
  .max(PASSWORD_MAX_LENGTH)
  .openapi({
    description:
      `At least ${PASSWORD_MIN_LENGTH} characters, and not a common password, a run like "12345678", or one made of the person's name, email or workspace name ` +
      '(answered with 422 weak_password, whose details say which).',
  });
const password = newPassword;

const signUpBody = z
  .object({
    email,
    password,
    name: z.string().trim().min(1).max(120),
    workspaceName: z.string().trim().min(1).max(120).optional(),
    invitationToken: z.string().min(20).max(100).optional(),
  })
  .strict()
  .refine((b) => !!b.workspaceName !== !!b.invitationToken, {
    message: 'Name a new workspace, or join one with an invitation token',
    path: ['workspaceName'],
  })
  .openapi('SignUp');
const signInBody = z.object({ email, password: z.string().min(1).max(256) }).strict().openapi('SignIn');

const sessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    workspace: z.object({ id: z.string(), name: z.string(), role: z.string() }),
    workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
    csrfToken: z.string(),
  })
  .openapi('Session');

function setSessionCookie(c: Context, token: string) {
  const url = new URL(c.req.url);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  const options = { secure: !local, sameSite: 'Lax', path: '/', maxAge: SESSION_TTL_MS / 1000 } as const;
  // The session first: tools that keep one cookie keep this one.
  setCookie(c, SESSION_COOKIE, token, { ...options, httpOnly: true });
  setCookie(c, SIGNED_IN_HINT_COOKIE, '1', options);
}

function clearSessionCookies(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, SIGNED_IN_HINT_COOKIE, { path: '/' });
}

// A page asked who is signed in and nobody is (the session expired or was
// revoked): the hint goes too, so its next load asks nothing.
const forgetSessionWhenRefused = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status === 401) clearSessionCookies(c);
});

const accountSchema = z.object({ id: z.string(), email: z.string(), name: z.string() }).openapi('Account');
const renameBody = z.object({ name: z.string().trim().min(1).max(120) }).strict().openapi('AccountUpdate');
const passwordChangeBody = z
  .object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), newPassword })
  .strict()
  .openapi('PasswordChange');

const created = json(z.object({ userId: z.string(), workspaceId: z.string() }), 'Signed in; the session cookie is set');

export const auth = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-up',
      tags: ['auth'],
      summary: 'Create an account, with a new workspace or through an invitation',
      description:
        'With workspaceName: a new workspace the person owns. With invitationToken: joins the inviting workspace in the invited role ' +
        '(an invitation made out to an email takes only that email). The password must follow the password rule (422 weak_password says why). ' +
        'Signs in: sets the HttpOnly session cookie and the relate_signed_in hint cookie. Attempts are throttled per email and per network (429 with Retry-After).',
      request: jsonBody(signUpBody),
      responses: { 201: created, ...errorResponses },
    }),
    async (c) => {
      const { db, now, clientAddress, commonPasswords } = c.get('deps');
      const result = await signUp({ db, now: now(), commonPasswords }, { ...c.req.valid('json'), clientAddress: clientAddress(c) });
      setSessionCookie(c, result.token);
      return c.json({ userId: result.userId, workspaceId: result.workspaceId }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in',
      tags: ['auth'],
      summary: 'Sign in with email and password',
      description:
        'Sets the HttpOnly session cookie (30 days) and the relate_signed_in hint cookie; the session starts in the workspace the person joined last. ' +
        'A wrong email and a wrong password get the same 401. After 5 failures for an email, or from a network, within 15 minutes, ' +
        'attempts are refused with 429, Retry-After and details.retryAfter (seconds), even with the right password.',
      request: jsonBody(signInBody),
      responses: { 200: created, ...errorResponses },
    }),
    async (c) => {
      const { db, now, clientAddress } = c.get('deps');
      const result = await signIn({ db, now: now() }, { ...c.req.valid('json'), clientAddress: clientAddress(c) });
      setSessionCookie(c, result.token);
      return c.json({ userId: result.userId, workspaceId: result.workspaceId }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-out',
      tags: ['auth'],
      summary: 'Sign out',
      description: 'Ends this session only (other devices stay signed in) and clears both cookies.',
      middleware: [requiresUser] as const,
      responses: { 204: { description: 'Signed out' }, ...errorResponses },
    }),
    async (c) => {
      await signOut(c.get('deps').db, c.get('authCache'), c.get('user').sessionId);
      clearSessionCookies(c);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/session',
      tags: ['auth'],
      summary: 'Who is signed in, where',
      description:
        'The person, the workspace this session acts in with their role, every workspace they belong to, and the CSRF token ' +
        'that state-changing requests of this session must send as x-csrf-token. A 401 also clears the hint cookie, so the web app stops asking.',
      middleware: [forgetSessionWhenRefused, requiresUser] as const,
      responses: { 200: json(sessionSchema, 'Who is signed in, where'), ...errorResponses },
    }),
    async (c) => {
      const { userId, workspaceId } = c.get('user');
      const info = await sessionInfo(c.get('deps').db, userId, workspaceId);
      return c.json({ ...info, csrfToken: c.get('auth')!.session!.csrfToken }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/switch-workspace',
      tags: ['auth'],
      summary: 'Act in another of your workspaces',
      description: 'Moves this session to a workspace the person is a member of; any other id answers 404, as if no such workspace existed.',
      middleware: [requiresUser] as const,
      request: jsonBody(z.object({ workspaceId: z.string().max(64) }).strict()),
      responses: { 204: { description: 'The session now acts in that workspace' }, ...errorResponses },
    }),
    async (c) => {
      const { userId, sessionId } = c.get('user');
      await switchWorkspace(c.get('deps').db, c.get('authCache'), sessionId, userId, c.req.valid('json').workspaceId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/account',
      tags: ['auth'],
      summary: 'Change your name',
      description: 'The name the signed-in person goes by, in every workspace they belong to (members lists, the timeline). Browser sessions only.',
      middleware: [requiresUser] as const,
      request: jsonBody(renameBody),
      responses: { 200: json(accountSchema, 'The account as it is now'), ...errorResponses },
    }),
    async (c) => c.json(await renameAccount(c.get('deps').db, c.get('user').userId, c.req.valid('json').name), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/password',
      tags: ['auth'],
      summary: 'Change your password',
      description:
        'Needs the current password (403 wrong_password otherwise; failures are throttled like sign-ins, 429 with Retry-After). ' +
        'The new one follows the password rule of sign-up (422 weak_password). ' +
        'Every other session of the person, in every workspace, is signed out; this one stays signed in.',
      middleware: [requiresUser] as const,
      request: jsonBody(passwordChangeBody),
      responses: {
        200: json(z.object({ signedOutSessions: z.number().int().openapi({ description: 'How many other sessions were signed out' }) }), 'Changed'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { db, now, clientAddress, commonPasswords } = c.get('deps');
      const { userId, sessionId } = c.get('user');
      const { signedOut } = await changePassword({ db, now: now(), commonPasswords }, c.get('authCache'), {
        ...c.req.valid('json'),
        userId,
        sessionId,
        clientAddress: clientAddress(c),
      });
      return c.json({ signedOutSessions: signedOut }, 200);
    },
  );
