import { and, gte, lte, sql } from 'drizzle-orm';
import { monthCustomers, orderMonthTotals } from '../../../db/schema';
import { monthsOf } from '../../domain/dashboards';
import type { PeriodQuery, RevenueByMonth } from '../../schemas/analytics';
import type { Scope } from '../scope';
import { preparedReads } from '../workspace-data';
import { periodOrDefault, reporting } from './context';

const $ = sql.placeholder;

// From the running totals (db/schema/analytics.ts): a few rows per month
// whatever the number of orders.
const monthTotals = preparedReads((db, scope) =>
  db
    .select({ month: orderMonthTotals.month, currency: orderMonthTotals.currency, orders: orderMonthTotals.orders, revenue: orderMonthTotals.revenue })
    .from(orderMonthTotals)
    .where(scope(orderMonthTotals, and(gte(orderMonthTotals.month, $('from')), lte(orderMonthTotals.month, $('to'))))),
);
const customersPerMonth = preparedReads((db, scope) =>
  db
    .select({ month: monthCustomers.month, customers: monthCustomers.customers })
    .from(monthCustomers)
    .where(scope(monthCustomers, and(gte(monthCustomers.month, $('from')), lte(monthCustomers.month, $('to'))))),
);

export async function revenueByMonth(scope: Scope, query: PeriodQuery): Promise<RevenueByMonth> {
  const period = periodOrDefault(scope, query);
  const [money, totals, customers] = await Promise.all([
    reporting(scope),
    scope.ws.read(monthTotals, undefined, period),
    scope.ws.read(customersPerMonth, undefined, period),
  ]);
  const byMonth = new Map(monthsOf(period).map((month) => [month, { month, revenue: 0, orders: 0, customers: 0 }]));
  const unconverted = new Map<string, number>();
  for (const row of totals) {
    const entry = byMonth.get(row.month)!;
    entry.orders += row.orders;
    const revenue = money.convert(row.revenue, row.currency);
    if (revenue === null) unconverted.set(row.currency, (unconverted.get(row.currency) ?? 0) + row.orders);
    else entry.revenue += revenue;
  }
  for (const row of customers) byMonth.get(row.month)!.customers = row.customers;
  const months = [...byMonth.values()];
  return {
    period,
    currency: money.currency,
    months,
    totals: { revenue: months.reduce((s, m) => s + m.revenue, 0), orders: months.reduce((s, m) => s + m.orders, 0) },
    unconverted: [...unconverted].filter(([, orders]) => orders > 0).map(([currency, orders]) => ({ currency, orders })),
  };
}
