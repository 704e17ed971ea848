import { z } from '@hono/zod-openapi';
import { isCurrency } from '../domain/commerce';
import { RFM_SEGMENTS, RUN_PHASES, RUN_STATUSES, RUN_TRIGGERS, VALUE_TIERS } from '../domain/rfm';

const currency = z
  .string()
  .refine(isCurrency, 'must be an ISO 4217 currency code such as USD')
  .openapi({ example: 'EUR' });

export const MAX_EXCHANGE_RATES = 200;
export const WINDOW_DAYS = { min: 30, max: 3650 } as const;

export const analyticsSettingsSchema = z
  .object({
    reportingCurrency: z.string(),
    windowDays: z.number().int(),
    exchangeRates: z.array(z.object({ currency: z.string(), rate: z.number(), updatedAt: z.string().datetime() })),
  })
  .openapi('AnalyticsSettings');

export const analyticsSettingsUpdate = z
  .object({
    reportingCurrency: currency.optional(),
    windowDays: z.number().int().min(WINDOW_DAYS.min).max(WINDOW_DAYS.max).optional(),
    // The whole set: a currency left out has no rate any more.
    exchangeRates: z
      .array(z.object({ currency, rate: z.number().positive().max(1e9) }).strict())
      .max(MAX_EXCHANGE_RATES)
      .refine((rates) => new Set(rates.map((r) => r.currency)).size === rates.length, 'names a currency twice')
      .optional(),
  })
  .strict()
  .openapi('AnalyticsSettingsUpdate');

const figures = z.object({ customers: z.number(), revenue: z.number() });
export const runStatsSchema = z
  .object({
    currency: z.string().optional(),
    customers: z.number().optional(),
    revenue: z.number().optional(),
    lifetimeRevenue: z.number().optional(),
    unpricedOrders: z.number().optional(),
    medianGapDays: z.number().optional(),
    segments: z.record(z.string(), figures).optional(),
    tiers: z.record(z.string(), figures).optional(),
    entered: z.record(z.string(), z.number()).optional(),
    newCustomers: z.number().optional(),
    pairs: z.number().optional(),
    durationMs: z.number().optional(),
  })
  .openapi('SegmentationRunStats');
export type RunStats = z.infer<typeof runStatsSchema>;

export const runSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(RUN_TRIGGERS),
    status: z.enum(RUN_STATUSES),
    phase: z.enum(RUN_PHASES),
    progress: z.number().int().min(0).max(100).openapi({ description: 'Percent of the work done' }),
    chunks: z.number().int(),
    customers: z.number().int().openapi({ description: 'Customers to score (an estimate until the first phase ends)' }),
    processed: z.number().int().openapi({ description: 'Customers gone through in the current phase' }),
    asOf: z.string().datetime(),
    windowDays: z.number().int(),
    stats: runStatsSchema,
    error: z.string().nullable(),
    requestedBy: z.string().nullable(),
    startedAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('SegmentationRun');

export const runListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const insightsSchema = z
  .object({
    contactId: z.string(),
    scored: z.boolean().openapi({ description: 'False until the contact has bought and a run has scored them' }),
    currency: z.string(),
    scores: z
      .object({
        recencyDays: z.number().int(),
        orders: z.number().int(),
        revenue: z.number().int(),
        r: z.number().int(),
        f: z.number().int(),
        m: z.number().int(),
        segment: z.enum(RFM_SEGMENTS),
        segmentLabel: z.string(),
        tier: z.enum(VALUE_TIERS),
        tierLabel: z.string(),
        churnRisk: z.number().int(),
        churnExplanation: z.string(),
        expectedGapDays: z.number().nullable(),
        lifetimeOrders: z.number().int(),
        lifetimeValue: z.number().int(),
        predictedValue12m: z.number().int(),
        firstOrderAt: z.string().datetime(),
        lastOrderAt: z.string().datetime(),
        scoredAt: z.string().datetime(),
      })
      .nullable(),
    history: z.array(
      z.object({
        runId: z.string(),
        at: z.string().datetime(),
        fromSegment: z.enum(RFM_SEGMENTS).nullable(),
        toSegment: z.enum(RFM_SEGMENTS),
        fromTier: z.enum(VALUE_TIERS).nullable(),
        toTier: z.enum(VALUE_TIERS),
        r: z.number().int(),
        f: z.number().int(),
        m: z.number().int(),
        churnRisk: z.number().int(),
      }),
    ),
    suggestions: z.array(
      z.object({
        productId: z.string(),
        name: z.string(),
        sku: z.string(),
        becauseOf: z.object({ productId: z.string(), name: z.string() }),
        confidence: z.number(),
        lift: z.number(),
      }),
    ),
  })
  .openapi('CustomerInsights');
