import { createMiddleware } from 'hono/factory';
import type { Db } from '../../db/client';
import { can, type Permission, type Principal } from '../domain/permissions';
import { forbidden, unauthorized } from '../services/errors';
import { workspaceData, type WorkspaceData } from '../services/workspace-data';
import type { AppEnv } from './env';

// Who is acting, for services: audit rows, owners, authors.
export type Actor = { principal: Principal; workspaceId: string; actorId: string; userId: string | null };

export type Scope = {
  db: Db;
  ws: WorkspaceData;
  actor: Actor;
  now: number;
};

// Route middleware: the one place a request's permission is checked against
// the matrix in functions/domain/permissions.ts. It also builds the
// workspace-scoped data layer, so a handler only ever sees its own tenant.
export const requires = (permission: Permission) =>
  createMiddleware<AppEnv & { Variables: { scope: Scope } }>(async (c, next) => {
    const auth = c.get('auth');
    if (!auth) throw unauthorized();
    if (!can(auth.principal, permission)) throw forbidden();
    const { db, now } = c.get('deps');
    const p = auth.principal;
    c.set('scope', {
      db,
      ws: workspaceData(db, auth.workspaceId),
      actor: {
        principal: p,
        workspaceId: auth.workspaceId,
        actorId: p.kind === 'user' ? p.userId : p.kind === 'apiKey' ? p.keyId : 'system',
        userId: p.kind === 'user' ? p.userId : null,
      },
      now: now(),
    });
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
