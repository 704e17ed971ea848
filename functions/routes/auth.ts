import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { SIGNED_IN_HINT_COOKIE } from '../domain/signed-in-hint';
import { signIn, signUp, sessionInfo, switchWorkspace } from '../services/auth/accounts';
import { SESSION_TTL_MS, signOut } from '../services/auth/sessions';
import { SESSION_COOKIE } from './authenticate';
import { router, type AppEnv } from './env';
import { requiresUser } from './guard';
import { errorResponses, json, jsonBody } from './openapi';

const email = z.string().trim().toLowerCase().email().max(254);
// NIST SP 800-63B: at least 8 characters, allow long passphrases; the cap
// keeps PBKDF2 input bounded.
const password = z.string().min(8).max(256);

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

const created = json(z.object({ userId: z.string(), workspaceId: z.string() }), 'Signed in; the session cookie is set');

export const auth = router()
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-up',
      summary: 'Create an account',
      description:
        'Creates a user and either a new workspace they own (workspaceName) or their membership of the workspace an invitation names (invitationToken), and signs them in: the session cookie is set. Attempts are throttled per address.',
      tags: ['auth'],
      request: jsonBody(signUpBody),
      responses: { 201: created, ...errorResponses },
    }),
    async (c) => {
      const { db, now, clientAddress } = c.get('deps');
      const result = await signUp({ db, now: now() }, { ...c.req.valid('json'), clientAddress: clientAddress(c) });
      setSessionCookie(c, result.token);
      return c.json({ userId: result.userId, workspaceId: result.workspaceId }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sign-in',
      summary: 'Sign in',
      description:
        'Checks the email and password and sets the session cookie, acting in the workspace the user joined last. Failed attempts are throttled per email and per address; a throttled attempt answers 429 with a Retry-After header and details.retryAfter, the seconds until the next try.',
      tags: ['auth'],
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
      summary: 'Sign out',
      description: 'Ends this session everywhere at once and clears its cookies; other sessions of the same user stay signed in.',
      tags: ['auth'],
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
      summary: 'Who is signed in',
      description:
        'The signed-in user, the workspace the session acts in with their role there, every workspace they belong to, and the CSRF token that state-changing requests from a browser send as x-csrf-token.',
      tags: ['auth'],
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
      summary: 'Act in another workspace',
      description: 'Moves this session to another workspace the user belongs to; every later request acts there, with their role there.',
      tags: ['auth'],
      middleware: [requiresUser] as const,
      request: jsonBody(z.object({ workspaceId: z.string().max(64) }).strict()),
      responses: { 204: { description: 'The session now acts in that workspace' }, ...errorResponses },
    }),
    async (c) => {
      const { userId, sessionId } = c.get('user');
      await switchWorkspace(c.get('deps').db, c.get('authCache'), sessionId, userId, c.req.valid('json').workspaceId);
      return c.body(null, 204);
    },
  );
