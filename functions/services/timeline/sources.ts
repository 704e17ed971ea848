import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { activities, auditLog, companies, contacts, contactTouches, orderLines, orders, users, webhookSources } from '../../../db/schema';
import type { TimelineKind } from '../../schemas/timeline';
import { activityJson } from '../activities/view';
import type { Scoper } from '../workspace-data';

// The sources of a record's timeline, one registry: each kind of entry is a
// query over its own table, and the timeline is their UNION ALL, paged by
// (at, id) in one statement (functions/services/timeline/index.ts). A later
// capability (orders, emails, tickets) adds its kind by adding a source
// here, its payload schema to functions/schemas/timeline.ts and a renderer
// to web/src/lib/timeline/.

export type SubjectType = 'contact' | 'company';

// What a source is asked for: whose timeline, and from where (the cursor
// as a condition on the source's own (at, id) columns, so each source walks
// its index from the cursor rather than the union being sorted whole).
export type SourceQuery = {
  scope: Scoper;
  on: SubjectType;
  subjectId: SQL;
  before: (at: SQL, id: SQL) => SQL | undefined;
};

// Every row a source yields has these columns, in this order:
// kind, at (epoch ms), id, actor (an id or null), target_type, target_id,
// target_name, payload (JSON text).
export type Source = {
  kind: TimelineKind;
  selects: (q: SourceQuery) => SQL[];
  // The payload as the answer carries it, finished over one page only
  // (`payload` is the row's JSON text, `scope` the workspace's).
  finish?: (payload: SQL, scope: Scoper) => SQL;
};

const personName = sql`coalesce(nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), ''), json_extract(${contacts.emails}, '$[0].address'), 'Unnamed contact')`;

function row(kind: TimelineKind, at: SQL, id: SQL, actor: SQL, targetType: SubjectType | SQL, targetId: SQL, targetName: SQL, payload: SQL) {
  return sql`select ${kind} as kind, ${at} as at, ${id} as id, ${actor} as actor, ${targetType} as target_type, ${targetId} as target_id, ${targetName} as target_name, ${payload} as payload`;
}

// The subject's own name, for entries about the record itself.
function subjectName(q: SourceQuery): SQL {
  return q.on === 'contact'
    ? sql`(select ${personName} from ${contacts} where ${q.scope(contacts, eq(contacts.id, q.subjectId))})`
    : sql`(select ${companies.name} from ${companies} where ${q.scope(companies, eq(companies.id, q.subjectId))})`;
}

// Notes, calls, meetings…: the subject's own, and on a company's timeline
// those of its people (the contacts linked to it now, outside the trash).
const activitySource: Source = {
  kind: 'activity',
  selects(q) {
    const at = sql`${activities.occurredAt}`;
    const id = sql`${activities.id}`;
    const own = row(
      'activity',
      at,
      id,
      sql`${activities.authorId}`,
      q.on,
      q.subjectId,
      subjectName(q),
      activityJson,
    );
    const subjectColumn = q.on === 'contact' ? activities.contactId : activities.companyId;
    const selects = [
      sql`${own} from ${activities} left join ${users} on ${eq(users.id, activities.authorId)} where ${q.scope(
        activities,
        and(eq(subjectColumn, q.subjectId), q.before(at, id)),
      )}`,
    ];
    if (q.on === 'company') {
      const people = row('activity', at, id, sql`${activities.authorId}`, 'contact', sql`${contacts.id}`, personName, activityJson);
      selects.push(
        sql`${people} from ${contacts} join ${activities} on ${and(
          eq(activities.workspaceId, contacts.workspaceId),
          eq(activities.contactId, contacts.id),
          q.before(at, id),
        )} left join ${users} on ${eq(users.id, activities.authorId)} where ${q.scope(
          contacts,
          and(eq(contacts.companyId, q.subjectId), isNull(contacts.deletedAt)),
        )}`,
      );
    }
    return selects;
  },
};

// The audit trail of the record itself: created, edited (rows in the format
// of functions/services/records.ts fieldChanges; older ones hold only the
// fields), trashed and restored. An edit that set nothing is left out.
const changeSource: Source = {
  kind: 'change',
  selects(q) {
    const at = sql`${auditLog.at}`;
    const id = sql`${auditLog.id}`;
    const part = (path: string, empty: string) => sql`json(coalesce(json_extract(${auditLog.changes}, ${path}), ${empty}))`;
    const payload = sql`json_object('action', ${auditLog.action}, 'fields', ${part('$.fields', '[]')}, 'from', ${part('$.from', '{}')}, 'to', ${part('$.to', '{}')}, 'bulkId', json_extract(${auditLog.changes}, '$.bulkId'))`;
    return [
      sql`${row('change', at, id, sql`${auditLog.actorId}`, q.on, q.subjectId, subjectName(q), payload)} from ${auditLog} where ${q.scope(
        auditLog,
        and(
          eq(auditLog.entityType, q.on),
          eq(auditLog.entityId, q.subjectId),
          sql`${auditLog.action} in ('create', 'update', 'delete', 'restore')`,
          sql`(${auditLog.action} <> 'update' or json_array_length(${auditLog.changes}, '$.fields') > 0)`,
          q.before(at, id),
        ),
      )}`,
    ];
  },
  // Owners and companies are named as they are called now: the values
  // hold their ids. Members are people, not workspace rows; an owner in an
  // audit row was a member when it was written.
  finish(payload, scope) {
    const ids = (field: string) =>
      sql`json_extract(${payload}, '$.from.${sql.raw(field)}'), json_extract(${payload}, '$.to.${sql.raw(field)}')`;
    const names = sql`(select json_group_object(id, name) from (
      select ${users.id} as id, ${users.name} as name from ${users} where ${users.id} in (${ids('ownerId')})
      union all
      select ${companies.id}, ${companies.name} from ${companies} where ${scope(companies, sql`${companies.id} in (${ids('companyId')})`)}
    ))`;
    return sql`json_set(${payload}, '$.names', json(${names}))`;
  },
};

