import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contacts, orderMonthTotals, orders, productMonthTotals } from '../../db/schema';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { aProduct } from '../fixtures/commerce';
import { drainMaintenance } from '../fixtures/maintenance';
import { created } from '../fixtures/requests';

// CSV import of products and orders end to end. Steps are cut to three
// rows, so an order's rows land in several steps as they would in a
// 100k-row file.
vi.mock('../../functions/domain/imports', async (original) => ({ ...(await original<typeof import('../../functions/domain/imports')>()), ROWS_PER_STEP: 3 }));

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;

const drain = () => drainMaintenance(t);

async function importFile(m: Member, entity: 'order' | 'product', text: string, dedupe: 'update' | 'skip' = 'skip') {
  const made = await created(m.caller.post('/api/imports', { entity, filename: `${entity}s.csv` }));
  const res = await m.caller.request('PUT', `/api/imports/${made.id}/file`, { rawBody: text, headers: { 'content-type': 'text/csv' } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const start = await m.caller.post(`/api/imports/${made.id}/start`, { mapping: res.json.suggestedMapping, dedupe });
  expect(start.status, JSON.stringify(start.json)).toBe(202);
  await drain();
  return { ...(await m.caller.get(`/api/imports/${made.id}`)).json, mapping: res.json.suggestedMapping };
}

async function undo(m: Member, id: string) {
  expect((await m.caller.post(`/api/imports/${id}/undo`)).status).toBe(202);
  await drain();
  expect((await m.caller.get(`/api/imports/${id}`)).json.status).toBe('undone');
}

const orderOf = async (m: Member, externalId: string) => {
  const [row] = await t.db.select().from(orders).where(and(eq(orders.workspaceId, m.workspaceId), eq(orders.externalId, externalId)));
  return row ? (await m.caller.get(`/api/orders/${row.id}`)).json : undefined;
};

// Revenue as the dashboards' running totals hold it, and as the orders say.
async function revenue(m: Member) {
  const [kept] = await t.db.select({ orders: sql<number>`coalesce(sum(orders), 0)`, revenue: sql<number>`coalesce(sum(revenue), 0)` }).from(orderMonthTotals).where(eq(orderMonthTotals.workspaceId, m.workspaceId));
  const [counted] = await t.db
    .select({ orders: sql<number>`count(*)`, revenue: sql<number>`coalesce(sum(max(0, total - refunded)), 0)` })
    .from(orders)
    .where(and(eq(orders.workspaceId, m.workspaceId), sql`status <> 'cancelled' and deleted_at is null`));
  expect(kept).toEqual(counted);
  const [units] = await t.db.select({ units: sql<number>`coalesce(sum(units), 0)` }).from(productMonthTotals).where(eq(productMonthTotals.workspaceId, m.workspaceId));
  return { ...kept!, units: units!.units };
}

const SHOPIFY_HEADER = 'Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Refunded Amount,Cancelled at';
const SHOPIFY = [
  SHOPIFY_HEADER,
  '#1001,Ada@Example.com,paid,2026-03-01 10:00:00 +0100,USD,35.00,5.00,2.00,40.00,2.00,2026-03-01 10:00:00 +0100,1,Mug,15.00,MUG-1,Ada Lovelace,,',
  '#1001,ada@example.com,,,,,,,,,2026-03-01 10:00:00 +0100,2,Tea,10.00,TEA-1,,,',
  '#1002,ADA@EXAMPLE.COM,partially_refunded,2026-03-02 09:00:00 +0000,USD,15.00,5.00,0.00,20.00,0.00,2026-03-02 09:00:00 +0000,1,Mug,15.00,MUG-1,,5.00,',
  '#1003,grace@example.com,voided,,USD,12.00,0.00,0.00,12.00,0.00,2026-03-03 09:00:00 +0000,1,Mug,12.00,MUG-1,Grace Hopper,,2026-03-03 10:00:00 +0000',
  '#1004,grace@example.com,paid,,USD,"1,299.00",0.00,0.00,"1,299.00",0.00,2026-03-04 09:00:00 +0000,1,Mystery box,"1,299.00",NOPE-9,,,',
  '#1005,not-an-email,paid,,USD,1.00,0,0,1.00,0,2026-03-04 09:00:00 +0000,1,Pin,1.00,PIN-1,,,',
  '#1006,alan@example.com,refunded,,USD,30.00,0,0,30.00,0,2026-03-05 09:00:00 +0000,3,Tea,10.00,TEA-1,Alan Turing,,',
  '#1007,alan@example.com,paid,,USD,,,,,,2026-03-06 09:00:00 +0000,1,Mug,15.00,MUG-1,,,',
  '#1007,alan@example.com,,,,,,,,,2026-03-06 09:00:00 +0000,1,Tea,10.00,TEA-1,,,',
  '#1007,alan@example.com,,,,,,,,,2026-03-06 09:00:00 +0000,1,Spoon,3.50,,,,',
  '#1007,alan@example.com,,,,,,,,,2026-03-06 09:00:00 +0000,2,Saucer,abc,SAU-1,,,',
].join('\n') + '\n';

describe('an import of a Shopify orders export', () => {
  it('maps its columns by itself', async () => {
    const m = await aMember(t.app);
    const made = await created(m.caller.post('/api/imports', { entity: 'order', filename: 'orders_export.csv' }));
    const res = await m.caller.request('PUT', `/api/imports/${made.id}/file`, { rawBody: SHOPIFY, headers: { 'content-type': 'text/csv' } });
    expect(res.json.suggestedMapping).toEqual([
      'externalId', 'email', 'status', null, 'currency', null, 'shipping', 'tax', 'total', 'discount', 'orderedAt',
      'lineQuantity', 'lineName', 'linePrice', 'lineSku', 'customerName', 'refunded', 'cancelledAt',
    ]);
  });

  it('makes one order per order number from its line rows, across steps, with customers made once per email', async () => {
    const m = await aMember(t.app);
    const mug = await created(m.caller.post('/api/products', aProduct({ sku: 'MUG-1', name: 'Mug' })));
    const result = await importFile(m, 'order', SHOPIFY);
    expect(result).toMatchObject({ status: 'done', processed: 11, created: 6, updated: 0, skipped: 0, rejected: 2 });

    const first = await orderOf(m, '#1001');
    expect(first).toMatchObject({ status: 'paid', currency: 'USD', subtotal: 3500, discount: 200, shipping: 500, tax: 200, total: 4000, refunded: 0, orderedAt: '2026-03-01T09:00:00.000Z' });
    expect(first.lines).toMatchObject([
      { sku: 'MUG-1', name: 'Mug', quantity: 1, unitPrice: 1500, productId: mug.id },
      { sku: 'TEA-1', name: 'Tea', quantity: 2, unitPrice: 1000, total: 2000, productId: null },
    ]);
    expect(await orderOf(m, '#1002')).toMatchObject({ status: 'paid', total: 2000, refunded: 500, contactId: first.contactId });
    expect(await orderOf(m, '#1003')).toMatchObject({ status: 'cancelled', total: 1200 });
    expect((await orderOf(m, '#1004')).lines).toMatchObject([{ sku: 'NOPE-9', name: 'Mystery box', unitPrice: 129900, productId: null }]);
    expect(await orderOf(m, '#1006')).toMatchObject({ status: 'refunded', total: 3000, refunded: 3000 });
    // No total in the file: the lines its three good rows brought (the
    // fourth, a bad price, is reported) make it, as the orders service does.
    const split = await orderOf(m, '#1007');
    expect(split).toMatchObject({ subtotal: 2850, total: 2850 });
    expect(split.lines.map((l: { name: string }) => l.name)).toEqual(['Mug', 'Tea', 'Spoon']);
    expect(await orderOf(m, '#1005')).toBeUndefined();

    const people = (await m.caller.get('/api/contacts?sort=name')).json.data;
    expect(people.map((c: { firstName: string; lastName: string; lifecycleStage: string }) => [c.firstName, c.lastName, c.lifecycleStage])).toEqual([
      ['Ada', 'Lovelace', 'customer'],
      ['Alan', 'Turing', 'customer'],
      ['Grace', 'Hopper', 'customer'],
    ]);

    const report = (await m.caller.get(`/api/imports/${result.id}/rejects`)).text;
    expect(report).toContain('7,Customer email: Invalid email address');
    expect(report).toContain('12,Line unit price: must be an amount such as 12.50');
    expect(await revenue(m)).toEqual({ orders: 6 - 1, revenue: 4000 + 1500 + 129900 + 0 + 2850, units: 1 + 1 + 1 });
  });

  it('finds customers by any of their emails ignoring case, and the same file again changes nothing, skipped or updated', async () => {
    const m = await aMember(t.app);
    const ada = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Augusta', emails: [{ address: 'other@example.com' }, { address: 'ADA@example.com' }] })));
    await importFile(m, 'order', SHOPIFY);
    expect((await orderOf(m, '#1001')).contactId).toBe(ada.id);
    const before = await revenue(m);
    const people = await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId));

    // #1007's rows span two steps; it is one order skipped.
    const skipped = await importFile(m, 'order', SHOPIFY, 'skip');
    expect(skipped).toMatchObject({ created: 0, updated: 0, skipped: 6, rejected: 2 });
    const updated = await importFile(m, 'order', SHOPIFY, 'update');
    expect(updated).toMatchObject({ created: 0, updated: 6, rejected: 2 });
    expect(await revenue(m)).toEqual(before);
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(people);
    expect((await orderOf(m, '#1007')).lines).toHaveLength(3);
  });

  it('under "update" changes an order the shop changed; under "skip" leaves orders that were there before', async () => {
    const m = await aMember(t.app);
    const batch = await m.caller.post('/api/orders/batch', {
      orders: [{ externalId: 'W-1', customer: { email: 'kim@example.com' }, currency: 'EUR', orderedAt: '2026-05-01T08:00:00Z', lines: [{ sku: 'BOOT', name: 'Boots', quantity: 1, unitPrice: 12000 }] }],
    });
    expect(batch.status).toBe(200);
    const file = 'Order ID,Order Date,Order Status,Order Currency,Billing Email,SKU,Item Name,Quantity,Item Cost,Order Total,Refunded Total\n' +
      'W-1,2026-05-01 08:00:00,wc-refunded,EUR,kim@example.com,BOOT,Boots,1,"120,00",,\n' +
      'W-1,2026-05-01 08:00:00,wc-refunded,EUR,kim@example.com,LACE,Laces,2,"3,00",,\n';
    expect(await importFile(m, 'order', file, 'skip')).toMatchObject({ created: 0, skipped: 1 });
    expect(await orderOf(m, 'W-1')).toMatchObject({ status: 'paid', total: 12000 });

    const result = await importFile(m, 'order', file, 'update');
    expect(result).toMatchObject({ created: 0, updated: 1 });
    const changed = await orderOf(m, 'W-1');
    expect(changed).toMatchObject({ status: 'refunded', subtotal: 12600, total: 12600, refunded: 12600 });
    expect(changed.lines.map((l: { sku: string }) => l.sku)).toEqual(['BOOT', 'LACE']);
    expect(await revenue(m)).toMatchObject({ orders: 1, revenue: 0 });

    await undo(m, result.id);
    const back = await orderOf(m, 'W-1');
    expect(back).toMatchObject({ status: 'paid', subtotal: 12000, total: 12000, refunded: 0, deletedAt: null });
    expect(back.lines).toMatchObject([{ sku: 'BOOT', quantity: 1, unitPrice: 12000 }]);
    expect(await revenue(m)).toMatchObject({ orders: 1, revenue: 12000 });
  });

  it('under "update" gives an order the lines the file names, dropping the others, and Undo puts them back', async () => {
    const m = await aMember(t.app);
    const batch = await m.caller.post('/api/orders/batch', {
      orders: [{
        externalId: 'W-2', customer: { email: 'lee@example.com' }, currency: 'EUR', orderedAt: '2026-05-01T08:00:00Z',
        lines: [{ sku: 'BOOT', name: 'Boots', quantity: 1, unitPrice: 12000 }, { sku: 'LACE', name: 'Laces', quantity: 2, unitPrice: 300 }, { sku: 'SOCK', name: 'Socks', quantity: 1, unitPrice: 900 }],
      }],
    });
    expect(batch.status).toBe(200);
    // Four rows: the steps of three rows split the order, and the second
    // step's row adds to what the first wrote.
    const file = 'Order ID,Order Date,Order Currency,Billing Email,SKU,Item Name,Quantity,Item Cost\n' +
      'W-2,2026-05-01 08:00:00,EUR,lee@example.com,LACE,Laces,3,"3,00"\n' +
      'W-3,2026-05-02 08:00:00,EUR,lee@example.com,CAP,Cap,1,"20,00"\n' +
      'W-3,2026-05-02 08:00:00,EUR,lee@example.com,PIN,Pin,1,"2,00"\n' +
      'W-2,2026-05-01 08:00:00,EUR,lee@example.com,BELT,Belt,1,"30,00"\n';
    const result = await importFile(m, 'order', file, 'update');
    expect(result).toMatchObject({ created: 1, updated: 1, rejected: 0 });
    const changed = await orderOf(m, 'W-2');
    expect(changed.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['LACE', 3], ['BELT', 1]]);
    expect(changed).toMatchObject({ subtotal: 900 + 3000, total: 900 + 3000 });
    expect(await revenue(m)).toMatchObject({ orders: 2, revenue: 3900 + 2200, units: 0 });

    await undo(m, result.id);
    const back = await orderOf(m, 'W-2');
    expect(back.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity])).toEqual([['BOOT', 1], ['LACE', 2], ['SOCK', 1]]);
    expect(back).toMatchObject({ subtotal: 13500, total: 13500 });
    expect(await revenue(m)).toMatchObject({ orders: 1, revenue: 13500 });
  });

  it('is undone: its orders and the customers it made go to the trash, and revenue with them', async () => {
    const m = await aMember(t.app);
    const ada = await created(m.caller.post('/api/contacts', aContact({ emails: [{ address: 'ada@example.com' }] })));
    const result = await importFile(m, 'order', SHOPIFY);
    expect(await revenue(m)).toMatchObject({ orders: 5 });
    await undo(m, result.id);
    expect(await revenue(m)).toEqual({ orders: 0, revenue: 0, units: 0 });
    const live = (await m.caller.get('/api/contacts')).json.data.map((c: { id: string }) => c.id);
    expect(live).toEqual([ada.id]);
    expect((await m.caller.get('/api/contacts?deleted=true')).json.data).toHaveLength(2);

    // The trash keeps its order numbers: "skip" says so, "update" brings the orders back.
    const again = await importFile(m, 'order', SHOPIFY, 'skip');
    expect(again).toMatchObject({ created: 0, rejected: 2 + 9 });
    expect((await m.caller.get(`/api/imports/${again.id}/rejects`)).text).toContain('Matches an order in the trash');
    const back = await importFile(m, 'order', SHOPIFY, 'update');
    expect(back).toMatchObject({ updated: 6 });
    expect(await revenue(m)).toMatchObject({ orders: 5 });
  });
});

