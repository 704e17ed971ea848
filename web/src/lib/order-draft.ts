// Relative import: test/unit/web imports this file under the root tsconfig.
import { parseMajor } from './fields/money';

// An order as its form holds it: amounts as typed, in major units.
export type LineDraft = { productId: string | null; sku: string | null; name: string; quantity: string; unitPrice: string };
export type ExtrasDraft = { discount: string; shipping: string; tax: string };

const quantityOf = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : null);
// An amount left empty is nothing; one that does not read is null.
const optional = (text: string, currency: string) => (text.trim() === '' ? 0 : parseMajor(text, currency));

// The totals as the server will make them (functions/services/orders/
// lines.ts): lines less discount plus shipping and tax; null while
// something typed does not read as a number.
export function draftTotals(lines: LineDraft[], extras: ExtrasDraft, currency: string) {
  let subtotal: number | null = 0;
  for (const line of lines) {
    const quantity = quantityOf(line.quantity);
    const price = parseMajor(line.unitPrice, currency);
    subtotal = subtotal === null || quantity === null || price === null ? null : subtotal + quantity * price;
  }
  const discount = optional(extras.discount, currency);
  const shipping = optional(extras.shipping, currency);
  const tax = optional(extras.tax, currency);
  const total = subtotal === null || discount === null || shipping === null || tax === null ? null : Math.max(0, subtotal - discount + shipping + tax);
  return { subtotal, discount, shipping, tax, total };
}

// The lines as the API takes them, or the first problem, in words.
export function linesOf(lines: LineDraft[], currency: string) {
  const out = [];
  for (const [i, line] of lines.entries()) {
    const quantity = quantityOf(line.quantity);
    const unitPrice = parseMajor(line.unitPrice, currency);
    const where = lines.length > 1 ? `Line ${i + 1}: ` : '';
    if (!line.productId && !line.name.trim()) return { problem: `${where}pick a product or type what was sold` };
    if (!quantity) return { problem: `${where}the quantity is a whole number of 1 or more` };
    if (unitPrice === null) return { problem: `${where}type the unit price as an amount in ${currency}` };
    out.push({
      ...(line.productId ? { productId: line.productId } : { name: line.name.trim(), ...(line.sku ? { sku: line.sku } : {}) }),
      quantity,
      unitPrice,
    });
  }
  return { lines: out };
}
