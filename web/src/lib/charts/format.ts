import { humanize } from '$lib/format';

// Money arrives in minor units of a currency (functions/domain/commerce.ts).
const formats = new Map<string, Intl.NumberFormat>();
function formatOf(currency: string, compact: boolean) {
  const key = `${currency}:${compact}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: 'currency', currency, ...(compact ? { notation: 'compact', maximumFractionDigits: 1 } : {}) });
    formats.set(key, f);
  }
  return f;
}
const digits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

export const formatMoney = (minor: number, currency: string, compact = false) => formatOf(currency, compact).format(minor / 10 ** digits(currency));
export const majorUnits = (minor: number, currency: string) => minor / 10 ** digits(currency);
export const formatShare = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
export const formatCount = (n: number) => n.toLocaleString();

const MONTHS = Array.from({ length: 12 }, (_, i) => new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' }).format(Date.UTC(2000, i, 1)));
// 'YYYY-MM' as "Jan 2026"; a month of the year (1–12) as "Jan".
export const monthLabel = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
export const monthOfYearLabel = (month: number) => MONTHS[month - 1]!;

// Segment and tier names as people say them.
const NAMES: Record<string, string> = { cant_lose: "Can't lose them", vip: 'VIP', new_customers: 'New customers' };
export const segmentName = (segment: string | null) => (segment === null ? 'First scored' : (NAMES[segment] ?? humanize(segment)));
