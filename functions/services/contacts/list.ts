import { and, asc, desc, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { companies, contacts, customerScores, recordTags } from '../../../db/schema';
import { ftsQuery } from '../../domain/search';
import { contactSortOf, type ContactFilter, type ContactListQuery, type ContactSort } from '../../schemas/contact-list';
import type { ContactView } from '../../schemas/contacts';
import { pageOf, type JsonText } from '../json-views';
import { customSql, ownerSql, placeholder, planCustom, planOwner, taggedRows, tagRowsAlone, tagSql, type CustomShape, type OwnerShape } from '../lists/conditions';
import { shapeKey, type ListSource } from '../lists/source';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { contactJson, liveCompany } from './view';

// The contact list: its filter (shared with its count and bulk operations
// through contactList, the list source) and its pages.

type Shape = {
  trash: boolean;
  // Words of three or more characters go to the trigram index; shorter
  // input is a name prefix, which the (workspace, sort_name) index serves.
  search: 'words' | 'prefix' | null;
  stages: boolean;
  owner: OwnerShape;
  company: boolean;
  tags: boolean;
  severalTags: boolean;
  leadSource: boolean;
  emailConsent: boolean;
  custom: CustomShape[];
  scores: { segments: boolean; tiers: boolean; r: boolean; fm: boolean } | null;
};

function plan(scope: Scope, filter: ContactFilter, trash: boolean) {
  const values: Record<string, unknown> = {};
  const match = filter.q ? ftsQuery(filter.q) : null;
  if (match) values.match = match;
  else if (filter.q) {
    values.prefix = filter.q.toLocaleLowerCase('en');
    values.prefixEnd = `${values.prefix}\uffff`;
  }
  const set = (name: string, value: unknown) => {
    if (value === undefined) return false;
    values[name] = value;
    return true;
  };
  const shape: Shape = {
    trash,
    search: match ? 'words' : filter.q ? 'prefix' : null,
    stages: set('stages', filter.lifecycleStage?.length ? JSON.stringify(filter.lifecycleStage) : undefined),
    owner: planOwner(scope, filter.ownerId, values),
    company: set('companyId', filter.companyId),
    tags: set('tags', filter.tag?.length ? JSON.stringify(filter.tag) : undefined),
    severalTags: (filter.tag?.length ?? 0) > 1,
    leadSource: set('leadSource', filter.leadSource),
    emailConsent: set('emailConsent', filter.emailConsent),
    custom: planCustom(filter.cf, values),
    scores: null,
  };
  const scores = {
    segments: set('segments', filter.segment?.length ? JSON.stringify(filter.segment) : undefined),
    tiers: set('tiers', filter.tier?.length ? JSON.stringify(filter.tier) : undefined),
    r: set('r', filter.r),
    fm: set('fm', filter.fm),
  };
  if (Object.values(scores).some(Boolean)) shape.scores = scores;
  return { shape, values };
}

// The contact's row of the nightly scores, held to the filter's parts.
const scoresSql = (scores: NonNullable<Shape['scores']>, param: typeof placeholder): SQL =>
  sql`exists (select 1 from ${customerScores} where ${and(
    sql`${customerScores.workspaceId} = ${contacts.workspaceId}`,
    sql`${customerScores.contactId} = ${contacts.id}`,
    scores.segments ? sql`${customerScores.segment} in (select value from json_each(${param('segments')}))` : undefined,
    scores.tiers ? sql`${customerScores.tier} in (select value from json_each(${param('tiers')}))` : undefined,
    scores.r ? sql`${customerScores.r} = ${param('r')}` : undefined,
    scores.fm ? sql`(${customerScores.f} + ${customerScores.m} + 1) / 2 = ${param('fm')}` : undefined,
  )})`;

const searchSql = (shape: Shape, param: typeof placeholder): SQL | undefined =>
  shape.search === 'words'
    ? sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${param('match')})`
    : shape.search === 'prefix'
      ? sql`${contacts.sortName} >= ${param('prefix')} and ${contacts.sortName} < ${param('prefixEnd')}`
      : undefined;

export const contactList: ListSource<ContactFilter, Shape> = {
  entity: 'contact',
  label: 'contact',
  table: contacts,
  chunkKey: { column: contacts.seq, numeric: true },
  plan,
  where: (scope, shape, param) =>
    and(
      shape.trash ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
      searchSql(shape, param),
      shape.stages ? sql`${contacts.lifecycleStage} in (select value from json_each(${param('stages')}))` : undefined,
      ownerSql(contacts.ownerId, shape.owner, param),
      shape.company ? sql`${contacts.companyId} = ${param('companyId')}` : undefined,
      shape.tags ? tagSql(scope, 'contact', contacts.id, shape.trash, param, { stages: shape.stages, owner: shape.owner, severalTags: shape.severalTags }) : undefined,
      shape.leadSource ? sql`${contacts.leadSource} = ${param('leadSource')}` : undefined,
      shape.emailConsent ? sql`${contacts.emailConsent} = ${param('emailConsent')}` : undefined,
      ...customSql(contacts.customFields, shape.custom, param),
      shape.scores ? scoresSql(shape.scores, param) : undefined,
    )!,
  tagRowsAlone,
};

const SORT_COLUMNS = {
  name: contacts.sortName,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  recent: contacts.seq,
};

function sortOf(sort: ContactSort) {
  const descending = sort.startsWith('-') || sort === 'recent';
  return { column: SORT_COLUMNS[sort.replace('-', '') as keyof typeof SORT_COLUMNS], descending };
}

type PageShape = { filter: Shape; sort: ContactSort; cursor: boolean };

const contactPages = preparedReads(
  (db, scope, page: PageShape) => {
    const $ = placeholder;
    const sort = sortOf(page.sort);
    const op = sort.descending ? sql`<` : sql`>`;
    const after = page.cursor ? sql`(${sort.column}, ${contacts.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined;
    const columns = { json: contactJson, v: sql<string | number>`${sort.column}`, id: contacts.id };
    if (page.filter.search === 'words' && sort.column === contacts.seq) {
      // Matches in the full-text index's own order (newest first), joined to
      // the workspace's contacts: the walk stops at the page's end instead of
      // reading and sorting every match.
      const where = contactList.where(scope, { ...page.filter, search: null }, $);
      return db
        .select(columns)
        .from(sql`contacts_fts`)
        .innerJoin(contacts, sql`${contacts.seq} = contacts_fts.rowid`)
        .leftJoin(companies, liveCompany)
        .where(and(sql`contacts_fts match ${$('match')}`, scope(contacts, and(where, after))))
        .orderBy(sql`contacts_fts.rowid desc`)
        .limit(sql.placeholder('limit'));
    }
    const order = sort.descending ? [desc(sort.column), desc(contacts.id)] : [asc(sort.column), asc(contacts.id)];
    const narrow = tagRowsAlone(page.filter);
    if (narrow && sort.column === contacts.sortName) {
      // Tags with stages or an owner, in name order: the tag index holds
      // each tagged contact's sort name, so the page's ids come from it in
      // order and only those contacts are read.
      const afterTag = page.cursor ? sql`(${recordTags.sortName}, ${recordTags.recordId}) ${op} (${$('after')}, ${$('afterId')})` : undefined;
      const pageIds = (narrow.severalTags ? db.selectDistinct({ id: recordTags.recordId }) : db.select({ id: recordTags.recordId }))
        .from(recordTags)
        .where(and(taggedRows(scope, 'contact', page.filter.trash, $, narrow), afterTag))
        .orderBy(...(sort.descending ? [desc(recordTags.sortName), desc(recordTags.recordId)] : [asc(recordTags.sortName), asc(recordTags.recordId)]))
        .limit(sql.placeholder('limit'));
      return db
        .select(columns)
        .from(contacts)
        .leftJoin(companies, liveCompany)
        .where(scope(contacts, sql`${contacts.id} in ${pageIds}`))
        .orderBy(...order);
    }
    const where = scope(contacts, and(contactList.where(scope, page.filter, $), after));
    if (page.filter.tags) {
      // Tagged contacts are found through record_tags, so their order comes
      // from sorting the matches: pick the page's rows by their keys first
      // and build the answer for those alone, not for every match.
      const pageRows = db.select({ seq: contacts.seq }).from(contacts).where(where).orderBy(...order).limit(sql.placeholder('limit'));
      return db
        .select(columns)
        .from(contacts)
        .leftJoin(companies, liveCompany)
        .where(scope(contacts, sql`${contacts.seq} in ${pageRows}`))
        .orderBy(...order);
    }
    return db
      .select(columns)
      .from(contacts)
      .leftJoin(companies, liveCompany)
      .where(where)
      .orderBy(...order)
      .limit(sql.placeholder('limit'));
  },
  shapeKey,
);

// The list's query names the filter as the query string does; the filter
// is the same object a bulk selection or a saved view holds.
export function contactFilterOf(query: Omit<ContactListQuery, 'sort' | 'cursor' | 'limit'>): ContactFilter {
  const { deleted: _deleted, ...filter } = query;
  return filter;
}

export async function listContacts(scope: Scope, query: ContactListQuery): Promise<JsonText<{ data: ContactView[]; nextCursor: string | null }>> {
  const { shape, values } = plan(scope, contactFilterOf(query), query.deleted === 'true');
  const rows = await scope.ws.read(contactPages, { filter: shape, sort: contactSortOf(query), cursor: !!query.cursor }, {
    ...values,
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit);
}
