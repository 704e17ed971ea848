import { eq, sql } from 'drizzle-orm';
import { apiKeys, contacts, invitations, memberships } from '../../../db/schema';
import { checklistFor } from '../../domain/onboarding';
import { notFound } from '../errors';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';

// One statement: the caller's membership row, with three EXISTS probes that
// each stop at the first row an index finds.
const facts = preparedReads((db, scope) =>
  db
    .select({
      dismissedAt: memberships.checklistDismissedAt,
      hasPeople: sql<number>`exists (select 1 from ${contacts} where ${scope(contacts)})`,
      hasColleague: sql<number>`(exists (select 1 from ${invitations} where ${scope(invitations)}) or exists (select 1 from ${memberships} m2 where m2.workspace_id = ${memberships.workspaceId} and m2.user_id <> ${memberships.userId}))`,
      hasApiKey: sql<number>`exists (select 1 from ${apiKeys} where ${scope(apiKeys)})`,
    })
    .from(memberships)
    .where(scope(memberships, eq(memberships.userId, sql.placeholder('userId')))),
);

export async function getChecklist(scope: Scope, userId: string) {
  const [row] = await scope.ws.read(facts, undefined, { userId });
  if (!row) throw notFound('Membership');
  return checklistFor(
    scope.actor.principal,
    { hasPeople: !!row.hasPeople, hasColleague: !!row.hasColleague, hasApiKey: !!row.hasApiKey },
    row.dismissedAt !== null,
  );
}

// Per member: a colleague who joins later still gets their own list.
export async function dismissChecklist(scope: Scope, userId: string) {
  const dismissed = await scope.ws
    .update(memberships, { checklistDismissedAt: sql`coalesce(${memberships.checklistDismissedAt}, ${scope.now})` }, eq(memberships.userId, userId))
    .returning({ userId: memberships.userId });
  if (dismissed.length === 0) throw notFound('Membership');
}
