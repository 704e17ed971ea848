import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { activities, companies, contacts, users } from '../../../db/schema';
import { encodeCursor } from '../../domain/cursor';
import { newId } from '../../domain/ids';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import type { ActivityInput, ActivityListQuery, ActivityView } from '../../schemas/activities';
import { notFound } from '../errors';
import { auditEntry } from '../records';

type Subject = { contactId?: string; companyId?: string };

// The record an activity hangs on must exist, undeleted, in this workspace;
// otherwise it is a 404 exactly as if the id were unknown.
async function checkSubject(scope: Scope, subject: Subject) {
  const found = subject.contactId
    ? await scope.ws.select(contacts, and(eq(contacts.id, subject.contactId), isNull(contacts.deletedAt)))
    : await scope.ws.select(companies, and(eq(companies.id, subject.companyId!), isNull(companies.deletedAt)));
  if (found.length === 0) throw notFound(subject.contactId ? 'Contact' : 'Company');
}

async function authorNames(scope: Scope, ids: string[]) {
  // Users are not workspace rows; only ids already on this workspace's
  // activities are looked up.
  if (ids.length === 0) return new Map<string, string>();
  const rows = await scope.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

function toView(row: typeof activities.$inferSelect, names: Map<string, string>): ActivityView {
  const { workspaceId: _ws, ...rest } = row;
  return {
    ...rest,
    authorName: row.authorId ? (names.get(row.authorId) ?? null) : null,
    occurredAt: isoTime(row.occurredAt)!,
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
  };
}

export async function listActivities(scope: Scope, query: ActivityListQuery) {
  await checkSubject(scope, query);
  const { cursor } = query;
  const rows = await scope.ws
    .select(
      activities,
      and(
        query.contactId ? eq(activities.contactId, query.contactId) : eq(activities.companyId, query.companyId!),
        cursor ? sql`(${activities.occurredAt}, ${activities.id}) < (${cursor.v}, ${cursor.id})` : undefined,
      ),
    )
    .orderBy(desc(activities.occurredAt), desc(activities.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const names = await authorNames(scope, [...new Set(page.map((r) => r.authorId).filter((a): a is string => !!a))]);
  const last = page[page.length - 1];
  return {
    data: page.map((r) => toView(r, names)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.occurredAt, id: last.id }) : null,
  };
}

export async function createActivity(scope: Scope, input: ActivityInput) {
  await checkSubject(scope, input);
  const row = {
    id: newId('activity', scope.now),
    type: input.type ?? 'note',
    subject: input.subject ?? null,
    body: input.body,
    contactId: input.contactId ?? null,
    companyId: input.companyId ?? null,
    authorId: scope.actor.userId,
    occurredAt: input.occurredAt ? Date.parse(input.occurredAt) : scope.now,
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  await scope.ws.batch([scope.ws.insert(activities, row), auditEntry(scope, 'create', 'activity', row.id)]);
  const names = await authorNames(scope, row.authorId ? [row.authorId] : []);
  return toView({ ...row, workspaceId: scope.ws.workspaceId }, names);
}
