// Relative import: test/unit/web imports this file under the root tsconfig.
import { minorDigits } from '../../../../functions/domain/commerce';

// Money as the API holds it: integer minor units beside an ISO currency.
export type Money = { amount: number; currency: string };

export function asMoney(value: unknown): Money | null {
  if (!value || typeof value !== 'object') return null;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  return typeof amount === 'number' && Number.isInteger(amount) && typeof currency === 'string' ? { amount, currency } : null;
}

// "12.50" → 1250 for USD, "1200" → 1200 for JPY. People type major units;
// the arithmetic is done on the digits, never in floating point (0.29 * 100
// is 28.999…). A comma before the last two or three digits is read as a
// decimal point only where no point is typed ("12,5" in much of Europe);
// elsewhere commas and spaces group thousands. null: not an amount, or
// more decimals than the currency has.
export function parseMajor(text: string, currency: string): number | null {
  let typed = text.trim().replace(/[\s\u00a0']/g, '');
  if (!typed.includes('.') && /,\d{1,3}$/.test(typed) && !/^\d{1,3}(,\d{3})+$/.test(typed)) typed = typed.replace(',', '.');
  typed = typed.replace(/,/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(typed);
  if (!match) return null;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(match[1]! + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

// 1250 USD → "12.50": what the editor starts from (no symbol, no grouping,
// so it reads back through parseMajor unchanged).
export function formatMajor(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amount);
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  return `${amount < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

// 1250 USD → "$12.50" in the viewer's locale.
export function formatMoney(amount: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    formatters.set(currency, format);
  }
  return format.format(amount / 10 ** minorDigits(currency));
}
