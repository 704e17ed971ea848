import { and, gte, inArray, lte, sql, sum } from 'drizzle-orm';
import { productMonthTotals, products } from '../../../db/schema';
import type { TopProducts, TopProductsQuery } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { periodOrDefault, reporting } from './context';

const $ = sql.placeholder;
const inPeriod = and(gte(productMonthTotals.month, $('from')), lte(productMonthTotals.month, $('to')));
// The products a page names, as a JSON array bound once.
const listed = (column: typeof productMonthTotals.productId | typeof products.id) => inArray(column, sql`(select value from json_each(${$('ids')}))`);

// From the running totals, summed in SQL: first each product's period per
// currency (a few hundred rows for a catalogue of hundreds), ranked here
// once converted to the reporting currency; then the months of the year of
// the top ones only.
const productTotals = preparedReads((db, scope) =>
  db
    .select({
      productId: productMonthTotals.productId,
      currency: productMonthTotals.currency,
      units: sum(productMonthTotals.units).mapWith(Number),
      revenue: sum(productMonthTotals.revenue).mapWith(Number),
    })
    .from(productMonthTotals)
    .where(scope(productMonthTotals, inPeriod))
    .groupBy(productMonthTotals.productId, productMonthTotals.currency),
);
const monthsOfYear = preparedReads((db, scope) => {
  const month = sql<string>`substr(${productMonthTotals.month}, 6, 2)`;
  return db
    .select({
      productId: productMonthTotals.productId,
      month,
      currency: productMonthTotals.currency,
      units: sum(productMonthTotals.units).mapWith(Number),
      revenue: sum(productMonthTotals.revenue).mapWith(Number),
    })
    .from(productMonthTotals)
    .where(scope(productMonthTotals, and(inPeriod, listed(productMonthTotals.productId))))
    .groupBy(productMonthTotals.productId, month, productMonthTotals.currency);
});
const productNames = preparedReads((db, scope) =>
  db.select({ id: products.id, name: products.name, sku: products.sku, category: products.category }).from(products).where(scope(products, listed(products.id))),
);

export async function topProducts(scope: Scope, query: TopProductsQuery): Promise<TopProducts> {
  const period = periodOrDefault(scope, query);
  const [money, rows] = await Promise.all([reporting(scope), scope.ws.read(productTotals, undefined, period)]);
  const byProduct = new Map<string, { units: number; revenue: number }>();
  for (const row of rows) {
    const totals = byProduct.get(row.productId) ?? { units: 0, revenue: 0 };
    totals.units += row.units;
    totals.revenue += money.convert(row.revenue, row.currency) ?? 0;
    byProduct.set(row.productId, totals);
  }
  const ranked = [...byProduct]
    .filter(([, t]) => t.units > 0 || t.revenue > 0)
    .sort(([idA, a], [idB, b]) => b.revenue - a.revenue || b.units - a.units || (idA < idB ? -1 : 1))
    .slice(0, query.limit);
  const ids = JSON.stringify(ranked.map(([id]) => id));
  const [seasons, names] = await Promise.all([
    scope.ws.read(monthsOfYear, undefined, { ...period, ids }),
    scope.ws.read(productNames, undefined, { ids }),
  ]);
  const nameOf = new Map(names.map((p) => [p.id, p]));
  const seasonOf = new Map(ranked.map(([id]) => [id, Array.from({ length: 12 }, (_, i) => ({ month: i + 1, units: 0, revenue: 0 }))]));
  for (const row of seasons) {
    const season = seasonOf.get(row.productId)![Number(row.month) - 1]!;
    season.units += row.units;
    season.revenue += money.convert(row.revenue, row.currency) ?? 0;
  }
  return {
    period,
    currency: money.currency,
    // A product erased from the catalogue still sold: its id stands for its name.
    products: ranked.map(([productId, totals]) => {
      const product = nameOf.get(productId);
      return { productId, name: product?.name ?? productId, sku: product?.sku ?? null, category: product?.category ?? null, ...totals, seasonality: seasonOf.get(productId)! };
    }),
  };
}
