import { and, eq, gte, lte, sql } from 'drizzle-orm';
import { productMonthTotals, products } from '../../../db/schema';
import type { TopProducts, TopProductsQuery } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { periodOrDefault, reporting } from './context';

const $ = sql.placeholder;

// Every product's month in the period, per currency, from the running
// totals: products × months × currencies rows (a few thousand for a
// catalogue of hundreds), converted and ranked here, since the ranking is
// by revenue in the reporting currency.
const productMonths = preparedReads((db, scope) =>
  db
    .select({
      productId: productMonthTotals.productId,
      month: productMonthTotals.month,
      currency: productMonthTotals.currency,
      units: productMonthTotals.units,
      revenue: productMonthTotals.revenue,
    })
    .from(productMonthTotals)
    .where(scope(productMonthTotals, and(gte(productMonthTotals.month, $('from')), lte(productMonthTotals.month, $('to'))))),
);
const productById = preparedReads((db, scope) =>
  db
    .select({ name: products.name, sku: products.sku, category: products.category })
    .from(products)
    .where(scope(products, eq(products.id, $('id')))),
);

type Totals = { units: number; revenue: number; seasonality: { month: number; units: number; revenue: number }[] };

export async function topProducts(scope: Scope, query: TopProductsQuery): Promise<TopProducts> {
  const period = periodOrDefault(scope, query);
  const [money, rows] = await Promise.all([reporting(scope), scope.ws.read(productMonths, undefined, period)]);
  const byProduct = new Map<string, Totals>();
  for (const row of rows) {
    let totals = byProduct.get(row.productId);
    if (!totals) {
      totals = { units: 0, revenue: 0, seasonality: Array.from({ length: 12 }, (_, i) => ({ month: i + 1, units: 0, revenue: 0 })) };
      byProduct.set(row.productId, totals);
    }
    const season = totals.seasonality[Number(row.month.slice(5, 7)) - 1]!;
    const revenue = money.convert(row.revenue, row.currency) ?? 0;
    totals.units += row.units;
    totals.revenue += revenue;
    season.units += row.units;
    season.revenue += revenue;
  }
  const ranked = [...byProduct]
    .filter(([, t]) => t.units > 0 || t.revenue > 0)
    .sort(([idA, a], [idB, b]) => b.revenue - a.revenue || b.units - a.units || (idA < idB ? -1 : 1))
    .slice(0, query.limit);
  // A product erased from the catalogue still sold: it keeps its id as name.
  const named = await Promise.all(
    ranked.map(async ([productId, totals]) => {
      const [product] = await scope.ws.read(productById, undefined, { id: productId });
      return { productId, name: product?.name ?? productId, sku: product?.sku ?? null, category: product?.category ?? null, ...totals };
    }),
  );
  return { period, currency: money.currency, products: named };
}
