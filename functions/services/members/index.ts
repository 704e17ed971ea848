import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import { invitations, memberships, sessions, users } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { canAssignRole, type Role } from '../../domain/permissions';
import { randomToken, sha256 } from '../../domain/tokens';
import type { AuthCache } from '../auth/cache';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import { conflict, forbidden, notFound } from '../errors';
import { auditWhere } from '../conditional-writes';
import { auditEntry } from '../records';

export const INVITATION_TTL_MS = 7 * 86_400_000;

function actorRole(scope: Scope): Role {
  if (scope.actor.principal.kind !== 'user') throw forbidden('Only members manage members');
  return scope.actor.principal.role;
}

export async function listMembers(scope: Scope) {
  const rows = await scope.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(scope.ws.scope(memberships))
    .orderBy(users.name);
  return rows.map((r) => ({ ...r, joinedAt: isoTime(r.joinedAt)! }));
}

type Membership = typeof memberships.$inferSelect;

async function findMembership(scope: Scope, userId: string) {
  const [row] = await scope.ws.select(memberships, eq(memberships.userId, userId));
  if (!row) throw notFound('Member');
  return row;
}

const lastOwner = () => conflict('A workspace needs at least one owner');

// The membership as it was read, still: same role and, for an owner,
// another owner left, since a workspace always keeps one. A role change or
// a removal writes only under this condition, in its own batch, so two
// owners demoting or removing each other at once cannot both succeed.
function stillAsRead(scope: Scope, membership: Membership) {
  const anotherOwner = scope.ws.exists(memberships, and(eq(memberships.role, 'owner'), ne(memberships.userId, membership.userId)));
  return and(
    eq(memberships.userId, membership.userId),
    eq(memberships.role, membership.role),
    membership.role === 'owner' ? anotherOwner : undefined,
  )!;
}

// Why a gated change wrote nothing.
async function refusal(scope: Scope, membership: Membership) {
  const [current] = await scope.ws.select(memberships, eq(memberships.userId, membership.userId));
  if (!current) return notFound('Member');
  if (current.role !== membership.role) return conflict('This membership changed meanwhile; reload and try again');
  return lastOwner();
}

function assertMayManage(scope: Scope, target: Role, next?: Role) {
  const mine = actorRole(scope);
  if (!canAssignRole(mine, target) || (next && !canAssignRole(mine, next))) {
    throw forbidden(`A ${mine} cannot change a ${target}'s membership${next ? ` to ${next}` : ''}`);
  }
}

export async function changeRole(scope: Scope, cache: AuthCache, userId: string, role: Role) {
  const membership = await findMembership(scope, userId);
  if (membership.role === role) return;
  assertMayManage(scope, membership.role, role);
  const unchanged = stillAsRead(scope, membership);
  const [, changed] = await scope.db.batch([
    auditWhere(scope, scope.ws.exists(memberships, unchanged), {
      action: 'change-role',
      entityType: 'member',
      entityId: userId,
      changes: { from: membership.role, to: role },
    }),
    scope.db.update(memberships).set({ role }).where(scope.ws.scope(memberships, unchanged)).returning({ userId: memberships.userId }),
  ]);
  if (changed.length === 0) throw await refusal(scope, membership);
  cache.forget({ userId });
}

export async function removeMember(scope: Scope, cache: AuthCache, userId: string) {
  const [[membership], [elsewhere]] = await scope.db.batch([
    scope.db.select().from(memberships).where(scope.ws.scope(memberships, eq(memberships.userId, userId))),
    // Where their sessions here go: the workspace they joined last of those
    // they stay in.
    scope.db
      .select({ workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), ne(memberships.workspaceId, scope.ws.workspaceId)))
      .orderBy(desc(memberships.createdAt))
      .limit(1),
  ]);
  if (!membership) throw notFound('Member');
  if (userId !== scope.actor.userId) assertMayManage(scope, membership.role);
  const unchanged = stillAsRead(scope, membership);
  const theirSessions = scope.ws.scope(sessions, and(eq(sessions.userId, userId), scope.ws.exists(memberships, unchanged)));
  const [, , removed] = await scope.db.batch([
    // Their sessions here lose this workspace at once, not at expiry: they
    // move to another workspace the person belongs to, or end. Moving a row
    // out of this workspace is the one write the scoped layer refuses to
    // express; it is still filtered to this workspace's sessions.
    elsewhere
      ? scope.db.update(sessions).set({ workspaceId: elsewhere.workspaceId }).where(theirSessions)
      : scope.db.delete(sessions).where(theirSessions),
    auditWhere(scope, scope.ws.exists(memberships, unchanged), { action: 'remove', entityType: 'member', entityId: userId }),
    scope.db.delete(memberships).where(scope.ws.scope(memberships, unchanged)).returning({ userId: memberships.userId }),
  ]);
  if (removed.length === 0) throw await refusal(scope, membership);
  cache.forget({ userId });
}

export async function createInvitation(scope: Scope, input: { role: Role; email?: string | null }) {
  if (!canAssignRole(actorRole(scope), input.role)) throw forbidden(`You cannot invite a ${input.role}`);
  const token = randomToken();
  const row = {
    id: newId('invitation', scope.now),
    tokenHash: await sha256(token),
    role: input.role,
    email: input.email ?? null,
    invitedBy: scope.actor.actorId,
    expiresAt: scope.now + INVITATION_TTL_MS,
    createdAt: scope.now,
  };
  await scope.ws.batch([scope.ws.insert(invitations, row), auditEntry(scope, 'invite', 'invitation', row.id, { role: row.role })]);
  return { token, invitation: invitationView(row) };
}

function invitationView(row: Pick<typeof invitations.$inferSelect, 'id' | 'role' | 'email' | 'expiresAt' | 'createdAt'>) {
  return { id: row.id, role: row.role, email: row.email, expiresAt: isoTime(row.expiresAt)!, createdAt: isoTime(row.createdAt)! };
}

export async function listInvitations(scope: Scope) {
  const rows = await scope.ws.select(
    invitations,
    and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, scope.now)),
  );
  return rows.map(invitationView);
}

// Revoking follows the rank rule of inviting: nobody withdraws an invitation
// they could not have issued. The audit row and the revocation are gated on
// the invitation still being open, so of concurrent revokes one wins and
// the rest find nothing to revoke.
export async function revokeInvitation(scope: Scope, id: string) {
  const open = and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt));
  const [row] = await scope.ws.select(invitations, open);
  if (!row) throw notFound('Invitation');
  const mine = actorRole(scope);
  if (!canAssignRole(mine, row.role)) throw forbidden(`A ${mine} cannot revoke an invitation for a ${row.role}`);
  const [, revoked] = await scope.db.batch([
    auditWhere(scope, scope.ws.exists(invitations, open), { action: 'revoke', entityType: 'invitation', entityId: id }),
    scope.db
      .update(invitations)
      .set({ revokedAt: scope.now })
      .where(scope.ws.scope(invitations, open))
      .returning({ id: invitations.id }),
  ]);
  if (revoked.length === 0) throw notFound('Invitation');
}