describe('an import of products', () => {
  it('reads prices in major units and yes/no, matches on the SKU, skips or updates, and is undone', async () => {
    const m = await aMember(t.app);
    const old = await created(m.caller.post('/api/products', aProduct({ sku: 'MUG-1', name: 'Mug', price: 900, tags: ['old'] })));
    const file = 'Variant SKU,Title,Type,Variant Price,Currency,Published,Tags\n' +
      'MUG-1,Big mug,Kitchen,"1,299.00",usd,no,new\n' +
      'TEA-1,Tea,Food,4.5,EUR,yes,\n' +
      'BAD 1,Spaced,,1.00,USD,yes,\n' +
      'YEN-1,Yen thing,,1200,JPY,1,\n' +
      'FRAC-1,Too precise,,1.005,USD,1,\n';
    const skipped = await importFile(m, 'product', file, 'skip');
    expect(skipped.mapping).toEqual(['sku', 'name', 'category', 'price', 'currency', 'active', 'tags']);
    expect(skipped).toMatchObject({ created: 2, skipped: 1, rejected: 2 });
    expect((await m.caller.get(`/api/products/${old.id}`)).json).toMatchObject({ name: 'Mug', price: 900 });
    const list = (await m.caller.get('/api/products?sort=name')).json.data;
    expect(list.map((p: { sku: string; price: number; currency: string; active: boolean }) => [p.sku, p.price, p.currency, p.active])).toEqual([
      ['MUG-1', 900, 'USD', true],
      ['TEA-1', 450, 'EUR', true],
      ['YEN-1', 1200, 'JPY', true],
    ]);

    const updated = await importFile(m, 'product', file, 'update');
    expect(updated).toMatchObject({ created: 0, updated: 3, rejected: 2 });
    expect((await m.caller.get(`/api/products/${old.id}`)).json).toMatchObject({ name: 'Big mug', category: 'Kitchen', price: 129900, active: false, tags: ['old', 'new'] });
    await undo(m, updated.id);
    expect((await m.caller.get(`/api/products/${old.id}`)).json).toMatchObject({ name: 'Mug', price: 900, active: true, tags: ['old'] });
    await undo(m, skipped.id);
    expect((await m.caller.get('/api/products')).json.data.map((p: { sku: string }) => p.sku)).toEqual(['MUG-1']);
  });
});
