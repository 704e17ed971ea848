import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { products } from '../../../db/schema';
import type { ProductFilter, ProductListQuery, ProductView } from '../../schemas/products';
import { notFound } from '../errors';
import { pageOf, type JsonText } from '../json-views';
import { placeholder } from '../lists/conditions';
import { shapeKey, type ListSource } from '../lists/source';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { productJson } from './view';

const $ = sql.placeholder;

const productById = preparedReads((db, scope) =>
  db
    .select({ json: productJson })
    .from(products)
    .where(scope(products, eq(products.id, $('id')))),
);

// A product is found in the trash too, as contacts and companies are: its
// page says it is deleted and offers to restore it.
export async function getProduct(scope: Scope, id: string): Promise<JsonText<ProductView>> {
  const [row] = await scope.ws.read(productById, undefined, { id });
  if (!row) throw notFound('Product');
  return row.json;
}

type Shape = { trash: boolean; search: boolean; categories: boolean; active: boolean | null };

function plan(_scope: Scope, filter: ProductFilter, trash: boolean) {
  const values: Record<string, unknown> = {};
  if (filter.q) values.q = `%${filter.q.toLocaleLowerCase('en').replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
  if (filter.category?.length) values.categories = JSON.stringify(filter.category);
  const shape: Shape = {
    trash,
    search: !!filter.q,
    categories: !!filter.category?.length,
    active: filter.active === undefined ? null : filter.active === 'true',
  };
  return { shape, values };
}

export const productList: ListSource<ProductFilter, Shape> = {
  entity: 'product',
  label: 'product',
  table: products,
  chunkKey: { column: products.id, numeric: false },
  plan,
  where: (_scope, shape, param) =>
    and(
      shape.trash ? isNotNull(products.deletedAt) : isNull(products.deletedAt),
      shape.search
        ? sql`(${products.sortName} like ${param('q')} escape '\\' or lower(${products.sku}) like ${param('q')} escape '\\')`
        : undefined,
      shape.categories ? sql`${products.category} in (select value from json_each(${param('categories')}))` : undefined,
      shape.active === null ? undefined : eq(products.active, shape.active),
    )!,
  tagRowsAlone: () => null,
};

type PageShape = { filter: Shape; sort: ProductListQuery['sort']; cursor: boolean };

const SORT_COLUMNS = { name: products.sortName, price: products.price, createdAt: products.createdAt };

const productPages = preparedReads(
  (db, scope, page: PageShape) => {
    const descending = page.sort.startsWith('-');
    const column = SORT_COLUMNS[page.sort.replace('-', '') as keyof typeof SORT_COLUMNS];
    const op = descending ? sql`<` : sql`>`;
    const where = and(
      productList.where(scope, page.filter, placeholder),
      page.cursor ? sql`(${column}, ${products.id}) ${op} (${$('after')}, ${$('afterId')})` : undefined,
    );
    return db
      .select({ json: productJson, v: sql<string | number>`${column}`, id: products.id })
      .from(products)
      .where(scope(products, where))
      .orderBy(...(descending ? [desc(column), desc(products.id)] : [asc(column), asc(products.id)]))
      .limit($('limit'));
  },
  shapeKey,
);

export async function listProducts(scope: Scope, query: ProductListQuery): Promise<JsonText<{ data: ProductView[]; nextCursor: string | null }>> {
  const { deleted, sort, cursor, limit, ...filter } = query;
  const { shape, values } = plan(scope, filter, deleted === 'true');
  const rows = await scope.ws.read(productPages, { filter: shape, sort, cursor: !!cursor }, {
    ...values,
    after: cursor?.v,
    afterId: cursor?.id,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}
