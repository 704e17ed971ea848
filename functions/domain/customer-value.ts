// How overdue a customer is against their own purchase rhythm, and what
// they may be worth: the per-customer rules of the nightly segmentation,
// kept here so the job's SQL and the words on the contact's record agree.

export const DAY_MS = 86_400_000;

// The gap a customer's purchases are measured against, and where it came
// from: their own rhythm (two purchases or more), the workspace's repeat
// customers (median), or the RFM window when nobody has bought twice yet.
export type GapBasis = 'own' | 'workspace' | 'window';

// 0 while the customer is within their usual gap; then it climbs towards
// 100 as the gap is overrun: 1 − e^−(overrun in gaps), so one gap overdue
// is 63 and two are 86. Gaps under a day count as a day.
export function churnRisk(recencyDays: number, gapDays: number): number {
  const ratio = recencyDays / Math.max(gapDays, 1);
  return Math.round(100 * (1 - Math.exp(-Math.max(0, ratio - 1))));
}

const days = (n: number) => {
  const whole = Math.max(1, Math.round(n));
  return `${whole} day${whole === 1 ? '' : 's'}`;
};
const ago = (n: number) => (n === 0 ? 'today' : `${days(n)} ago`);

// The churn score in words, for the contact's record.
export function churnWords(input: { lifetimeOrders: number; recencyDays: number; gapDays: number; basis: GapBasis }): string {
  const { lifetimeOrders, recencyDays, gapDays, basis } = input;
  if (basis === 'own' || lifetimeOrders > 1) {
    const times = recencyDays / Math.max(gapDays, 1);
    const pace = times <= 1 ? 'within the usual gap.' : `${times.toFixed(1)} times the usual gap.`;
    return `Buys about every ${days(gapDays)}; the last purchase was ${ago(recencyDays)}, ${pace}`;
  }
  const first = `One purchase so far, ${ago(recencyDays)}`;
  if (basis === 'workspace') return `${first}; repeat customers here come back within about ${days(gapDays)}.`;
  return `${first}; nobody has bought twice yet, so it is measured against the ${Math.round(gapDays)}-day window.`;
}

// Expected value of the next 12 months: average order × orders a year at
// the customer's rhythm × the chance they are still buying. A heuristic
// that reads well beside the churn score, not a BG/NBD or Pareto/NBD fit.
export function predictedValue(input: { lifetimeRevenue: number; lifetimeOrders: number; gapDays: number; churnRisk: number }): number {
  const { lifetimeRevenue, lifetimeOrders, gapDays, churnRisk: risk } = input;
  if (lifetimeOrders === 0) return 0;
  const aov = lifetimeRevenue / lifetimeOrders;
  return Math.round(aov * (365 / Math.max(gapDays, 1)) * (1 - risk / 100));
}

// The median of repeat customers' gaps (mean of the two middle ones for an
// even count), or undefined when nobody has bought twice.
export function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}
