import { and, eq, isNull, ne, not, sql } from 'drizzle-orm';
import { orderLines, productAffinities, products } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { sortKey } from '../../domain/records';
import type { ProductInput, ProductView } from '../../schemas/products';
import { conflict, notFound } from '../errors';
import type { JsonText } from '../json-views';
import { restoreRecord, trashRecord } from '../lifecycle';
import { changedMeanwhile, definedOnly, fieldChanges, writeRecord } from '../records';
import type { Scope } from '../scope';
import { productJsonOf } from './view';

const kind = { table: products, type: 'product', label: 'Product' };

// A SKU names one product of the workspace, trashed ones included.
const skuTaken = (scope: Scope, sku: string, other?: string) =>
  scope.ws.exists(products, and(eq(products.sku, sku), other ? ne(products.id, other) : undefined));
const skuConflict = (sku: string) => conflict(`Another product has the SKU ${sku}`);

export async function createProduct(scope: Scope, input: ProductInput & { sku: string; name: string; price: number; currency: string }): Promise<JsonText<ProductView>> {
  const row = {
    id: newId('product', scope.now),
    sku: input.sku,
    name: input.name,
    sortName: sortKey(input.name),
    category: input.category ?? null,
    description: input.description ?? null,
    price: input.price,
    currency: input.currency,
    active: input.active ?? true,
    tags: input.tags ?? [],
    customFields: {},
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<ProductView> }>(scope, {
    when: not(skuTaken(scope, input.sku)),
    audit: { action: 'create', entityType: 'product', entityId: row.id },
    write: (receipt) => [scope.ws.insertWhere(products, row, receipt)],
    answer: scope.db.all(sql`select ${productJsonOf(scope, row.id)} as "json"`),
  });
  if (!written) throw skuConflict(input.sku);
  return answer!.json;
}

// The fields a product's history shows a change of.
const SHOWN = { sku: products.sku, name: products.name, category: products.category, price: products.price, currency: products.currency, active: products.active };

export async function updateProduct(scope: Scope, id: string, input: ProductInput): Promise<JsonText<ProductView>> {
  const live = and(eq(products.id, id), isNull(products.deletedAt))!;
  const set = {
    ...definedOnly(input),
    ...(input.name !== undefined ? { sortName: sortKey(input.name) } : {}),
    updatedAt: scope.now,
  };
  const { written, answer } = await writeRecord<{ json: JsonText<ProductView> | null; live: number; skuTaken: number }>(scope, {
    when: and(scope.ws.exists(products, live), input.sku !== undefined ? not(skuTaken(scope, input.sku, id)) : undefined),
    audit: {
      action: 'update',
      entityType: 'product',
      entityId: id,
      changes: fieldChanges(input, SHOWN, { from: sql`${products}`, where: scope.ws.scope(products, eq(products.id, id)) }),
    },
    write: (receipt) => [scope.ws.update(products, set, and(live, receipt)!)],
    answer: scope.db.all(
      sql`select ${productJsonOf(scope, id)} as "json", ${scope.ws.exists(products, live)} as "live", ${input.sku !== undefined ? skuTaken(scope, input.sku, id) : sql`0`} as "skuTaken"`,
    ),
  });
  if (!written) {
    if (!answer?.live) throw notFound('Product');
    if (answer.skuTaken) throw skuConflict(input.sku!);
    throw changedMeanwhile('product');
  }
  return answer!.json!;
}

export const deleteProduct = (scope: Scope, id: string) => trashRecord(scope, kind, id);

export const restoreProduct = (scope: Scope, id: string): Promise<JsonText<ProductView>> => restoreRecord(scope, kind, id, productJsonOf);

// Order lines keep the SKU and name they were sold under; they lose only
// the link, and the product leaves the bought-together pairs.
export async function purgeProduct(scope: Scope, id: string) {
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(products, eq(products.id, id)),
    audit: { action: 'purge', entityType: 'product', entityId: id },
    write: (receipt) => [
      scope.ws.update(orderLines, { productId: null }, and(eq(orderLines.productId, id), receipt)!),
      scope.ws.delete(productAffinities, and(sql`(${productAffinities.productId} = ${id} or ${productAffinities.otherProductId} = ${id})`, receipt)!),
      scope.ws.delete(products, and(eq(products.id, id), receipt)!),
    ],
  });
  if (!written) throw notFound('Product');
}
