import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { memberships, sessions, signInFailures, users, workspaces } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../../domain/passwords';
import { isLockedOut, recordFailure, retryAfterSeconds } from '../../domain/throttle';
import { AppError, conflict, forbidden } from '../errors';
import { assertInvitee, findOpenInvitation, signUpThroughInvitation } from './invitations';
import { createSession, findUserByEmail, sessionRow } from './sessions';

type Ctx = { db: Db; now: number };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

// Signing up either starts a new workspace (as its owner) or, with an
// invitation token, joins the inviting workspace in the invited role.
export async function signUp(
  { db, now }: Ctx,
  input: { email: string; password: string; name: string; workspaceName?: string; invitationToken?: string },
): Promise<{ token: string; userId: string; workspaceId: string }> {
  const email = normalizeEmail(input.email);
  const invitation = input.invitationToken ? (await findOpenInvitation(db, input.invitationToken, now)).invitation : null;
  if (invitation) assertInvitee(invitation, email);
  if (await findUserByEmail(db, email)) throw conflict('An account with this email already exists');
  const userId = newId('user', now);
  const workspaceId = invitation?.workspaceId ?? newId('workspace', now);
  const passwordHash = await hashPassword(input.password);
  const { token, row } = await sessionRow(userId, workspaceId, now);
  const user = { id: userId, email, name: input.name.trim(), passwordHash, createdAt: now };
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

async function failureEntry(db: Db, key: string) {
  const [row] = await db.select().from(signInFailures).where(eq(signInFailures.key, key));
  return row;
}

async function noteFailure(db: Db, key: string, now: number) {
  const next = recordFailure(await failureEntry(db, key), now);
  await db
    .insert(signInFailures)
    .values({ key, ...next })
    .onConflictDoUpdate({ target: signInFailures.key, set: next });
}

// Throttled per email and per client address, so neither guessing one
// account's password nor spraying many accounts from one place gets far.
export async function signIn(
  { db, now }: Ctx,
  input: { email: string; password: string; clientAddress: string },
): Promise<{ token: string; userId: string; workspaceId: string }> {
  const email = normalizeEmail(input.email);
  const keys = [`email:${email}`, `ip:${input.clientAddress}`];
  for (const key of keys) {
    const entry = await failureEntry(db, key);
    if (entry && isLockedOut(entry, now)) {
      const retryAfter = retryAfterSeconds(entry, now);
      throw new AppError(429, 'too_many_attempts', 'Too many failed sign-ins; try again later', { retryAfter }, {
        'Retry-After': String(retryAfter),
      });
    }
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    for (const key of keys) await noteFailure(db, key, now);
    throw new AppError(401, 'invalid_credentials', 'Email or password is wrong');
  }
  await db.delete(signInFailures).where(eq(signInFailures.key, keys[0]!));
  const [membership] = await db
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(eq(memberships.userId, user.id))
    .orderBy(desc(memberships.createdAt))
    .limit(1);
  if (!membership) throw forbidden('This account is not a member of any workspace');
  const token = await createSession(db, user.id, membership.workspaceId, now);
  return { token, userId: user.id, workspaceId: membership.workspaceId };
}

export async function switchWorkspace(db: Db, sessionId: string, userId: string, workspaceId: string) {
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)));
  // Not a member looks the same as no such workspace.
  if (!membership) throw new AppError(404, 'not_found', 'Workspace not found');
  await db.update(sessions).set({ workspaceId }).where(eq(sessions.id, sessionId));
}

export async function sessionInfo(db: Db, userId: string, workspaceId: string) {
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  const list = await db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(workspaces.name);
  const current = list.find((w) => w.id === workspaceId);
  if (!user || !current) throw new AppError(401, 'unauthorized', 'Session is no longer valid');
  return { user, workspace: current, workspaces: list };
}
