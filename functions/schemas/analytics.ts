import { z } from '@hono/zod-openapi';
import { MAX_PERIOD_MONTHS, MONTH_PATTERN, monthSpan } from '../domain/dashboards';
import { RFM_SEGMENTS, VALUE_TIERS } from '../domain/rfm';
import { pageQuery, refuseCursorOfAnotherSort } from './cursor';

const month = (what: string) =>
  z
    .string()
    .regex(MONTH_PATTERN, 'must be a month, YYYY-MM')
    .optional()
    .openapi({ description: `${what} (UTC calendar month, YYYY-MM, included)`, example: '2026-01' });

const periodFields = { from: month('First month of the period'), to: month('Last month of the period') };

// Both ends or neither: half a period would leave the other end to a
// default the caller cannot see.
function refinePeriod(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (!q.from !== !q.to) ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'give both from and to, or neither' });
  else if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  else if (q.from && q.to && monthSpan({ from: q.from, to: q.to }) > MAX_PERIOD_MONTHS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `a period is at most ${MAX_PERIOD_MONTHS} months` });
  }
}

export const periodQuery = z.object(periodFields).strict().superRefine(refinePeriod);
export type PeriodQuery = z.infer<typeof periodQuery>;

export const topProductsQuery = z
  .object({ ...periodFields, limit: z.coerce.number().int().min(1).max(50).default(10) })
  .strict()
  .superRefine(refinePeriod);
export type TopProductsQuery = z.infer<typeof topProductsQuery>;

export const atRiskQuery = z
  .object({ ...periodFields, ...pageQuery('con') })
  .strict()
  .superRefine(refinePeriod)
  .superRefine((q, ctx) => refuseCursorOfAnotherSort(q.cursor, false, ctx));
export type AtRiskQuery = z.infer<typeof atRiskQuery>;

const period = z.object({ from: z.string(), to: z.string() }).openapi('Period');
const money = (description: string) => z.number().int().openapi({ description: `${description}, in minor units of the reporting currency` });
const currency = z.string().openapi({ description: "The workspace's reporting currency (ISO 4217)" });
const segment = z.enum(RFM_SEGMENTS);
const run = z
  .object({ id: z.string(), asOf: z.string().datetime(), finishedAt: z.string().datetime().nullable() })
  .nullable()
  .openapi('SegmentationRunRef', { description: 'The segmentation run the figures come from; null before the first run' });

export const revenueByMonth = z
  .object({
    period,
    currency,
    months: z.array(z.object({ month: z.string(), revenue: money('Revenue net of refunds'), orders: z.number().int(), customers: z.number().int() })),
    totals: z.object({ revenue: z.number().int(), orders: z.number().int() }),
    unconverted: z
      .array(z.object({ currency: z.string(), orders: z.number().int() }))
      .openapi({ description: 'Orders in currencies without an exchange rate: counted as orders, not as revenue' }),
  })
  .openapi('RevenueByMonth');

export const rfmGrid = z
  .object({
    period: period.nullable(),
    run,
    currency,
    cells: z.array(
      z.object({
        r: z.number().int(),
        fm: z.number().int().openapi({ description: '(F + M + 1) div 2' }),
        segment,
        customers: z.number().int(),
        revenue: money("The cell's customers' revenue in the RFM window"),
      }),
    ),
    totals: z.object({ customers: z.number().int(), revenue: z.number().int() }),
  })
  .openapi('RfmGrid');

export const tierDistribution = z
  .object({
    period: period.nullable(),
    run,
    currency,
    tiers: z.array(
      z.object({
        tier: z.enum(VALUE_TIERS),
        customers: z.number().int(),
        revenue: money("The tier's revenue in the RFM window"),
        customerShare: z.number().openapi({ description: 'Fraction of the customers, 0–1' }),
        revenueShare: z.number().openapi({ description: 'Fraction of the revenue, 0–1' }),
      }),
    ),
    totals: z.object({ customers: z.number().int(), revenue: z.number().int() }),
  })
  .openapi('TierDistribution');

export const atRiskPage = z
  .object({
    currency,
    data: z.array(
      z.object({
        contactId: z.string(),
        name: z.string(),
        segment,
        churnRisk: z.number().int().openapi({ description: '0 (buying on rhythm) to 100 (long past due)' }),
        lifetimeRevenue: money('Everything they ever bought, net of refunds'),
        lastOrderAt: z.string().datetime(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('AtRiskCustomers');

export const topProducts = z
  .object({
    period,
    currency,
    products: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        sku: z.string().nullable(),
        category: z.string().nullable(),
        units: z.number().int(),
        revenue: money('Line revenue net of refunds'),
        // Month of year 1–12, summed over the period's years.
        seasonality: z
          .array(z.object({ month: z.number().int(), units: z.number().int(), revenue: z.number().int() }))
          .openapi({ description: 'Units and revenue per month of the year (1 = January), summed over the period' }),
      }),
    ),
  })
  .openapi('TopProducts');

export const segmentMovements = z
  .object({
    run,
    previousRun: run,
    moves: z.array(
      z.object({
        from: segment.nullable().openapi({ description: 'null: first scored in this run' }),
        to: segment,
        customers: z.number().int(),
      }),
    ),
  })
  .openapi('SegmentMovements');

export type RevenueByMonth = z.infer<typeof revenueByMonth>;
export type RfmGrid = z.infer<typeof rfmGrid>;
export type TierDistribution = z.infer<typeof tierDistribution>;
export type AtRiskPage = z.infer<typeof atRiskPage>;
export type TopProducts = z.infer<typeof topProducts>;
export type SegmentMovements = z.infer<typeof segmentMovements>;
