import { and, desc, eq, exists, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { memberships, sessions, users, workspaces } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { CommonPasswords } from '../../domain/password-rule';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../domain/passwords';
import { throttleKeys } from '../../domain/throttle';
import { sha256 } from '../../domain/tokens';
import { AppError, conflict, forbidden } from '../errors';
import { assertInvitee, invitationGone, openInvitationQuery, signUpThroughInvitation } from './invitations';
import type { AuthCache } from './cache';
import { sessionRow } from './sessions';
import { refuseWeakPassword } from './password-policy';
import { countAttempt, forgiveAttempt, refuseOverLimit } from './throttle';

type Ctx = { db: Db; now: number };
type SignUpCtx = Ctx & { commonPasswords: () => Promise<CommonPasswords> };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

// Signing up either starts a new workspace (as its owner) or, with an
// invitation token, joins the inviting workspace in the invited role. Two
// statements: the attempt counted together with every check, then the
// writes; a password is hashed only for a sign-up that passed them all,
// the password rule included (functions/domain/password-rule.ts).
export async function signUp(
  { db, now, commonPasswords }: SignUpCtx,
  input: { email: string; password: string; name: string; workspaceName?: string; invitationToken?: string; clientAddress: string },
): Promise<{ token: string; userId: string; workspaceId: string }> {
  const email = normalizeEmail(input.email);
  const keys = throttleKeys('sign-up', email, input.clientAddress);
  const checks = [countAttempt(db, keys, now), db.select({ id: users.id }).from(users).where(eq(users.email, email))] as const;
  const [counts, existing, found] = input.invitationToken
    ? await db.batch([...checks, openInvitationQuery(db, await sha256(input.invitationToken), now)])
    : [...(await db.batch(checks)), undefined];
  refuseOverLimit('sign-up', keys, counts, now);
  const invitation = found ? found[0]?.invitation : null;
  if (invitation === undefined) throw invitationGone();
  if (invitation) assertInvitee(invitation, email);
  if (existing.length) throw conflict('An account with this email already exists');
  await refuseWeakPassword(commonPasswords, input.password, [input.name, email, input.workspaceName, found?.[0]?.workspaceName]);

  const userId = newId('user', now);
  const workspaceId = invitation?.workspaceId ?? newId('workspace', now);
  const user = { id: userId, email, name: input.name.trim(), passwordHash: await hashPassword(input.password), createdAt: now };
  const { token, row } = await sessionRow(userId, workspaceId, now);
  // One batch: a sign-up creates the user, the membership and the session,
  // or nothing.
  if (invitation) {
    await signUpThroughInvitation(db, invitation, user, row, now);
  } else {
    await db.batch([
      db.insert(users).values(user),
      db.insert(workspaces).values({ id: workspaceId, name: (input.workspaceName ?? '').trim(), createdAt: now }),
      db.insert(memberships).values({ workspaceId, userId, role: 'owner', createdAt: now }),
      db.insert(sessions).values(row),
    ]);
  }
  return { token, userId, workspaceId };
}

// Throttled per email and per client network, so neither guessing one
// account's password nor spraying many accounts from one place gets far.
// Two statements: the attempt counted together with the account lookup,
// then, after the password checks out, the session.
export async function signIn(
  { db, now }: Ctx,
  input: { email: string; password: string; clientAddress: string },
): Promise<{ token: string; userId: string; workspaceId: string }> {
  const email = normalizeEmail(input.email);
  const keys = throttleKeys('sign-in', email, input.clientAddress);
  // The account and the workspace it joined last, where the session starts.
  const account = db
    .select({ id: users.id, passwordHash: users.passwordHash, workspaceId: memberships.workspaceId })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .orderBy(desc(memberships.createdAt))
    .limit(1);
  const [counts, [user]] = await db.batch([countAttempt(db, keys, now), account]);
  refuseOverLimit('sign-in', keys, counts, now);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  // A failed attempt stays counted.
  if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
  if (!user.workspaceId) {
    await db.batch(forgiveAttempt(db, keys));
    throw forbidden('This account is not a member of any workspace');
  }
  const { token, row } = await sessionRow(user.id, user.workspaceId, now);
  await db.batch([...forgiveAttempt(db, keys), db.insert(sessions).values(row)]);
  return { token, userId: user.id, workspaceId: user.workspaceId };
}

// One statement: the session moves only if the person is a member there.
export async function switchWorkspace(db: Db, cache: AuthCache, sessionId: string, userId: string, workspaceId: string) {
  const moved = await db
    .update(sessions)
    .set({ workspaceId })
    .where(
      and(
        eq(sessions.id, sessionId),
        exists(
          db
            .select({ one: sql`1` })
            .from(memberships)
            .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId))),
        ),
      ),
    )
    .returning({ id: sessions.id });
  // Not a member looks the same as no such workspace.
  if (moved.length === 0) throw new AppError(404, 'not_found', 'Workspace not found');
  cache.forget({ sessionId });
}

// One statement: the person and every workspace they belong to, with their
// role in each.
export async function sessionInfo(db: Db, userId: string, workspaceId: string) {
  const rows = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name },
      workspace: { id: workspaces.id, name: workspaces.name, role: memberships.role },
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(workspaces.name);
  const list = rows.map((r) => r.workspace);
  const current = list.find((w) => w.id === workspaceId);
  if (!current) throw new AppError(401, 'unauthorized', 'Session is no longer valid');
  return { user: rows[0]!.user, workspace: current, workspaces: list };
}
