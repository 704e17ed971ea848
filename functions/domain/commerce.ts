// Products and orders: the words and rules the shop's data is held to.

// An order's life. Cancelled orders never count as purchases; a refunded
// order counts for what was kept (total less refunded), which for a full
// refund is nothing.
export const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

// ISO 4217 codes are three capital letters; whether one exists is Intl's
// call, so a typo such as "USX" is refused rather than stored.
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    const names = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'none' });
    return names.of(code) !== undefined;
  } catch {
    return false;
  }
}

// Digits after the decimal point in a currency's minor unit (USD 2, JPY 0,
// KWD 3), so amounts are integers of the smallest unit.
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

// What a purchase is worth once refunds are taken off; nothing if cancelled.
export function netAmount(order: { status: OrderStatus; total: number; refunded: number }): number {
  if (order.status === 'cancelled') return 0;
  return Math.max(0, order.total - order.refunded);
}
