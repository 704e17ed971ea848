import { and, eq, isNull, sql } from 'drizzle-orm';
import { apiKeys, companies, contacts, users } from '../../../db/schema';
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind, type TimelineQuery } from '../../schemas/timeline';
import { notFound } from '../errors';
import { isoTime, pageOf, type JsonText, type Page } from '../json-views';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { TIMELINE_SOURCES, type SourceQuery, type SubjectType } from './sources';

type Shape = { on: SubjectType; kinds: TimelineKind[]; cursor: boolean };

const $ = sql.placeholder;

// One statement per shape: whether the subject exists (undeleted, in this
// workspace) and a page of the union of its sources, newest first. A
// one-row select drives the left join, so a subject with an empty timeline
// still answers with one row (of nulls) that says it exists. Actors are
// named once the page is cut: a member by name, an API key by its name.
const timelinePages = preparedReads(
  (db, scope, shape: Shape) => {
    const q: SourceQuery = {
      scope,
      on: shape.on,
      subjectId: sql`${$('subjectId')}`,
      before: (at, id) => (shape.cursor ? sql`(${at}, ${id}) < (${$('after')}, ${$('afterId')})` : undefined),
    };
    const sources = shape.kinds.map((kind) => TIMELINE_SOURCES[kind]);
    const union = sql.join(
      sources.flatMap((source) => source.selects(q)),
      sql` union all `,
    );
    const exists =
      shape.on === 'contact'
        ? sql`exists (select 1 from ${contacts} where ${scope(contacts, and(eq(contacts.id, $('subjectId')), isNull(contacts.deletedAt)))})`
        : sql`exists (select 1 from ${companies} where ${scope(companies, and(eq(companies.id, $('subjectId')), isNull(companies.deletedAt)))})`;
    const finished = sql`case t.kind ${sql.join(
      sources.map((source) => sql`when ${source.kind} then ${source.finish ? source.finish(sql`t.payload`, scope) : sql`t.payload`}`),
      sql` `,
    )} end`;
    const actor = sql`case when t.actor is null then null else json_object('id', t.actor, 'name', coalesce(${users.name}, ${apiKeys.name})) end`;
    const json = sql<JsonText<TimelineEntry>>`json_object('id', t.id, 'kind', t.kind, 'at', ${isoTime(sql`t.at`)}, 'actor', json(${actor}),
      'target', json_object('type', t.target_type, 'id', t.target_id, 'name', t.target_name), 'payload', json(${finished}))`;
    return db
      .select({ found: sql<number>`${exists}`, json, v: sql<number>`t.at`, id: sql<string>`t.id` })
      .from(
        sql`(select 1) left join (select * from (${union}) order by at desc, id desc limit ${$('limit')}) as t on 1
          left join ${users} on ${users.id} = t.actor
          left join ${apiKeys} on ${scope(apiKeys, sql`${apiKeys.id} = t.actor`)}`,
      )
      .orderBy(sql`t.at desc`, sql`t.id desc`);
  },
  (shape) => `${shape.on} ${shape.kinds.join(',')} ${shape.cursor}`,
);

export async function readTimeline(scope: Scope, query: TimelineQuery): Promise<JsonText<Page<TimelineEntry>>> {
  const on: SubjectType = query.contactId ? 'contact' : 'company';
  // In the registry's order, so one set of kinds is one prepared statement.
  const kinds = TIMELINE_KINDS.filter((kind) => !query.kinds || query.kinds.includes(kind));
  const rows = await scope.ws.read(timelinePages, { on, kinds, cursor: !!query.cursor }, {
    subjectId: query.contactId ?? query.companyId,
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    limit: query.limit + 1,
  });
  if (!rows[0]?.found) throw notFound(on === 'contact' ? 'Contact' : 'Company');
  return pageOf(
    rows.filter((r): r is typeof r & { json: JsonText<TimelineEntry>; v: number; id: string } => r.id !== null),
    query.limit,
  );
}
