import { eq, sql, type SQL } from 'drizzle-orm';
import { products } from '../../../db/schema';
import type { ProductView } from '../../schemas/products';
import { embedded, isoTime, jsonObject, type JsonText } from '../json-views';
import type { Scope } from '../scope';

export const productJson = jsonObject<ProductView>({
  id: products.id,
  sku: products.sku,
  name: products.name,
  category: products.category,
  description: products.description,
  price: products.price,
  currency: products.currency,
  active: sql`json(case when ${products.active} then 'true' else 'false' end)`,
  tags: embedded(products.tags),
  createdAt: isoTime(products.createdAt),
  updatedAt: isoTime(products.updatedAt),
  deletedAt: isoTime(products.deletedAt),
});

export function productJsonOf(scope: Scope, id: string): SQL<JsonText<ProductView> | null> {
  return sql`(select ${productJson} from ${products} where ${scope.ws.scope(products, eq(products.id, id))})`;
}
