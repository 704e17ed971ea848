import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../db/schema';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { anOrder, keptTotals, totalsFromScratch } from '../fixtures/dashboard-data';
import { created } from '../fixtures/requests';

// The segment builder's conditions on purchases over all time read each
// customer's totals per currency (contact_purchase_totals), kept by
// triggers on orders. These follow one customer's orders through every
// kind of write, checking the kept totals against a computation from the
// orders and the conditions against figures worked out by hand. The
// clock is 2026-11-23.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
const where = (field: string, operator: string, value?: unknown) => ({ type: 'condition', field, operator, ...(value === undefined ? {} : { value }) });
const usd = (amount: number) => ({ amount, currency: 'USD' });

async function aCustomer() {
  const m = await aMember(t.app);
  const contact = async (firstName: string) => (await created<any>(m.caller.post('/api/contacts', aContact({ firstName, lastName: 'Buyer' })))).id as string;
  const [ada, bea] = [await contact('Ada'), await contact('Bea')];
  const order = (o: Omit<Parameters<typeof anOrder>[2], 'contactId'> & { contactId?: string }) => anOrder(t.db, m.workspaceId, { contactId: ada, ...o });
  // Ada: three USD orders worth 60.00 in all, one EUR order; Bea nothing.
  const o = {
    jan: await order({ at: '2026-01-10T10:00:00Z', total: 1000 }),
    mar: await order({ at: '2026-03-10T10:00:00Z', total: 2000 }),
    may: await order({ at: '2026-05-10T10:00:00Z', total: 3000 }),
    eur: await order({ at: '2026-02-10T10:00:00Z', total: 9000, currency: 'EUR' }),
  };
  return { m, ada, bea, o };
}

// Who of Ada and Bea a definition of one condition selects.
async function selected(m: Member, names: Record<string, string>, condition: unknown): Promise<string[]> {
  const res = await m.caller.post('/api/segments/preview', { definition: { type: 'group', op: 'and', children: [condition] } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return (res.json.contacts as { id: string }[]).map((c) => names[c.id]!).sort();
}

describe('purchase conditions over all time', () => {
  it('count orders across currencies, sum what was spent in one, and take the last purchase, following every kind of order write', async () => {
    const { m, ada, bea, o } = await aCustomer();
    const names = { [ada]: 'ada', [bea]: 'bea' };
    const set = (id: string, values: Partial<typeof orders.$inferInsert>) => t.db.update(orders).set(values).where(and(eq(orders.workspaceId, m.workspaceId), eq(orders.id, id)));
    const check = async (count: number, spentUsd: number, last: string) => {
      expect(await keptTotals(t.db, m.workspaceId)).toEqual(await totalsFromScratch(t.db, m.workspaceId));
      expect(await selected(m, names, where('orders.count', 'is', count))).toEqual(count === 0 ? ['ada', 'bea'] : ['ada']);
      expect(await selected(m, names, where('orders.count', 'gt', count))).toEqual([]);
      expect(await selected(m, names, where('orders.totalSpent', 'gte', usd(spentUsd)))).toEqual(spentUsd === 0 ? ['ada', 'bea'] : ['ada']);
      expect(await selected(m, names, where('orders.totalSpent', 'gt', usd(spentUsd)))).toEqual([]);
      expect(await selected(m, names, where('orders.lastPurchaseAt', 'between', [last, last]))).toEqual(['ada']);
      expect(await selected(m, names, where('orders.lastPurchaseAt', 'after', last))).toEqual([]);
      expect(await selected(m, names, where('orders.lastPurchaseAt', 'is_empty'))).toEqual(['bea']);
    };
    await check(4, 6000, '2026-05-10');
    // A refund: the amount, not the count.
    await set(o.may, { refunded: 1000 });
    await check(4, 5000, '2026-05-10');
    // Cancelling the last purchase: the one before becomes the last.
    await set(o.may, { status: 'cancelled' });
    await check(3, 3000, '2026-03-10');
    await set(o.may, { status: 'paid' });
    await check(4, 5000, '2026-05-10');
    // The trash and back.
    await set(o.mar, { deletedAt: t.clock.now });
    await check(3, 3000, '2026-05-10');
    await set(o.mar, { deletedAt: null });
    await check(4, 5000, '2026-05-10');
    // The last purchase moved earlier; another moved later.
    await set(o.may, { orderedAt: Date.parse('2026-01-01T00:00:00Z') });
    await check(4, 5000, '2026-03-10');
    await set(o.jan, { orderedAt: Date.parse('2026-06-01T00:00:00Z') });
    await check(4, 5000, '2026-06-01');
    // Another currency: the EUR order becomes USD, then leaves for Bea.
    await set(o.eur, { currency: 'USD' });
    await check(4, 14_000, '2026-06-01');
    await set(o.eur, { contactId: bea });
    expect(await keptTotals(t.db, m.workspaceId)).toEqual(await totalsFromScratch(t.db, m.workspaceId));
    expect(await selected(m, names, where('orders.totalSpent', 'gte', usd(9000)))).toEqual(['bea']);
    expect(await selected(m, names, where('orders.count', 'is', 1))).toEqual(['bea']);
    await set(o.eur, { contactId: ada });
    // Erased for good, down to no purchase at all.
    for (const id of [o.jan, o.mar, o.may]) await t.db.delete(orders).where(eq(orders.id, id));
    await check(1, 9000, '2026-02-10');
    await t.db.delete(orders).where(eq(orders.id, o.eur));
    expect(await keptTotals(t.db, m.workspaceId)).toEqual(await totalsFromScratch(t.db, m.workspaceId));
    expect(await selected(m, names, where('orders.count', 'is', 0))).toEqual(['ada', 'bea']);
    expect(await selected(m, names, where('orders.lastPurchaseAt', 'is_set'))).toEqual([]);
  });

  it('tells a count over all time from one over the last days', async () => {
    const { m, ada, bea } = await aCustomer();
    const names = { [ada]: 'ada', [bea]: 'bea' };
    // 2026-05-10 is 197 days before the clock; the others are older.
    expect(await selected(m, names, { ...where('orders.count', 'is', 1), days: 200 })).toEqual(['ada']);
    expect(await selected(m, names, { ...where('orders.count', 'lt', 1), days: 100 })).toEqual(['ada', 'bea']);
    expect(await selected(m, names, { ...where('orders.totalSpent', 'lte', usd(3000)), days: 200 })).toEqual(['ada', 'bea']);
    expect(await selected(m, names, where('orders.totalSpent', 'lte', usd(3000)))).toEqual(['bea']);
  });
});
