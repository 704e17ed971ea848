import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { auditLog, invitations, memberships, sessions, users, workspaces } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { sha256 } from '../../domain/tokens';
import { AppError } from '../errors';

// Invitations are found by their token alone: the link is the credential,
// so an unknown, used, revoked or expired token all answer the same 404.
export async function findOpenInvitation(db: Db, token: string, now: number) {
  const [row] = await db
    .select({ invitation: invitations, workspaceName: workspaces.name })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(
      and(
        eq(invitations.tokenHash, await sha256(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
  if (!row) throw new AppError(404, 'not_found', 'This invitation is not valid any more');
  return row;
}

// An invitation made out to an address is for that person only; one
// without an address is for whoever holds the link.
export function assertInvitee(invitation: typeof invitations.$inferSelect, email: string) {
  if (invitation.email && invitation.email !== email.trim().toLowerCase()) {
    throw new AppError(403, 'wrong_invitee', `This invitation is for ${invitation.email}`);
  }
}

// The statements that make a user a member through an invitation; callers
// run them in one batch with whatever else must happen atomically.
export function acceptStatements(db: Db, invitation: typeof invitations.$inferSelect, userId: string, now: number) {
  return [
    db
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: userId })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt))),
    db
      .insert(memberships)
      .values({ workspaceId: invitation.workspaceId, userId, role: invitation.role, createdAt: now })
      .onConflictDoNothing(),
    db.insert(auditLog).values({
      id: newId('audit', now),
      workspaceId: invitation.workspaceId,
      actorId: userId,
      action: 'join',
      entityType: 'member',
      entityId: userId,
      changes: { role: invitation.role, invitationId: invitation.id },
      at: now,
    }),
  ] as const;
}

export async function acceptInvitation(db: Db, token: string, userId: string, sessionId: string, now: number) {
  const { invitation } = await findOpenInvitation(db, token, now);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  assertInvitee(invitation, user?.email ?? '');
  await db.batch([
    ...acceptStatements(db, invitation, userId, now),
    db.update(sessions).set({ workspaceId: invitation.workspaceId }).where(eq(sessions.id, sessionId)),
  ]);
  return { workspaceId: invitation.workspaceId };
}
