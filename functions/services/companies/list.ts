import { and, asc, desc, eq, isNotNull, isNull, like, or, sql } from 'drizzle-orm';
import { companies } from '../../../db/schema';
import type { CompanyListQuery, CompanyView } from '../../schemas/companies';
import { notFound } from '../errors';
import { pageOf, type JsonText } from '../json-views';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { companyJson } from './view';

const $ = sql.placeholder;

const companyById = preparedReads((db, scope) =>
  db
    .select({ json: companyJson })
    .from(companies)
    .where(scope(companies, and(eq(companies.id, $('id')), isNull(companies.deletedAt)))),
);

export async function getCompany(scope: Scope, id: string): Promise<JsonText<CompanyView>> {
  const [row] = await scope.ws.read(companyById, undefined, { id });
  if (!row) throw notFound('Company');
  return row.json;
}

// Each filter compares with a placeholder of its own name.
const FILTERS = {
  q: or(sql`${companies.sortName} like ${$('q')} escape '\\'`, like(companies.domain, $('q'))),
  ownerId: eq(companies.ownerId, $('ownerId')),
  industry: eq(companies.industry, $('industry')),
  tag: sql`exists (select 1 from json_each(${companies.tags}) where json_each.value = ${$('tag')})`,
};
type Filter = keyof typeof FILTERS;
const FILTER_NAMES = Object.keys(FILTERS) as Filter[];

type Shape = { sort: CompanyListQuery['sort']; trash: boolean; filters: Filter[]; cursor: boolean };

const companyPages = preparedReads(
  (db, scope, shape: Shape) => {
    const descending = shape.sort.startsWith('-');
    const column = shape.sort.endsWith('name') ? companies.sortName : companies.createdAt;
    const op = descending ? sql`<` : sql`>`;
    const where = and(
      shape.trash ? isNotNull(companies.deletedAt) : isNull(companies.deletedAt),
      ...shape.filters.map((name) => FILTERS[name]),
      shape.cursor ? sql`(${column}, ${companies.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined,
    );
    return db
      .select({ json: companyJson, v: sql<string | number>`${column}`, id: companies.id })
      .from(companies)
      .where(scope(companies, where))
      .orderBy(...(descending ? [desc(column), desc(companies.id)] : [asc(column), asc(companies.id)]))
      .limit($('limit'));
  },
  (shape) => JSON.stringify(shape),
);

export async function listCompanies(scope: Scope, query: CompanyListQuery): Promise<JsonText<{ data: CompanyView[]; nextCursor: string | null }>> {
  // Name or domain containing the text as typed; LIKE's wildcards in it are
  // plain characters.
  const q = query.q ? `%${query.q.toLocaleLowerCase('en').replace(/[%_\\]/g, (ch) => `\\${ch}`)}%` : undefined;
  const values = { q, ownerId: query.ownerId, industry: query.industry, tag: query.tag };
  const filters = FILTER_NAMES.filter((name) => values[name] !== undefined);
  const shape: Shape = { sort: query.sort, trash: query.deleted === 'true', filters, cursor: !!query.cursor };
  const rows = await scope.ws.read(companyPages, shape, {
    ...values,
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit);
}
