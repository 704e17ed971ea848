import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { apiKeys, memberships, sessions } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { Principal } from '../../domain/permissions';
import { randomToken, sha256 } from '../../domain/tokens';
import type { AuthCache } from './cache';

export const SESSION_TTL_MS = 30 * 86_400_000;

export type AuthState = {
  principal: Principal;
  workspaceId: string;
  // Set for browser sessions: the id to revoke and the token that
  // state-changing requests must echo (CSRF).
  session?: { id: string; csrfToken: string };
};

export async function sessionRow(userId: string, workspaceId: string, now: number) {
  const token = randomToken();
  const row = {
    id: newId('session', now),
    tokenHash: await sha256(token),
    userId,
    workspaceId,
    csrfToken: randomToken(24),
    expiresAt: now + SESSION_TTL_MS,
    createdAt: now,
  };
  return { token, row };
}

// A session is valid while unexpired and while its user is still a member of
// the workspace it points at. The role comes with it, so a demotion takes
// effect within the auth cache's bound (at once in this instance).
export async function resolveSession(db: Db, cache: AuthCache, token: string, now: number): Promise<AuthState | null> {
  const cached = cache.lookup('session', token, now);
  if (cached.hit) return cached.hit;
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      workspaceId: sessions.workspaceId,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(and(eq(sessions.tokenHash, await sha256(token)), gt(sessions.expiresAt, now)));
  if (!row) return null;
  return cached.remember(
    {
      principal: { kind: 'user', userId: row.userId, role: row.role },
      workspaceId: row.workspaceId,
      session: { id: row.id, csrfToken: row.csrfToken },
    },
    row.expiresAt,
  );
}

// Last-used is advisory: stamped at most once a minute, by an UPDATE that
// changes nothing otherwise, in the lookup's own batch (one round trip).
const LAST_USED_RESOLUTION_MS = 60_000;

export async function resolveApiKey(db: Db, cache: AuthCache, key: string, now: number): Promise<AuthState | null> {
  const cached = cache.lookup('apiKey', key, now);
  if (cached.hit) return cached.hit;
  const live = and(eq(apiKeys.keyHash, await sha256(key)), isNull(apiKeys.revokedAt));
  // The write goes first: a batch that reads before it writes could be
  // refused its write lock if another connection wrote in between.
  const [, [row]] = await db.batch([
    db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(live, or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS)))),
    db.select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, scope: apiKeys.scope }).from(apiKeys).where(live),
  ]);
  if (!row) return null;
  return cached.remember({ principal: { kind: 'apiKey', keyId: row.id, scope: row.scope }, workspaceId: row.workspaceId });
}

export async function signOut(db: Db, cache: AuthCache, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
  cache.forget({ sessionId });
}
