import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { companies } from '../../../db/schema';
import type { CompanyFilter, CompanyListQuery } from '../../schemas/company-list';
import type { CompanyView } from '../../schemas/companies';
import { notFound } from '../errors';
import { pageOf, type JsonText } from '../json-views';
import { customSql, ownerSql, placeholder, planCustom, planOwner, tagRowsAlone, tagSql, type CustomShape, type OwnerShape } from '../lists/conditions';
import { shapeKey, type ListSource } from '../lists/source';
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

// The company list: its filter (shared with its count and bulk operations
// through companyList, the list source) and its pages.
type Shape = {
  trash: boolean;
  search: boolean;
  owner: OwnerShape;
  tags: boolean;
  severalTags: boolean;
  industry: boolean;
  custom: CustomShape[];
};

function plan(scope: Scope, filter: CompanyFilter, trash: boolean) {
  const values: Record<string, unknown> = {};
  // Name or domain containing the text as typed; LIKE's wildcards in it are
  // plain characters.
  if (filter.q) values.q = `%${filter.q.toLocaleLowerCase('en').replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
  if (filter.tag?.length) values.tags = JSON.stringify(filter.tag);
  if (filter.industry !== undefined) values.industry = filter.industry;
  const shape: Shape = {
    trash,
    search: !!filter.q,
    owner: planOwner(scope, filter.ownerId, values),
    tags: !!filter.tag?.length,
    severalTags: (filter.tag?.length ?? 0) > 1,
    industry: filter.industry !== undefined,
    custom: planCustom(filter.cf, values),
  };
  return { shape, values };
}

export const companyList: ListSource<CompanyFilter, Shape> = {
  entity: 'company',
  label: 'company',
  table: companies,
  chunkKey: { column: companies.id, numeric: false },
  plan,
  where: (scope, shape, param) =>
    and(
      shape.trash ? isNotNull(companies.deletedAt) : isNull(companies.deletedAt),
      shape.search
        ? sql`(${companies.sortName} like ${param('q')} escape '\\' or ${companies.domain} like ${param('q')} escape '\\')`
        : undefined,
      ownerSql(companies.ownerId, shape.owner, param),
      shape.tags ? tagSql(scope, 'company', companies.id, shape.trash, param, { stages: false, owner: shape.owner, severalTags: shape.severalTags }) : undefined,
      shape.industry ? sql`${companies.industry} = ${param('industry')}` : undefined,
      ...customSql(companies.customFields, shape.custom, param),
    )!,
  tagRowsAlone,
};

type PageShape = { filter: Shape; sort: CompanyListQuery['sort']; cursor: boolean };

const companyPages = preparedReads(
  (db, scope, page: PageShape) => {
    const descending = page.sort.startsWith('-');
    const column = page.sort.endsWith('name') ? companies.sortName : companies.createdAt;
    const op = descending ? sql`<` : sql`>`;
    const where = and(
      companyList.where(scope, page.filter, placeholder),
      page.cursor ? sql`(${column}, ${companies.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined,
    );
    return db
      .select({ json: companyJson, v: sql<string | number>`${column}`, id: companies.id })
      .from(companies)
      .where(scope(companies, where))
      .orderBy(...(descending ? [desc(column), desc(companies.id)] : [asc(column), asc(companies.id)]))
      .limit($('limit'));
  },
  shapeKey,
);

export function companyFilterOf(query: Omit<CompanyListQuery, 'sort' | 'cursor' | 'limit'>): CompanyFilter {
  const { deleted: _deleted, ...filter } = query;
  return filter;
}

export async function listCompanies(scope: Scope, query: CompanyListQuery): Promise<JsonText<{ data: CompanyView[]; nextCursor: string | null }>> {
  const { shape, values } = plan(scope, companyFilterOf(query), query.deleted === 'true');
  const rows = await scope.ws.read(companyPages, { filter: shape, sort: query.sort, cursor: !!query.cursor }, {
    ...values,
    after: query.cursor?.v,
    afterId: query.cursor?.id,
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit);
}
