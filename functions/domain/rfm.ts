// The named RFM segments and spend tiers customers are sorted into; the
// nightly segmentation (functions/jobs/segmentation.ts) decides who is in
// which, in SQL generated from the rules below so the two cannot drift.
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const SEGMENT_LABELS: Record<RfmSegment, string> = {
  champions: 'Champions',
  loyal: 'Loyal',
  potential_loyalist: 'Potential loyalist',
  new_customers: 'New customers',
  promising: 'Promising',
  need_attention: 'Need attention',
  about_to_sleep: 'About to sleep',
  at_risk: 'At risk',
  cant_lose: "Can't lose them",
  hibernating: 'Hibernating',
  lost: 'Lost',
};

export const VALUE_TIERS = ['vip', 'main', 'ordinary', 'scattered'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];
export const TIER_LABELS: Record<ValueTier, string> = { vip: 'VIP', main: 'Main', ordinary: 'Ordinary', scattered: 'Scattered' };

export const RUN_TRIGGERS = ['schedule', 'manual'] as const;
export const RUN_STATUSES = ['running', 'done', 'failed'] as const;
// A run's phases, in order (services/segmentation/steps.ts).
export const RUN_PHASES = ['aggregate', 'rank', 'scores', 'prune', 'segments', 'cross_sell', 'finish', 'done'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type Score = 1 | 2 | 3 | 4 | 5;

// The standard R×FM map: a row per FM score (5 at the top), a column per R
// score (1 = longest since the last purchase). The job's SQL CASE is built
// from this table (services/segmentation/sql.ts).
export const RFM_GRID: Record<Score, readonly [RfmSegment, RfmSegment, RfmSegment, RfmSegment, RfmSegment]> = {
  5: ['cant_lose', 'cant_lose', 'loyal', 'champions', 'champions'],
  4: ['at_risk', 'at_risk', 'loyal', 'loyal', 'champions'],
  3: ['at_risk', 'at_risk', 'need_attention', 'potential_loyalist', 'potential_loyalist'],
  2: ['hibernating', 'hibernating', 'about_to_sleep', 'potential_loyalist', 'potential_loyalist'],
  1: ['lost', 'hibernating', 'about_to_sleep', 'promising', 'new_customers'],
};
export const SCORES: readonly Score[] = [1, 2, 3, 4, 5];

// Frequency and monetary folded into one axis, rounding up.
export const fmScore = (f: number, m: number) => Math.floor((f + m + 1) / 2) as Score;

export const segmentOf = (r: number, f: number, m: number): RfmSegment => RFM_GRID[fmScore(f, m)][r - 1]!;

// Quintiles with ties kept together: `rank` is SQL's RANK() over the
// customers ordered worst to best (1 for the worst), so equal values share
// a rank and therefore a score, whatever their ids or insertion order.
export const quintile = (rank: number, n: number) => (1 + Math.floor((5 * (rank - 1)) / n)) as Score;

// Tiers by window revenue: `rank` is RANK() over revenue, highest first.
// Top 1% VIP, the next 5% Main, the next 20% Ordinary, the rest Scattered,
// in integers so SQL and JS agree to the customer.
export function tierOf(rank: number, n: number): ValueTier {
  const above = (rank - 1) * 100;
  if (above < n) return 'vip';
  if (above < 6 * n) return 'main';
  if (above < 26 * n) return 'ordinary';
  return 'scattered';
}
