import { describe, expect, it } from 'vitest';
import { planOrder, type Plan, type StoredOrder } from '../../functions/domain/order-plan';

// How an order's rows meet the order as stored (functions/domain/order-plan.ts).

const stored = (over: Partial<StoredOrder> = {}): StoredOrder => ({
  id: 'ord_1', contactId: 'con_1', status: 'paid', orderedAt: 0, currency: 'USD',
  subtotal: 1500, discount: 0, shipping: 500, tax: 0, total: 2000, refunded: 0,
  lines: [{ id: 'orl_1', position: 0, sku: 'MUG', name: 'Mug', quantity: 1, unit_price: 1500, total: 1500 }],
  ...over,
});

describe('planOrder', () => {
  it('adds a line of a new SKU after the stored ones and recounts a total that followed the lines', () => {
    const plan = planOrder({ externalId: '#1', lines: [{ sku: 'TEA', quantity: 2, unitPrice: '2.50' }] }, stored()) as Plan;
    expect(plan.lines).toEqual([{ id: null, position: 1, sku: 'TEA', name: null, quantity: 2, unitPrice: 250, total: 500, changed: true }]);
    expect(plan.header).toMatchObject({ subtotal: 2000, total: 2500, currency: 'USD' });
  });

  it('keeps a total the file gave on an earlier row, and replaces a line of the same SKU', () => {
    const plan = planOrder({ externalId: '#1', lines: [{ sku: 'MUG', quantity: 2, unitPrice: '15' }] }, stored({ total: 9999 })) as Plan;
    expect(plan.lines).toMatchObject([{ id: 'orl_1', position: 0, quantity: 2, total: 3000, changed: true }]);
    expect(plan.header).toMatchObject({ subtotal: 3000, total: 9999 });
  });

  it('drops the stored lines the rows do not name when they replace them, but not for rows without lines', () => {
    const two = stored({ subtotal: 2500, total: 3000, lines: [...stored().lines, { id: 'orl_2', position: 1, sku: 'TEA', name: 'Tea', quantity: 1, unit_price: 1000, total: 1000 }] });
    const plan = planOrder({ externalId: '#1', lines: [{ sku: 'TEA', quantity: 2, unitPrice: '10' }] }, two, { replace: true }) as Plan;
    expect(plan.dropped).toEqual(['orl_1']);
    expect(plan.header).toMatchObject({ subtotal: 2000, total: 2500 });
    expect(plan.changed).toBe(true);
    const headerOnly = planOrder({ externalId: '#1', status: 'fulfilled', lines: [] }, two, { replace: true }) as Plan;
    expect(headerOnly.dropped).toEqual([]);
    expect(headerOnly.header.subtotal).toBe(2500);
    expect((planOrder({ externalId: '#1', lines: [{ sku: 'TEA', quantity: 2, unitPrice: '10' }] }, two) as Plan).dropped).toEqual([]);
  });

  it('finds nothing changed in the rows the order was made from', () => {
    const plan = planOrder({ externalId: '#1', currency: 'USD', total: '20.00', lines: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPrice: '15.00' }] }, stored()) as Plan;
    expect(plan.changed).toBe(false);
  });

  it('gives back the whole total of a refunded order unless a refund is given', () => {
    expect((planOrder({ externalId: '#1', status: 'refunded', lines: [] }, stored()) as Plan).header.refunded).toBe(2000);
    expect((planOrder({ externalId: '#1', status: 'refunded', refunded: '5', lines: [] }, stored()) as Plan).header.refunded).toBe(500);
  });

  it('says why rows cannot be written', () => {
    expect(planOrder({ externalId: '#1', email: 'a@example.com', lines: [] }, undefined)).toMatch(/^Currency: required/);
    expect(planOrder({ externalId: '#1', currency: 'USD', lines: [] }, undefined)).toMatch(/^Customer email: required/);
    expect(planOrder({ externalId: '#1', refunded: '30', lines: [] }, stored())).toBe('Refunded: cannot be more than the total');
    expect(planOrder({ externalId: '#1', currency: 'JPY', email: 'a@example.com', lines: [{ name: 'Cup', quantity: 1, unitPrice: '1.5' }] }, undefined)).toBe('Line unit price: 1.5 is not an amount of JPY');
  });
});
