import { describe, expect, it } from 'vitest';
import { draftTotals, linesOf, type LineDraft } from '../../../web/src/lib/order-draft';

const line = (over: Partial<LineDraft>): LineDraft => ({ productId: null, sku: null, name: 'Mug', quantity: '1', unitPrice: '', ...over });
const none = { discount: '', shipping: '', tax: '' };

describe('the new order form', () => {
  it('totals the lines as typed, less discount plus shipping and tax, in minor units', () => {
    const lines = [line({ quantity: '3', unitPrice: '12.50' }), line({ quantity: '1', unitPrice: '0.29' })];
    expect(draftTotals(lines, none, 'USD')).toEqual({ subtotal: 3779, discount: 0, shipping: 0, tax: 0, total: 3779 });
    expect(draftTotals(lines, { discount: '5', shipping: '4.90', tax: '1' }, 'USD').total).toBe(3779 - 500 + 490 + 100);
    expect(draftTotals([line({ quantity: '2', unitPrice: '1200' })], none, 'JPY').total).toBe(2400);
  });

  it('shows no total while something typed is not an amount', () => {
    expect(draftTotals([line({ unitPrice: 'twelve' })], none, 'USD').total).toBeNull();
    expect(draftTotals([line({ unitPrice: '1', quantity: '1.5' })], none, 'USD').total).toBeNull();
    expect(draftTotals([line({ unitPrice: '1' })], { ...none, tax: 'x' }, 'USD').total).toBeNull();
  });

  it('sends a catalogue line by its product and a typed one by its name', () => {
    expect(linesOf([line({ productId: 'prd_1', name: 'SKU-1 — Mug', quantity: '2', unitPrice: '3' })], 'EUR')).toEqual({
      lines: [{ productId: 'prd_1', quantity: 2, unitPrice: 300 }],
    });
    expect(linesOf([line({ name: ' Gift wrap ', unitPrice: '1.5' })], 'EUR')).toEqual({ lines: [{ name: 'Gift wrap', quantity: 1, unitPrice: 150 }] });
  });

  it('says which line is not complete', () => {
    expect(linesOf([line({ name: '', unitPrice: '1' })], 'USD').problem).toMatch(/pick a product/);
    expect(linesOf([line({ unitPrice: '1' }), line({ quantity: '0', unitPrice: '1' })], 'USD').problem).toMatch(/^Line 2: the quantity/);
    expect(linesOf([line({ unitPrice: '' })], 'USD').problem).toMatch(/unit price/);
  });
});