// Purchases: the subject's orders outside the trash, and on a company's
// timeline its people's. The payload says what was bought (the first few
// lines by name, and how many there are) for how much.
const orderPayload = sql`json_object('orderId', ${orders.id}, 'externalId', ${orders.externalId}, 'status', ${orders.status},
  'currency', ${orders.currency}, 'total', ${orders.total}, 'refunded', ${orders.refunded},
  'lines', (select count(*) from ${orderLines} where ${and(eq(orderLines.workspaceId, orders.workspaceId), eq(orderLines.orderId, orders.id))}),
  'items', (select json_group_array(name) from (select ${orderLines.name} as name from ${orderLines} where ${and(
    eq(orderLines.workspaceId, orders.workspaceId),
    eq(orderLines.orderId, orders.id),
  )} order by ${orderLines.position} limit 3)))`;

const orderSource: Source = {
  kind: 'order',
  selects(q) {
    const at = sql`${orders.orderedAt}`;
    const id = sql`${orders.id}`;
    if (q.on === 'contact') {
      return [
        sql`${row('order', at, id, sql`null`, 'contact', q.subjectId, subjectName(q), orderPayload)} from ${orders} where ${q.scope(
          orders,
          and(eq(orders.contactId, q.subjectId), isNull(orders.deletedAt), q.before(at, id)),
        )}`,
      ];
    }
    return [
      sql`${row('order', at, id, sql`null`, 'contact', sql`${contacts.id}`, personName, orderPayload)} from ${contacts} join ${orders} on ${and(
        eq(orders.workspaceId, contacts.workspaceId),
        eq(orders.contactId, contacts.id),
        isNull(orders.deletedAt),
        q.before(at, id),
      )} where ${q.scope(contacts, and(eq(contacts.companyId, q.subjectId), isNull(contacts.deletedAt)))}`,
    ];
  },
};

// Touches: how the subject (or, on a company's timeline, its people) came
// in, as a form tool's webhook said (services/webhooks/forms.ts).
const touchPayload = sql`json_object('channel', ${contactTouches.channel}, 'sourceId', ${contactTouches.sourceId},
  'sourceName', (select ${webhookSources.name} from ${webhookSources} where ${and(eq(webhookSources.workspaceId, contactTouches.workspaceId), eq(webhookSources.id, contactTouches.sourceId))}),
  'utm', json_object('source', ${contactTouches.utm} ->> '$.source', 'medium', ${contactTouches.utm} ->> '$.medium', 'campaign', ${contactTouches.utm} ->> '$.campaign',
    'term', ${contactTouches.utm} ->> '$.term', 'content', ${contactTouches.utm} ->> '$.content'),
  'landingPage', ${contactTouches.landingPage}, 'referrer', ${contactTouches.referrer},
  'message', ${contactTouches.detail} ->> '$.message', 'company', ${contactTouches.detail} ->> '$.company')`;

const touchSource: Source = {
  kind: 'touch',
  selects(q) {
    const at = sql`${contactTouches.at}`;
    const id = sql`${contactTouches.id}`;
    if (q.on === 'contact') {
      return [
        sql`${row('touch', at, id, sql`null`, 'contact', q.subjectId, subjectName(q), touchPayload)} from ${contactTouches} where ${q.scope(
          contactTouches,
          and(eq(contactTouches.contactId, q.subjectId), q.before(at, id)),
        )}`,
      ];
    }
    return [
      sql`${row('touch', at, id, sql`null`, 'contact', sql`${contacts.id}`, personName, touchPayload)} from ${contacts} join ${contactTouches} on ${and(
        eq(contactTouches.workspaceId, contacts.workspaceId),
        eq(contactTouches.contactId, contacts.id),
        q.before(at, id),
      )} where ${q.scope(contacts, and(eq(contacts.companyId, q.subjectId), isNull(contacts.deletedAt)))}`,
    ];
  },
};

export const TIMELINE_SOURCES: Record<TimelineKind, Source> = {
  activity: activitySource,
  change: changeSource,
  order: orderSource,
  touch: touchSource,
};
