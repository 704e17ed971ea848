import { createMiddleware } from 'hono/factory';
import { can, type Permission } from '../domain/permissions';
import { forbidden, unauthorized } from '../services/errors';
import { requestScope, type Scope } from '../services/scope';
import type { AppEnv } from './env';

// Route middleware: the one place a request's permission is checked against
// the matrix in functions/domain/permissions.ts. It also builds the
// workspace-scoped data layer, so a handler only ever sees its own tenant.
export const requires = (permission: Permission) =>
  createMiddleware<AppEnv & { Variables: { scope: Scope } }>(async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw unauthorized();
    if (!can(auth.principal, permission)) throw forbidden();
    const { db, now, queues } = c.get('deps');
    c.set('scope', requestScope(db, auth.workspaceId, auth.principal, now(), queues));
    await next();
  });

// Signed in as a person (not an API key), whatever the role.
export const requiresUser = createMiddleware<AppEnv & { Variables: { user: { userId: string; sessionId: string; workspaceId: string } } }>(
  async (c, next) => {
    const auth = c.get('auth');
    if (!auth || auth.principal.kind !== 'user' || !auth.session) throw unauthorized('Sign in first');
    c.set('user', { userId: auth.principal.userId, sessionId: auth.session.id, workspaceId: auth.workspaceId });
    await next();
  },
);
