import { and, desc, eq, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { activities, companies, contacts, users } from '../../../db/schema';
import { newId } from '../../domain/ids';
import type { ActivityInput, ActivityListQuery, ActivityUpdate, ActivityView } from '../../schemas/activities';
import { notFound } from '../errors';
import { pageOf, type JsonText } from '../json-views';
import { definedOnly, fieldChanges, writeRecord } from '../records';
import { preparedReads, type Scoper } from '../workspace-data';
import type { Scope } from '../scope';
import { activityJson, withAuthor } from './view';

type Subject = { contactId?: string; companyId?: string };

// The record an activity hangs on must exist, undeleted, in this workspace;
// otherwise it is a 404 exactly as if the id were unknown.
function subjectExists(scope: Scoper, on: 'contact' | 'company', id: string | Placeholder | SQL): SQL {
  return on === 'contact'
    ? sql`exists (select 1 from ${contacts} where ${scope(contacts, and(eq(contacts.id, id), isNull(contacts.deletedAt)))})`
    : sql`exists (select 1 from ${companies} where ${scope(companies, and(eq(companies.id, id), isNull(companies.deletedAt)))})`;
}
const subjectOf = (subject: Subject) =>
  subject.contactId ? { on: 'contact' as const, id: subject.contactId } : { on: 'company' as const, id: subject.companyId! };
const subjectNotFound = (subject: Subject) => notFound(subject.contactId ? 'Contact' : 'Company');

// The page and whether its subject exists, in one statement: a one-row
// select drives the left joins, so a subject with no activities still
// answers with one row (of nulls) that says whether it exists.
const timelinePages = preparedReads(
  (db, scope, shape: { on: 'contact' | 'company'; cursor: boolean }) => {
    const $ = sql.placeholder;
    const onSubject = and(
      shape.on === 'contact' ? eq(activities.contactId, $('subjectId')) : eq(activities.companyId, $('subjectId')),
      shape.cursor ? sql`(${activities.occurredAt}, ${activities.id}) < (${$('after')}, ${$('afterId')})` : undefined,
    );
    return db
      .select({ found: sql<number>`${subjectExists(scope, shape.on, $('subjectId'))}`, json: activityJson, v: activities.occurredAt, id: activities.id })
      .from(sql`(select 1)`)
      .leftJoin(activities, scope(activities, onSubject))
      .leftJoin(users, eq(users.id, activities.authorId))
      .orderBy(desc(activities.occurredAt), desc(activities.id))
      .limit($('limit'));
  },
  (shape) => `${shape.on} ${shape.cursor}`,
);

export async function listActivities(scope: Scope, query: ActivityListQuery): Promise<JsonText<{ data: ActivityView[]; nextCursor: string | null }>> {
  const subject = subjectOf(query);
  const rows = await scope.ws.read(timelinePages, { on: subject.on, cursor: !!query.cursor }, {
    subjectId: subject.id,
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    limit: query.limit + 1,
  });
  if (!rows[0]?.found) throw subjectNotFound(query);
  return pageOf(
    rows.filter((r): r is typeof r & { json: JsonText<ActivityView>; v: number; id: string } => r.id !== null),
    query.limit,
  );
}

export async function createActivity(scope: Scope, input: ActivityInput): Promise<JsonText<ActivityView>> {
  const subject = subjectOf(input);
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
  const { written, answer } = await writeRecord<{ json: JsonText<ActivityView> }>(scope, {
    when: subjectExists(scope.ws.scope, subject.on, subject.id),
    audit: { action: 'create', entityType: 'activity', entityId: row.id },
    write: (receipt) => [scope.ws.insertWhere(activities, row, receipt)],
    answer: scope.db.all(
      sql`select ${activityJson} as "json" from ${withAuthor} where ${scope.ws.scope(activities, eq(activities.id, row.id))}`,
    ),
  });
  if (!written) throw subjectNotFound(input);
  return answer!.json;
}

// An activity can be changed or deleted while the record it hangs on is
// live: one in the trash is out of reach, as for adding one.
function editable(scope: Scope, id: string): SQL {
  const live = (on: 'contact' | 'company', column: SQL) => subjectExists(scope.ws.scope, on, column);
  return scope.ws.exists(
    activities,
    and(
      eq(activities.id, id),
      sql`(${live('contact', sql`${activities.contactId}`)} or ${live('company', sql`${activities.companyId}`)})`,
    ),
  );
}

const answerOf = (scope: Scope, id: string) =>
  scope.db.all(sql`select ${activityJson} as "json" from ${withAuthor} where ${scope.ws.scope(activities, eq(activities.id, id))}`);

// An edit of a note (or a call, a meeting…) is audited with the fields it
// set; the words themselves stay out of the audit log, so that deleting a
// note deletes what it said.
export async function updateActivity(scope: Scope, id: string, input: ActivityUpdate): Promise<JsonText<ActivityView>> {
  const set = {
    ...definedOnly({ type: input.type, subject: input.subject, body: input.body }),
    ...(input.occurredAt ? { occurredAt: Date.parse(input.occurredAt) } : {}),
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<ActivityView> }>(scope, {
    when: editable(scope, id),
    audit: {
      action: 'update',
      entityType: 'activity',
      entityId: id,
      changes: fieldChanges(input, { type: activities.type }, { from: sql`${activities}`, where: scope.ws.scope(activities, eq(activities.id, id)) }),
    },
    write: (receipt) => [scope.ws.update(activities, set, and(eq(activities.id, id), receipt)!)],
    answer: answerOf(scope, id),
  });
  if (!written) throw notFound('Activity');
  return answer!.json;
}

// Deleting is for good; the audit row keeps what kind of activity it was
// and the record it hung on.
export async function deleteActivity(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: editable(scope, id),
    audit: {
      action: 'delete',
      entityType: 'activity',
      entityId: id,
      changes: sql`(select json_object('type', ${activities.type}, 'contactId', ${activities.contactId}, 'companyId', ${activities.companyId}) from ${activities} where ${scope.ws.scope(activities, eq(activities.id, id))})`,
    },
    write: (receipt) => [scope.ws.delete(activities, and(eq(activities.id, id), receipt)!)],
  });
  if (!written) throw notFound('Activity');
}
