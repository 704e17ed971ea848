import { and, eq, exists, gt, isNull, notExists, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../../db/client';
import { auditLog, invitations, memberships, sessions, users, workspaces } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { Role } from '../../domain/permissions';
import { sha256 } from '../../domain/tokens';
import { insertWhere } from '../conditional-writes';
import { AppError } from '../errors';
import type { AuthCache } from './cache';

export type Invitation = typeof invitations.$inferSelect;

const isOpen = (now: number) => and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));

// Invitations are found by their token alone: the link is the credential,
// so an unknown, used, revoked or expired token all answer the same 404.
export const invitationGone = () => new AppError(404, 'not_found', 'This invitation is not valid any more');

export function openInvitationQuery(db: Db, tokenHash: string, now: number) {
  return db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.tokenHash, tokenHash), isOpen(now)));
}

export async function findOpenInvitation(db: Db, token: string, now: number) {
  const [row] = await openInvitationQuery(db, await sha256(token), now);
  if (!row) throw invitationGone();
  return row;
}

// An invitation made out to an address is for that person only; one
// without an address is for whoever holds the link.
export function assertInvitee(invitation: Invitation, email: string) {
  if (invitation.email && invitation.email !== email.trim().toLowerCase()) {
    throw new AppError(403, 'wrong_invitee', `This invitation is for ${invitation.email}`);
  }
}

// Accepting would change nothing the person has and waste the link, which
// is left for someone else.
const alreadyMember = (role: Role) =>
  new AppError(409, 'already_member', `You are already a member of this workspace, with the role ${role}; the invitation is left unused`, {
    role,
  });

// Joining through an invitation is one batch led by the claim: an UPDATE
// that takes the invitation only while it is open and the person is not yet
// a member of its workspace. Every other write of the join is gated on that
// claim (INSERT … SELECT … WHERE), so of concurrent attempts on one link
// exactly one is seated and the others write nothing. A claim is told apart
// from an earlier one by the claimant not being a member yet, which is why
// the membership is the batch's last write; `alsoGated` adds the caller's
// own writes (the new user, the session) under the same condition. The
// claim's RETURNING row says whether this attempt won.
function joinBatch(
  db: Db,
  invitation: Invitation,
  userId: string,
  now: number,
  alsoGated: (claimed: SQL) => BatchItem<'sqlite'>[],
) {
  const notYetMember = notExists(
    db
      .select({ one: sql`1` })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, invitation.workspaceId), eq(memberships.userId, userId))),
  );
  const claim = db
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invitations.id, invitation.id), isOpen(now), notYetMember))
    .returning({ id: invitations.id });
  const claimed = and(
    exists(
      db
        .select({ one: sql`1` })
        .from(invitations)
        .where(and(eq(invitations.id, invitation.id), eq(invitations.acceptedBy, userId))),
    ),
    notYetMember,
  )!;
  const joined = insertWhere(
    db,
    auditLog,
    {
      id: newId('audit', now),
      workspaceId: invitation.workspaceId,
      actorId: userId,
      action: 'join',
      entityType: 'member',
      entityId: userId,
      changes: { role: invitation.role, invitationId: invitation.id },
      at: now,
    },
    claimed,
  );
  const membership = insertWhere(db, memberships, { workspaceId: invitation.workspaceId, userId, role: invitation.role, createdAt: now }, claimed);
  return [claim, ...alsoGated(claimed), joined, membership] as const;
}

// A sign-up through an invitation: the new user, their session and their
// membership, or nothing when another attempt took the invitation first.
export async function signUpThroughInvitation(
  db: Db,
  invitation: Invitation,
  user: typeof users.$inferInsert,
  session: typeof sessions.$inferInsert,
  now: number,
) {
  const [claim] = await db.batch(
    joinBatch(db, invitation, user.id, now, (claimed) => [
      insertWhere(db, users, user, claimed),
      insertWhere(db, sessions, session, claimed),
    ]),
  );
  if (claim.length === 0) throw invitationGone();
}

// Two statements: what the token is for and where the person stands, then
// the join itself, which moves their session to the new workspace.
export async function acceptInvitation(db: Db, cache: AuthCache, token: string, userId: string, sessionId: string, now: number) {
  const [found] = await db
    .select({ invitation: invitations, email: users.email, role: memberships.role })
    .from(invitations)
    .innerJoin(users, eq(users.id, userId))
    .leftJoin(memberships, and(eq(memberships.workspaceId, invitations.workspaceId), eq(memberships.userId, userId)))
    .where(and(eq(invitations.tokenHash, await sha256(token)), isOpen(now)));
  if (!found) throw invitationGone();
  const { invitation } = found;
  assertInvitee(invitation, found.email);
  if (found.role) throw alreadyMember(found.role);
  const statements = joinBatch(db, invitation, userId, now, (claimed) => [
    db.update(sessions).set({ workspaceId: invitation.workspaceId }).where(and(eq(sessions.id, sessionId), claimed)),
  ]);
  // Read last, in the same batch: if the claim lost, this says whether to
  // someone else's use of the link or to this person's own other join.
  const roleNow = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, invitation.workspaceId), eq(memberships.userId, userId)));
  const results = await db.batch([...statements, roleNow]);
  if (results[0].length === 0) {
    const [membership] = results[results.length - 1] as { role: Role }[];
    throw membership ? alreadyMember(membership.role) : invitationGone();
  }
  cache.forget({ sessionId });
  return { workspaceId: invitation.workspaceId };
}
