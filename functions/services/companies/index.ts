import { and, asc, count, desc, eq, inArray, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { activities, companies, contacts } from '../../../db/schema';
import { changedCustomValues, mergeCustomFields } from '../../domain/custom-fields';
import { encodeCursor } from '../../domain/cursor';
import { newId } from '../../domain/ids';
import { contactSearchText, sortKey } from '../../domain/records';
import type { Scope } from '../scope';
import { isoTime } from '../../domain/time';
import type { CompanyInput, CompanyListQuery, CompanyView } from '../../schemas/companies';
import { AppError, notFound } from '../errors';
import { auditEntry, checkCustomFields, checkOwner } from '../records';

type Row = typeof companies.$inferSelect;

async function contactCounts(scope: Scope, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  const rows = await scope.db
    .select({ companyId: contacts.companyId, n: count() })
    .from(contacts)
    .where(scope.ws.scope(contacts, and(inArray(contacts.companyId, ids), isNull(contacts.deletedAt))))
    .groupBy(contacts.companyId);
  return new Map(rows.map((r) => [r.companyId!, r.n]));
}

function toView(row: Row, contactCount: number): CompanyView {
  const { workspaceId: _ws, sortName: _sort, ...rest } = row;
  return {
    ...rest,
    contactCount,
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
    deletedAt: isoTime(row.deletedAt),
  };
}

async function findCompany(scope: Scope, id: string, { deleted = false } = {}) {
  const [row] = await scope.ws.select(companies, and(eq(companies.id, id), deleted ? undefined : isNull(companies.deletedAt)));
  if (!row) throw notFound('Company');
  return row;
}

export async function getCompany(scope: Scope, id: string) {
  const row = await findCompany(scope, id);
  return toView(row, (await contactCounts(scope, [id])).get(id) ?? 0);
}

export async function listCompanies(scope: Scope, query: CompanyListQuery) {
  const descending = query.sort.startsWith('-');
  const key = query.sort.replace('-', '') as 'name' | 'createdAt';
  const column = key === 'name' ? companies.sortName : companies.createdAt;
  const q = query.q?.toLocaleLowerCase('en').replace(/[%_\\]/g, (ch) => `\\${ch}`);
  const filters: (SQL | undefined)[] = [
    query.deleted === 'true' ? isNotNull(companies.deletedAt) : isNull(companies.deletedAt),
    q ? or(sql`${companies.sortName} like ${`%${q}%`} escape '\\'`, like(companies.domain, `%${q}%`)) : undefined,
    query.ownerId ? eq(companies.ownerId, query.ownerId) : undefined,
    query.industry ? eq(companies.industry, query.industry) : undefined,
    query.tag ? sql`exists (select 1 from json_each(${companies.tags}) where json_each.value = ${query.tag})` : undefined,
  ];
  if (query.cursor) {
    const op = descending ? sql`<` : sql`>`;
    filters.push(sql`(${column}, ${companies.id}) ${op} (${query.cursor.v}, ${query.cursor.id})`);
  }
  const rows = await scope.ws
    .select(companies, and(...filters))
    .orderBy(...(descending ? [desc(column), desc(companies.id)] : [asc(column), asc(companies.id)]))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const counts = await contactCounts(scope, page.map((r) => r.id));
  const last = page[page.length - 1];
  return {
    data: page.map((r) => toView(r, counts.get(r.id) ?? 0)),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ v: key === 'name' ? last.sortName : last.createdAt, id: last.id }) : null,
  };
}

export async function createCompany(scope: Scope, input: CompanyInput & { name: string }) {
  await checkOwner(scope, input.ownerId);
  await checkCustomFields(scope, 'company', input.customFields ?? {});
  const row = {
    id: newId('company', scope.now),
    name: input.name,
    sortName: sortKey(input.name),
    domain: input.domain ?? null,
    website: input.website ?? null,
    industry: input.industry ?? null,
    employees: input.employees ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    description: input.description ?? null,
    ownerId: input.ownerId === undefined ? scope.actor.userId : input.ownerId,
    tags: input.tags ?? [],
    customFields: input.customFields ?? {},
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  await scope.ws.batch([scope.ws.insert(companies, row), auditEntry(scope, 'create', 'company', row.id)]);
  return toView({ ...row, workspaceId: scope.ws.workspaceId, deletedAt: null }, 0);
}

// Contacts are found by their company's name too, so renaming or removing a
// company rewrites its contacts' search text in the same batch.
async function searchTextUpdates(scope: Scope, companyId: string, companyName: string | null) {
  const rows = await scope.ws.select(contacts, eq(contacts.companyId, companyId));
  return rows.map((r) =>
    scope.ws.update(
      contacts,
      {
        searchText: contactSearchText({ ...r, companyName }),
        ...(companyName === null ? { companyId: null } : {}),
      },
      eq(contacts.id, r.id),
    ),
  );
}

export async function updateCompany(scope: Scope, id: string, input: CompanyInput) {
  const current = await findCompany(scope, id);
  if (input.ownerId !== current.ownerId) await checkOwner(scope, input.ownerId);
  if (input.customFields) await checkCustomFields(scope, 'company', changedCustomValues(current.customFields, input.customFields));
  const changed = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as CompanyInput;
  const renamed = changed.name !== undefined && changed.name !== current.name;
  await scope.ws.batch([
    scope.ws.update(
      companies,
      {
        ...changed,
        ...(changed.name ? { sortName: sortKey(changed.name) } : {}),
        customFields: input.customFields ? mergeCustomFields(current.customFields, input.customFields) : current.customFields,
        updatedAt: scope.now,
      },
      eq(companies.id, id),
    ),
    auditEntry(scope, 'update', 'company', id, { fields: Object.keys(changed) }),
    ...(renamed ? await searchTextUpdates(scope, id, changed.name!) : []),
  ]);
  return getCompany(scope, id);
}

export async function deleteCompany(scope: Scope, id: string) {
  await findCompany(scope, id);
  await scope.ws.batch([
    scope.ws.update(companies, { deletedAt: scope.now, updatedAt: scope.now }, eq(companies.id, id)),
    auditEntry(scope, 'delete', 'company', id),
  ]);
}

export async function restoreCompany(scope: Scope, id: string) {
  const row = await findCompany(scope, id, { deleted: true });
  if (row.deletedAt === null) throw new AppError(409, 'conflict', 'The company is not deleted');
  await scope.ws.batch([
    scope.ws.update(companies, { deletedAt: null, updatedAt: scope.now }, eq(companies.id, id)),
    auditEntry(scope, 'restore', 'company', id),
  ]);
  return getCompany(scope, id);
}

// Purging a company keeps its people: they lose the link, not their records.
export async function purgeCompany(scope: Scope, id: string) {
  await findCompany(scope, id, { deleted: true });
  await scope.ws.batch([
    scope.ws.delete(activities, eq(activities.companyId, id)),
    ...(await searchTextUpdates(scope, id, null)),
    scope.ws.delete(companies, eq(companies.id, id)),
    auditEntry(scope, 'purge', 'company', id),
  ]);
}
