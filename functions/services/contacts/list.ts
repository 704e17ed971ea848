import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { companies, contacts } from '../../../db/schema';
import { ftsQuery } from '../../domain/search';
import { contactSortOf, type ContactListQuery, type ContactSort, type ContactView } from '../../schemas/contacts';
import { pageOf, type JsonText } from '../json-views';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { contactJson, liveCompany } from './view';

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

const $ = sql.placeholder;

// Each filter compares with a placeholder of its own name, bound from the
// query's parameter of that name.
const FILTERS = {
  lifecycleStage: eq(contacts.lifecycleStage, $('lifecycleStage')),
  ownerId: eq(contacts.ownerId, $('ownerId')),
  companyId: eq(contacts.companyId, $('companyId')),
  leadSource: eq(contacts.leadSource, $('leadSource')),
  emailConsent: eq(contacts.emailConsent, $('emailConsent')),
  tag: sql`exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${$('tag')})`,
};
type Filter = keyof typeof FILTERS;
const FILTER_NAMES = Object.keys(FILTERS) as Filter[];

// What a list statement looks like apart from its values: one prepared
// statement per shape.
type Shape = {
  sort: ContactSort;
  trash: boolean;
  filters: Filter[];
  cursor: boolean;
  // Words of three or more characters go to the trigram index; shorter
  // input is a name prefix, which the (workspace, sort_name) index serves.
  search: 'words' | 'prefix' | null;
};

const contactPages = preparedReads(
  (db, scope, shape: Shape) => {
    const sort = sortOf(shape.sort);
    const op = sort.descending ? sql`<` : sql`>`;
    const where = and(
      shape.trash ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
      ...shape.filters.map((name) => FILTERS[name]),
      shape.cursor ? sql`(${sort.column}, ${contacts.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined,
    );
    const columns = { json: contactJson, v: sql<string | number>`${sort.column}`, id: contacts.id };
    if (shape.search === 'words' && sort.column === contacts.seq) {
      // Matches in the full-text index's own order (newest first), joined to
      // the workspace's contacts: the walk stops at the page's end instead of
      // reading and sorting every match.
      return db
        .select(columns)
        .from(sql`contacts_fts`)
        .innerJoin(contacts, sql`${contacts.seq} = contacts_fts.rowid`)
        .leftJoin(companies, liveCompany)
        .where(and(sql`contacts_fts match ${$('match')}`, scope(contacts, where)))
        .orderBy(sql`contacts_fts.rowid desc`)
        .limit($('limit'));
    }
    const search: SQL | undefined =
      shape.search === 'words'
        ? sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${$('match')})`
        : shape.search === 'prefix'
          ? sql`${contacts.sortName} >= ${$('prefix')} and ${contacts.sortName} < ${$('prefixEnd')}`
          : undefined;
    return db
      .select(columns)
      .from(contacts)
      .leftJoin(companies, liveCompany)
      .where(scope(contacts, and(where, search)))
      .orderBy(...(sort.descending ? [desc(sort.column), desc(contacts.id)] : [asc(sort.column), asc(contacts.id)]))
      .limit($('limit'));
  },
  (shape) => JSON.stringify(shape),
);

export async function listContacts(scope: Scope, query: ContactListQuery): Promise<JsonText<{ data: ContactView[]; nextCursor: string | null }>> {
  const match = query.q ? ftsQuery(query.q) : null;
  const prefix = query.q?.toLocaleLowerCase('en');
  const filters = FILTER_NAMES.filter((name) => query[name] !== undefined);
  const shape: Shape = {
    sort: contactSortOf(query),
    trash: query.deleted === 'true',
    filters,
    cursor: !!query.cursor,
    search: match ? 'words' : query.q ? 'prefix' : null,
  };
  const rows = await scope.ws.read(contactPages, shape, {
    ...Object.fromEntries(filters.map((name) => [name, query[name]])),
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    match,
    prefix,
    prefixEnd: prefix === undefined ? undefined : `${prefix}\uffff`,
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit);
}
