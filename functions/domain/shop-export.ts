import type { OrderStatus } from './commerce';

// What shops' order exports say, in our words. Shopify writes a financial
// status (paid, pending, authorized, partially_paid, partially_refunded,
// refunded, voided); WooCommerce an order status (completed, processing,
// on-hold, pending, failed, cancelled, refunded). A partial refund is a paid
// order with a refunded amount.
const STATUS_WORDS: Record<string, OrderStatus> = {
  paid: 'paid',
  completed: 'paid',
  complete: 'paid',
  processing: 'paid',
  partiallypaid: 'paid',
  partiallyrefunded: 'paid',
  pending: 'pending',
  authorized: 'pending',
  onhold: 'pending',
  unpaid: 'pending',
  refunded: 'refunded',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  voided: 'cancelled',
  failed: 'cancelled',
  fulfilled: 'fulfilled',
  shipped: 'fulfilled',
  delivered: 'fulfilled',
};

// The status a shop's word means, or undefined for a word we do not know.
export function orderStatusOf(word: string): OrderStatus | undefined {
  return STATUS_WORDS[word.toLowerCase().replace(/^wc-/, '').replace(/[^a-z]/g, '')];
}

// A shop's timestamp as epoch ms: ISO 8601, or "2026-11-30 10:15:00 +0100"
// as Shopify writes it, or a bare day; without a zone it is taken as UTC.
export function parseShopDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  const date = new Date(utc);
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (!zone || /^(Z|UTC)$/i.test(zone)) return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [zh, zm] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
  return utc - sign * (zh * 60 + zm) * 60_000;
}
