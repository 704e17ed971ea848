import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { contacts } from '../../../db/schema';
import { decodeCursor, encodeCursor } from '../../domain/cursor';
import { ftsQuery } from '../../domain/search';
import type { Scope } from '../scope';
import type { ContactListQuery } from '../../schemas/contacts';
import { invalid } from '../errors';
import { toViews } from './view';

const SORT_COLUMNS = { name: contacts.sortName, createdAt: contacts.createdAt, updatedAt: contacts.updatedAt };

function searchFilter(q: string): SQL | undefined {
  const match = ftsQuery(q);
  if (match) {
    return sql`${contacts.seq} in (select rowid from contacts_fts where contacts_fts match ${match})`;
  }
  // Fragments under three characters are below the trigram index's reach;
  // a name prefix still uses the (workspace, sort_name) index.
  const prefix = q.toLocaleLowerCase('en');
  return sql`${contacts.sortName} >= ${prefix} and ${contacts.sortName} < ${prefix + '\uffff'}`;
}

export async function listContacts(scope: Scope, query: ContactListQuery) {
  const descending = query.sort.startsWith('-');
  const key = query.sort.replace('-', '') as keyof typeof SORT_COLUMNS;
  const column = SORT_COLUMNS[key];
  const filters: (SQL | undefined)[] = [
    query.deleted === 'true' ? isNotNull(contacts.deletedAt) : isNull(contacts.deletedAt),
    query.q ? searchFilter(query.q) : undefined,
    query.lifecycleStage ? eq(contacts.lifecycleStage, query.lifecycleStage) : undefined,
    query.ownerId ? eq(contacts.ownerId, query.ownerId) : undefined,
    query.companyId ? eq(contacts.companyId, query.companyId) : undefined,
    query.leadSource ? eq(contacts.leadSource, query.leadSource) : undefined,
    query.emailConsent ? eq(contacts.emailConsent, query.emailConsent) : undefined,
    query.tag
      ? sql`exists (select 1 from json_each(${contacts.tags}) where json_each.value = ${query.tag})`
      : undefined,
  ];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor || typeof cursor.v !== (key === 'name' ? 'string' : 'number')) {
      throw invalid('The cursor is not valid for this sort', [{ path: 'cursor', message: 'not valid' }]);
    }
    filters.push(
      descending
        ? sql`(${column}, ${contacts.id}) < (${cursor.v}, ${cursor.id})`
        : sql`(${column}, ${contacts.id}) > (${cursor.v}, ${cursor.id})`,
    );
  }
  const order = descending ? [desc(column), desc(contacts.id)] : [asc(column), asc(contacts.id)];
  const rows = await scope.ws
    .select(contacts, and(...filters))
    .orderBy(...order)
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor({ v: last[key === 'name' ? 'sortName' : key], id: last.id }) : null;
  return { data: await toViews(scope, page), nextCursor };
}
