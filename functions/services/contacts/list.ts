import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { contacts } from '../../../db/schema';
import { encodeCursor, type Cursor } from '../../domain/cursor';
import { ftsQuery } from '../../domain/search';
import { contactSortOf, type ContactListQuery } from '../../schemas/contacts';
import type { Scope } from '../scope';
import { selectContactViews, toView, type ContactViewRow } from './view';

type Sort = NonNullable<ContactListQuery['sort']>;
type Row = ContactViewRow;

const SORT_KEYS = {
  name: { column: contacts.sortName, value: (r: Row) => r.sortName },
  createdAt: { column: contacts.createdAt, value: (r: Row) => r.createdAt },
  updatedAt: { column: contacts.updatedAt, value: (r: Row) => r.updatedAt },
  recent: { column: contacts.seq, value: (r: Row) => r.seq },
};

function sortOf(sort: Sort) {
  const descending = sort.startsWith('-') || sort === 'recent';
  const key = SORT_KEYS[sort.replace('-', '') as keyof typeof SORT_KEYS];
  return { ...key, descending };
}

function filtersOf(query: ContactListQuery): (SQL | undefined)[] {
  return [
    query.deleted === 'true' ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
    query.lifecycleStage ? eq(contacts.lifecycleStage, query.lifecycleStage) : undefined,
    query.ownerId ? eq(contacts.ownerId, query.ownerId) : undefined,
    query.companyId ? eq(contacts.companyId, query.companyId) : undefined,
    query.leadSource ? eq(contacts.leadSource, query.leadSource) : undefined,
    query.emailConsent ? eq(contacts.emailConsent, query.emailConsent) : undefined,
    query.tag ? sql`exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${query.tag})` : undefined,
  ];
}

function cursorFilter(sort: ReturnType<typeof sortOf>, cursor: Cursor | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const op = sort.descending ? sql`<` : sql`>`;
  return sql`(${sort.column}, ${contacts.id}) ${op} (${cursor.v}, ${cursor.id})`;
}

// Matches in the full-text index's own order (newest first), joined to the
// workspace's contacts: the walk stops at the page's end instead of reading
// and sorting every match.
async function searchRecent(scope: Scope, match: string, where: SQL, limit: number): Promise<Row[]> {
  const seqs = await scope.db.all<{ seq: number }>(sql`
    select ${contacts.seq} as seq from contacts_fts
    join ${contacts} on ${contacts.seq} = contacts_fts.rowid
    where contacts_fts match ${match} and ${where}
    order by contacts_fts.rowid desc limit ${limit}`);
  if (seqs.length === 0) return [];
  return selectContactViews(scope, inArray(contacts.seq, seqs.map((r) => r.seq))).orderBy(desc(contacts.seq));
}

function searchFilter(q: string): SQL {
  const match = ftsQuery(q);
  if (match) return sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${match})`;
  // Fragments under three characters are below the trigram index's reach;
  // a name prefix still uses the (workspace, sort_name) index.
  const prefix = q.toLocaleLowerCase('en');
  return sql`${contacts.sortName} >= ${prefix} and ${contacts.sortName} < ${prefix + '\uffff'}`;
}

export async function listContacts(scope: Scope, query: ContactListQuery) {
  const sort = sortOf(contactSortOf(query));
  const filters = and(...filtersOf(query), cursorFilter(sort, query.cursor));
  const match = query.q ? ftsQuery(query.q) : null;
  const rows =
    match && sort.column === contacts.seq
      ? await searchRecent(scope, match, scope.ws.scope(contacts, filters), query.limit + 1)
      : await selectContactViews(scope, and(filters, query.q ? searchFilter(query.q) : undefined))
          .orderBy(...(sort.descending ? [desc(sort.column), desc(contacts.id)] : [asc(sort.column), asc(contacts.id)]))
          .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ v: sort.value(last), id: last.id }) : null;
  return { data: page.map(toView), nextCursor };
}
