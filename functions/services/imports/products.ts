import { sql } from 'drizzle-orm';
import { products } from '../../../db/schema';
import { isCurrency, parseMajorAmount } from '../../domain/commerce';
import { sortKey } from '../../domain/records';
import { productCreate } from '../../schemas/products';
import { listCell, mergeCaseBlind, type Importer } from './importer';
import { member, rowsParam } from '../sql-rows';

// The catalogue from a file: matched on the SKU as stored (a SKU names one
// product, the trash included, so a row of a trashed product's SKU brings
// it back under "update"); an update fills the fields the row has and
// adds its tags. Prices are major units in the file ("12.50").

const FIELDS = [
  { key: 'sku', label: 'SKU', synonyms: ['variant sku', 'item sku', 'product code', 'article number', 'code'] },
  { key: 'name', label: 'Name', synonyms: ['title', 'product name', 'product', 'item name'] },
  { key: 'category', label: 'Category', synonyms: ['type', 'product type', 'categories', 'product category'] },
  { key: 'price', label: 'Price', synonyms: ['variant price', 'regular price', 'unit price', 'list price'] },
  { key: 'currency', label: 'Currency', synonyms: [] },
  { key: 'active', label: 'Active', synonyms: ['published', 'status', 'on sale', 'enabled', 'in stock'] },
  { key: 'description', label: 'Description', synonyms: ['body (html)', 'body', 'short description', 'details'] },
  { key: 'tags', label: 'Tags', synonyms: ['tag', 'labels'] },
] as const;

const YES = new Set(['yes', 'y', 'true', '1', 'active', 'published', 'on', 'instock']);
const NO = new Set(['no', 'n', 'false', '0', 'inactive', 'draft', 'archived', 'off', 'outofstock']);

function toInput(cells: Record<string, string>): unknown {
  const currency = cells.currency?.trim().toUpperCase();
  const price = cells.price && currency && isCurrency(currency) ? (parseMajorAmount(cells.price, currency) ?? cells.price) : cells.price;
  const active = cells.active?.toLowerCase().replace(/[\s_-]/g, '');
  return {
    sku: cells.sku,
    name: cells.name,
    category: cells.category,
    price,
    currency,
    active: active === undefined ? undefined : YES.has(active) ? true : NO.has(active) ? false : cells.active,
    description: cells.description,
    tags: listCell(cells.tags),
  };
}

type Existing = { id: string; tags: string; trashed?: boolean };

const RESTORABLE = ['name', 'sort_name', 'category', 'description', 'price', 'currency', 'active', 'tags', 'deleted_at', 'updated_at'] as const;

type Input = ReturnType<typeof productCreate.parse>;

export const productImporter: Importer<Input, Existing> = {
  entity: 'product',
  idKind: 'product',
  fields: FIELDS,
  pathLabels: { sku: 'SKU', name: 'Name', category: 'Category', price: 'Price', currency: 'Currency', active: 'Active', description: 'Description', tags: 'Tags' },
  toInput,
  schema: productCreate,
  keysOf: (input) => [input.sku],

  async findExisting(scope, keys) {
    if (!keys.length) return new Map();
    const rows = await scope.db.all<{ key: string; id: string; tags: string; trashed: number }>(
      sql`select ${products.sku} as "key", ${products.id} as "id", ${products.tags} as "tags", ${products.deletedAt} is not null as "trashed"
      from ${products} where ${scope.ws.scope(products, sql`${products.sku} in (select value from json_each(${JSON.stringify(keys)}))`)}`,
    );
    return new Map(rows.map(({ key, ...row }) => [key, { ...row, trashed: !!row.trashed }]));
  },

  createMany(scope, rows, { guard }) {
    if (!rows.length) return [];
    const values = rows.map(({ id, input }) => ({
      id,
      sku: input.sku,
      name: input.name,
      sortName: sortKey(input.name),
      category: input.category ?? null,
      description: input.description ?? null,
      price: input.price,
      currency: input.currency,
      active: input.active === false ? 0 : 1,
      tags: JSON.stringify(input.tags ?? []),
    }));
    const m = member;
    return [
      scope.db.run(sql`insert into ${products} (id, workspace_id, sku, name, sort_name, category, description, price, currency, active, tags,
          custom_fields, created_at, updated_at)
        select ${m('id')}, ${scope.ws.workspaceId}, ${m('sku')}, ${m('name')}, ${m('sortName')}, ${m('category')}, ${m('description')}, ${m('price')},
          ${m('currency')}, ${m('active')}, ${m('tags')}, '{}', ${scope.now}, ${scope.now}
        from ${rowsParam(values)} as j where ${guard}`),
    ];
  },

  updateMany(scope, rows, { guard }) {
    if (!rows.length) return [];
    const values = rows.map(({ existing, input }) => ({
      id: existing.id,
      name: input.name,
      sortName: sortKey(input.name),
      category: input.category ?? null,
      description: input.description ?? null,
      price: input.price,
      currency: input.currency,
      active: input.active === undefined ? null : input.active ? 1 : 0,
      tags: JSON.stringify(mergeCaseBlind(JSON.parse(existing.tags) as string[], input.tags, 50)),
    }));
    const m = member;
    return [
      scope.db.run(sql`update ${products} set name = ${m('name')}, sort_name = ${m('sortName')}, category = coalesce(${m('category')}, category),
          description = coalesce(${m('description')}, description), price = ${m('price')}, currency = ${m('currency')},
          active = coalesce(${m('active')}, active), tags = ${m('tags')}, deleted_at = null, updated_at = ${scope.now}
        from ${rowsParam(values)} as j
        where ${products.id} = ${m('id')} and ${scope.ws.scope(products)} and ${guard}`),
    ];
  },

  table: 'products',
  restorable: RESTORABLE,
};
