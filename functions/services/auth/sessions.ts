import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { apiKeys, memberships, sessions, users } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { Principal } from '../../domain/permissions';
import { randomToken, sha256 } from '../../domain/tokens';

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
// the workspace it points at; the role is read fresh on every request so a
// demotion takes effect at once.
export async function resolveSession(db: Db, token: string, now: number): Promise<AuthState | null> {
  const tokenHash = await sha256(token);
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      workspaceId: sessions.workspaceId,
      csrfToken: sessions.csrfToken,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, sessions.userId), eq(memberships.workspaceId, sessions.workspaceId)),
    )
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
  if (!row) return null;
  return {
    principal: { kind: 'user', userId: row.userId, role: row.role },
    workspaceId: row.workspaceId,
    session: { id: row.id, csrfToken: row.csrfToken },
  };
}

export async function resolveApiKey(db: Db, key: string, now: number): Promise<AuthState | null> {
  const keyHash = await sha256(key);
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  if (!row || row.revokedAt !== null) return null;
  // Last-used is advisory; a minute's resolution spares a write per request.
  if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return { principal: { kind: 'apiKey', keyId: row.id, scope: row.scope }, workspaceId: row.workspaceId };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  return user;
}
