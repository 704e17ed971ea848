// Products and orders: the words and rules the shop's data is held to.

// An order's life. Cancelled orders never count as purchases; a refunded
// order counts for what was kept (total less refunded), which for a full
// refund is nothing.
export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

// ISO 4217 codes are three capital letters; whether one exists is Intl's
// call, so a typo such as "USX" is refused rather than stored. Both
// answers are kept per code: making an Intl formatter costs tens of
// microseconds, and an import asks for every row.
const known = new Map<string, boolean>();
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  let answer = known.get(code);
  if (answer === undefined) {
    try {
      answer = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'none' }).of(code) !== undefined;
    } catch {
      answer = false;
    }
    known.set(code, answer);
  }
  return answer;
}

// Digits after the decimal point in a currency's minor unit (USD 2, JPY 0,
// KWD 3), so amounts are integers of the smallest unit.
const digitsOf = new Map<string, number>();
export function minorDigits(currency: string): number {
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsOf.set(currency, digits);
  }
  return digits;
}

// What a purchase is worth once refunds are taken off; nothing if cancelled.
export function netAmount(order: { status: OrderStatus; total: number; refunded: number }): number {
  if (order.status === 'cancelled') return 0;
  return Math.max(0, order.total - order.refunded);
}

// Minor units as major ones, plainly ("1299.00"): what a spreadsheet and
// parseMajorAmount read back.
export function formatMinor(units: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(units);
  const text = String(Math.abs(units)).padStart(digits + 1, '0');
  return `${units < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

// An amount as people and shops write it, in major units ("12.50",
// "1,299.00", "$ 1 299,50", "-0.5" refused), as integer minor units of
// `currency`. The last "." or "," followed by digits to the end is the
// decimal point when it has no more digits than the currency allows and a
// comma is not grouping thousands ("1,299" is 1299, "12,50" is 12.50).
// Null when the text is not such an amount or has more decimals than the
// currency has.
export function parseMajorAmount(text: string, currency: string): number | null {
  const bare = text.trim().replace(/^[^\d.,]*?(?=[\d.,])/u, '').replace(/[^\d.,]*$/u, '').replace(/[\s'\u00a0\u202f]/g, '');
  if (!/^\d[\d.,]*$/.test(bare) && !/^[.,]\d+$/.test(bare)) return null;
  if (text.trim().startsWith('-')) return null;
  const digits = minorDigits(currency);
  const last = Math.max(bare.lastIndexOf('.'), bare.lastIndexOf(','));
  let whole = bare;
  let fraction = '';
  if (last >= 0) {
    const tail = bare.slice(last + 1);
    const thousands = bare[last] === ',' && tail.length === 3 && !bare.includes('.');
    if (!thousands) {
      whole = bare.slice(0, last);
      fraction = tail;
    }
  }
  if (!/^\d*$/.test(fraction) || fraction.length > digits) return null;
  // Grouping marks must group by three.
  if (!/^(\d{1,3}([.,]\d{3})*|\d*)$/.test(whole)) return null;
  const units = Number(whole.replace(/[.,]/g, '') || '0') * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(units) ? units : null;
}
