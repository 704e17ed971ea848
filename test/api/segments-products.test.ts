import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderLines, orders } from '../../db/schema';
import { newId } from '../../functions/domain/ids';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { anOrder, aProduct } from '../fixtures/dashboard-data';
import { created } from '../fixtures/requests';

// The segment builder's "bought product X" over all time reads which
// products each customer bought (contact_product_purchases), kept by
// triggers on orders and order lines. These follow two customers' orders
// and lines through every kind of write, checking the kept rows against a
// computation from the orders and lines, and the condition against who
// bought what, worked out by hand.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Row = { productId: string; contactId: string; lines: number };

const fromScratch = (workspaceId: string) =>
  t.db.all<Row>(sql`
    select l.product_id as productId, o.contact_id as contactId, count(*) as lines
    from order_lines l join orders o on o.workspace_id = l.workspace_id and o.id = l.order_id
    where l.workspace_id = ${workspaceId} and o.status <> 'cancelled' and o.deleted_at is null and l.product_id is not null
    group by 1, 2 order by 1, 2`);

const kept = (workspaceId: string) =>
  t.db.all<Row>(sql`select product_id as productId, contact_id as contactId, lines from contact_product_purchases where workspace_id = ${workspaceId} order by 1, 2`);

async function aShop() {
  const m = await aMember(t.app);
  const contact = async (firstName: string) => (await created<any>(m.caller.post('/api/contacts', aContact({ firstName, lastName: 'Buyer' })))).id as string;
  const [ada, bea] = [await contact('Ada'), await contact('Bea')];
  const [tea, mug] = [await aProduct(t.db, m.workspaceId, { sku: 'TEA', name: 'Tea', category: 'Food' }), await aProduct(t.db, m.workspaceId, { sku: 'MUG', name: 'Mug', category: 'Kitchen' })];
  return { m, ada, bea, tea, mug, names: { [ada]: 'ada', [bea]: 'bea' } as Record<string, string> };
}

describe('bought a product over all time', () => {
  it('keeps who bought what through every write of an order or a line, as recomputed from them', async () => {
    const { m, ada, bea, tea, mug, names } = await aShop();
    const bought = async (field: 'orders.product' | 'orders.category', value: string[], operator = 'any_of') => {
      const definition = { type: 'group', op: 'and', children: [{ type: 'condition', field, operator, value }] };
      const res = await m.caller.post('/api/segments/preview', { definition });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return (res.json.contacts as { id: string }[]).map((c) => names[c.id]!).sort();
    };
    const check = async (teaBuyers: string[], mugBuyers: string[]) => {
      expect(await kept(m.workspaceId)).toEqual(await fromScratch(m.workspaceId));
      expect(await bought('orders.product', [tea])).toEqual(teaBuyers);
      expect(await bought('orders.category', ['kitchen'])).toEqual(mugBuyers);
      expect(await bought('orders.product', [tea], 'none_of')).toEqual(['ada', 'bea'].filter((n) => !teaBuyers.includes(n)));
    };
    const setOrder = (id: string, values: Partial<typeof orders.$inferInsert>) => t.db.update(orders).set(values).where(and(eq(orders.workspaceId, m.workspaceId), eq(orders.id, id)));
    const setLine = (id: string, values: Partial<typeof orderLines.$inferInsert>) => t.db.update(orderLines).set(values).where(and(eq(orderLines.workspaceId, m.workspaceId), eq(orderLines.id, id)));
    const lineOf = async (orderId: string, productId: string) =>
      (await t.db.select({ id: orderLines.id }).from(orderLines).where(and(eq(orderLines.orderId, orderId), eq(orderLines.productId, productId))))[0]!.id;

    // Ada: two teas and a mug in one order, a tea in another.
    const first = await anOrder(t.db, m.workspaceId, { contactId: ada, at: '2026-01-10T10:00:00Z', total: 3000, lines: [{ productId: tea, quantity: 1, unitPrice: 1000 }, { productId: tea, quantity: 1, unitPrice: 1000 }, { productId: mug, quantity: 1, unitPrice: 1000 }] });
    const second = await anOrder(t.db, m.workspaceId, { contactId: ada, at: '2026-02-10T10:00:00Z', total: 1000, lines: [{ productId: tea, quantity: 1, unitPrice: 1000 }] });
    // Neither a cancelled order nor one in the trash is a purchase.
    await anOrder(t.db, m.workspaceId, { contactId: bea, at: '2026-02-10T10:00:00Z', total: 1000, status: 'cancelled', lines: [{ productId: tea, quantity: 1, unitPrice: 1000 }] });
    await anOrder(t.db, m.workspaceId, { contactId: bea, at: '2026-02-10T10:00:00Z', total: 1000, deleted: true, lines: [{ productId: mug, quantity: 1, unitPrice: 1000 }] });
    await check(['ada'], ['ada']);

    // A refund changes nothing; cancelling and the trash take the order's lines out.
    await setOrder(first, { refunded: 3000, status: 'refunded' });
    await check(['ada'], ['ada']);
    await setOrder(first, { status: 'cancelled' });
    await check(['ada'], []);
    await setOrder(second, { deletedAt: t.clock.now });
    await check([], []);
    await setOrder(second, { deletedAt: null });
    await setOrder(first, { status: 'paid' });
    await check(['ada'], ['ada']);

    // The order moves to Bea, then a line of it to Ada's other order.
    await setOrder(first, { contactId: bea });
    await check(['ada', 'bea'], ['bea']);
    await setLine(await lineOf(first, mug), { orderId: second });
    await check(['ada', 'bea'], ['ada']);
    // A line changes product; one loses it; a line is erased.
    await setLine(await lineOf(second, tea), { productId: mug });
    await check(['bea'], ['ada']);
    await setLine(await lineOf(second, mug), { productId: null });
    await check(['bea'], ['ada']);
    await t.db.delete(orderLines).where(eq(orderLines.id, await lineOf(second, mug)));
    await check(['bea'], []);

    // Lines written before their order count once it comes.
    const early = newId('order');
    await t.db.insert(orderLines).values({ id: newId('orderLine'), workspaceId: m.workspaceId, orderId: early, position: 0, productId: mug, sku: null, name: 'line', quantity: 1, unitPrice: 1000, total: 1000 });
    await check(['bea'], []);
    await t.db.insert(orders).values({ id: early, workspaceId: m.workspaceId, contactId: ada, externalId: null, status: 'paid', orderedAt: 0, currency: 'USD', subtotal: 1000, discount: 0, shipping: 0, tax: 0, total: 1000, refunded: 0, note: null, createdAt: 0, updatedAt: 0, deletedAt: null });
    await check(['bea'], ['ada']);

    // Purged: an order before its lines, and lines before their order.
    await t.db.delete(orders).where(eq(orders.id, early));
    await check(['bea'], []);
    await t.db.delete(orderLines).where(eq(orderLines.orderId, early));
    await t.db.delete(orderLines).where(eq(orderLines.orderId, first));
    await check([], []);
    await t.db.delete(orders).where(eq(orders.id, first));
    await check([], []);
    expect(await kept(m.workspaceId)).toEqual([]);
  });
});
