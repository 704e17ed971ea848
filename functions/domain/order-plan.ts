import { parseMajorAmount, type OrderStatus } from './commerce';

// What an order becomes once the rows a step has of it meet the order as
// stored (if it is): amounts read in the order's currency, the rows'
// lines put in place of the stored lines of the same SKU (else name) or
// added after them — or, when the rows `replace` the stored lines (the
// first rows of an update, which name every line the order now has), the
// stored lines they do not name dropped — and the amounts worked out as the orders service does
// (services/orders/lines.ts amountsOf): the charged total is the file's,
// else lines − discount + shipping + tax, unless the stored total was not
// that (a total the file gave on an earlier row stays).

export type LineRow = { sku?: string; name?: string; quantity: number; unitPrice: string };
export type OrderRow = {
  externalId: string;
  orderedAt?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  status?: OrderStatus;
  currency?: string;
  shipping?: string;
  tax?: string;
  discount?: string;
  total?: string;
  refunded?: string;
  lines: LineRow[];
};

type StoredLine = { id: string; position: number; sku: string | null; name: string; quantity: number; unit_price: number; total: number };
export type StoredOrder = {
  id: string;
  contactId: string;
  status: OrderStatus;
  orderedAt: number;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  refunded: number;
  lines: StoredLine[];
};

export type PlannedLine = { id: string | null; position: number; sku: string | null; name: string | null; quantity: number; unitPrice: number; total: number; changed: boolean };
export type Plan = {
  header: { status: OrderStatus; orderedAt: number | null; currency: string; subtotal: number; discount: number; shipping: number; tax: number; total: number; refunded: number };
  // The lines the rows bring: new (no id) or in place of a stored one.
  lines: PlannedLine[];
  // The ids of stored lines the rows drop.
  dropped: string[];
  changed: boolean;
};

const keyOf = (line: { sku?: string | null; name?: string | null }) => line.sku ?? line.name ?? '';
const follows = (o: StoredOrder) => o.total === Math.max(0, o.subtotal - o.discount + o.shipping + o.tax);

// A plan, or why the rows cannot be written (for the report).
export function planOrder(input: OrderRow, stored: StoredOrder | undefined, { replace = false } = {}): Plan | string {
  const currency = input.currency ?? stored?.currency;
  if (!currency) return 'Currency: required on the order’s first row';
  if (!stored && !input.email) return 'Customer email: required on the order’s first row';
  const problems: string[] = [];
  const read = (label: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const units = parseMajorAmount(text, currency);
    if (units === null) problems.push(`${label}: ${text} is not an amount of ${currency}`);
    return units ?? 0;
  };
  const byKey = new Map((stored?.lines ?? []).map((l) => [keyOf(l), l]));
  let next = Math.max(-1, ...(stored?.lines ?? []).map((l) => l.position)) + 1;
  const lines = input.lines.map((line): PlannedLine => {
    const unitPrice = read('Line unit price', line.unitPrice)!;
    const had = byKey.get(keyOf(line));
    const planned = { sku: line.sku ?? null, name: line.name ?? null, quantity: line.quantity, unitPrice, total: line.quantity * unitPrice };
    if (!had) return { id: null, position: next++, ...planned, changed: true };
    const changed = had.sku !== planned.sku || (planned.name !== null && had.name !== planned.name) || had.quantity !== line.quantity || had.unit_price !== unitPrice;
    byKey.delete(keyOf(line));
    return { id: had.id, position: had.position, ...planned, changed };
  });
  // Rows without lines (a file of order headers) leave the lines alone.
  const dropped = replace && input.lines.length ? [...byKey.values()] : [];
  const kept = dropped.length ? [] : [...byKey.values()];
  const subtotal = kept.reduce((sum, l) => sum + l.total, 0) + lines.reduce((sum, l) => sum + l.total, 0);
  const discount = read('Discount', input.discount) ?? stored?.discount ?? 0;
  const shipping = read('Shipping', input.shipping) ?? stored?.shipping ?? 0;
  const tax = read('Tax', input.tax) ?? stored?.tax ?? 0;
  const status = input.status ?? stored?.status ?? 'paid';
  const total = read('Total', input.total) ?? (!stored || follows(stored) ? Math.max(0, subtotal - discount + shipping + tax) : stored.total);
  const refunded = read('Refunded', input.refunded) ?? (status === 'refunded' ? total : (stored?.refunded ?? 0));
  if (problems.length) return problems.join('; ');
  if (refunded > total) return 'Refunded: cannot be more than the total';
  if (!Number.isSafeInteger(subtotal) || !Number.isSafeInteger(total)) return 'Total: too large';
  const header = { status, orderedAt: input.orderedAt ?? stored?.orderedAt ?? null, currency, subtotal, discount, shipping, tax, total, refunded };
  const changed =
    !stored ||
    dropped.length > 0 ||
    lines.some((l) => l.changed) ||
    (Object.keys(header) as (keyof typeof header)[]).some((k) => header[k] !== null && header[k] !== stored[k]);
  return { header, lines, dropped: dropped.map((l) => l.id), changed };
}
