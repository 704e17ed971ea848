import { sql, type SQL } from 'drizzle-orm';
import { RFM_GRID, SCORES } from '../../domain/rfm';

// SQL fragments the segmentation phases share, generated from the domain's
// rules (functions/domain/rfm.ts) so the job and the tests' oracle agree.

// What one unit of each other currency is worth in reporting-currency minor
// units: rate × 10^(digits(reporting) − digits(currency)), fixed at the
// run's start (runs.ts) so every chunk converts alike.
export type Factors = Record<string, number>;

// An order's net (total − refunded) in the reporting currency, or null for
// a currency without a rate. Rates are few, so a CASE over bound values
// beats a lookup per order.
export function netInReporting(currency: string, factors: Factors): SQL {
  const net = sql`(total - refunded)`;
  const others = Object.entries(factors).map(([code, factor]) => sql`when ${code} then cast(round(${net} * ${factor}) as integer)`);
  const otherwise = others.length ? sql`case currency ${sql.join(others, sql` `)} end` : sql`null`;
  return sql`(case when currency = ${currency} then ${net} else ${otherwise} end)`;
}

// A purchase: not deleted, not cancelled, and something kept after refunds;
// `of` names the orders table where a statement aliases it.
export const isPurchaseOf = (of: 'o' | '') => {
  const c = of ? `${of}.` : '';
  return sql.raw(`${c}deleted_at is null and ${c}status <> 'cancelled' and ${c}total - ${c}refunded > 0`);
};
export const isPurchase = isPurchaseOf('');

// The R×FM map as one CASE over the column r and `fm`, the folded F and M
// (by default from the columns f and m; score_cells holds it as fm).
export function segmentSql(fm: SQL = sql`((f + m + 1) / 2)`): SQL {
  const cells = SCORES.flatMap((fmScore) =>
    SCORES.map((r) => sql`when ${fm} = ${fmScore} and r = ${r} then ${RFM_GRID[fmScore][r - 1]}`),
  );
  return sql`(case ${sql.join(cells, sql` `)} end)`;
}
