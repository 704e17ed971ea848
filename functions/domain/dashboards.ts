// The dashboards' rules with no I/O: periods of calendar months, the RFM
// grid's cells, the segments counted as "at risk" and currency conversion.
import { minorDigits } from './commerce';
import { fmScore, RFM_GRID, type RfmSegment, type Score } from './rfm';

// A period is a run of whole UTC calendar months, 'YYYY-MM', both ends
// included: the totals behind the charts are kept per month
// (db/schema/analytics.ts), so a month-grained period is answered exactly.
export type Period = { from: string; to: string };

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
// Ten years: more months than any chart can show, and a bound on the work.
export const MAX_PERIOD_MONTHS = 120;

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
const monthOfIndex = (index: number) => `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
export const addMonths = (month: string, n: number) => monthOfIndex(monthIndex(month) + n);
export const monthSpan = (p: Period) => monthIndex(p.to) - monthIndex(p.from) + 1;

// Every month of the period in order, so a month without orders is a zero
// in the chart rather than a gap.
export function monthsOf(p: Period): string[] {
  return Array.from({ length: Math.max(0, monthSpan(p)) }, (_, i) => addMonths(p.from, i));
}

export const monthStartMs = (month: string) => Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);

// The last twelve months, this one included.
export function defaultPeriod(now: number): Period {
  const to = monthOf(now);
  return { from: addMonths(to, -11), to };
}

// A cell of the R×FM map (domain/rfm.ts, the one the segmentation sorts
// customers by) and its segment.
export const fmOf = fmScore;
export const segmentOfCell = (r: number, fm: number): RfmSegment => RFM_GRID[fm as Score][r - 1]!;

// Customers who bought well and are slipping away: worth a call before
// they are Lost or Hibernating.
export const AT_RISK_SEGMENTS = ['cant_lose', 'at_risk', 'about_to_sleep'] as const satisfies readonly RfmSegment[];

// An amount in minor units of `currency` in minor units of `reporting`,
// given what one unit of `currency` is worth in `reporting` (an
// exchange_rates row); null when there is no rate, so the caller leaves it
// out of revenue rather than counting it at par.
export function convertMinor(amount: number, currency: string, reporting: string, rate: number | undefined): number | null {
  if (currency === reporting) return amount;
  if (rate === undefined) return null;
  return Math.round((amount / 10 ** digitsOf(currency)) * rate * 10 ** digitsOf(reporting));
}

// minorDigits builds an Intl.NumberFormat, ~70 µs: a dashboard converts
// hundreds of amounts per request, in a handful of currencies.
const DIGITS = new Map<string, number>();
function digitsOf(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) DIGITS.set(currency, (digits = minorDigits(currency)));
  return digits;
}

// A part of a whole as a fraction, 0 when the whole is nothing.
export const shareOf = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
