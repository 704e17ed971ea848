import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, idempotencyKeys, orderLines, orders } from '../../db/schema';
import { orderPage, orderSchema } from '../../functions/schemas/orders';
import { CLAIM_ABANDONED_MS } from '../../functions/routes/idempotency';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { anOrder, aProduct } from '../fixtures/commerce';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

async function aCustomer() {
  const member = await aMember(t.app);
  const contact = await member.caller.post('/api/contacts', aContact());
  return { ...member, contactId: contact.json.id as string };
}

describe('POST /api/orders', () => {
  it('records a purchase, links lines to the catalogue by SKU and works out the total', async () => {
    const { caller, contactId } = await aCustomer();
    const tea = await caller.post('/api/products', aProduct({ sku: 'TEA-1', name: 'Green tea', price: 450 }));
    const res = await caller.post('/api/orders', {
      contactId,
      currency: 'USD',
      orderedAt: '2026-03-01T10:00:00+01:00',
      lines: [
        { sku: 'TEA-1', quantity: 3, unitPrice: 450 },
        { name: 'Gift wrap', quantity: 1, unitPrice: 200 },
      ],
      discount: 150,
      shipping: 500,
      tax: 100,
    });
    expect(res.status).toBe(201);
    const order = orderSchema.strict().parse(res.json);
    expect(order).toMatchObject({ contactId, status: 'paid', orderedAt: '2026-03-01T09:00:00.000Z', subtotal: 1550, total: 2000, refunded: 0 });
    expect(order.lines).toEqual([
      { productId: tea.json.id, sku: 'TEA-1', name: 'Green tea', quantity: 3, unitPrice: 450, total: 1350 },
      { productId: null, sku: null, name: 'Gift wrap', quantity: 1, unitPrice: 200, total: 200 },
    ]);
    expect(order.contactName).toMatch(/^Ada Lovelace/);
  });

  it('finds the customer by email ignoring case, or makes them once', async () => {
    const { caller } = await aMember(t.app);
    const known = await caller.post('/api/contacts', aContact({ emails: [{ address: 'kim@shop.example' }] }));
    const a = await caller.post('/api/orders', anOrder({ customer: { email: 'KIM@shop.example' } }));
    expect(a.json.contactId).toBe(known.json.id);
    const b = await caller.post('/api/orders', anOrder({ customer: { email: 'new@shop.example', firstName: 'Noor' } }));
    const c = await caller.post('/api/orders', anOrder({ customer: { email: 'New@Shop.example' } }));
    expect(b.json.contactId).toBe(c.json.contactId);
    const made = await caller.get(`/api/contacts/${b.json.contactId}`);
    expect(made.json).toMatchObject({ firstName: 'Noor', lifecycleStage: 'customer', emails: [{ address: 'new@shop.example' }] });
  });

  it('refuses a refund over the total, a missing customer and a second use of an external id, writing nothing', async () => {
    const { caller, contactId, workspaceId } = await aCustomer();
    const bad = [
      anOrder({ contactId, refunded: 5000 }),
      anOrder({ contactId, total: 100, refunded: 200 }),
      anOrder({ contactId: 'con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B' }),
      anOrder({}),
      anOrder({ contactId, lines: [] }),
      anOrder({ contactId, lines: [{ productId: 'prd_01JD5X9Q2M7R4T8V6W3Y0Z1A2B', quantity: 1, unitPrice: 1 }] }),
      anOrder({ contactId, currency: 'XYZ' }),
    ];
    for (const body of bad) {
      const res = await caller.post('/api/orders', body);
      expect([400, 422], JSON.stringify(body)).toContain(res.status);
    }
    expect((await caller.post('/api/orders', anOrder({ contactId, externalId: 'shop-1' }))).status).toBe(201);
    const again = await caller.post('/api/orders', anOrder({ contactId, externalId: 'shop-1' }));
    expect(again.status).toBe(409);
    const [row] = await t.db.select({ n: count() }).from(orders).where(eq(orders.workspaceId, workspaceId));
    expect(row!.n).toBe(1);
  });
});

describe('a refused order', () => {
  it('makes no customer from its email, alone or in a batch', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const badLine = [{ productId: 'prd_01JD5X9Q2M7R4T8V6W3Y0Z1A2B', quantity: 1, unitPrice: 1 }];
    expect((await caller.post('/api/orders', anOrder({ customer: { email: 'ghost@shop.example' }, lines: badLine }))).status).toBe(422);
    const batch = { orders: [anOrder({ externalId: 'G-1', customer: { email: 'ghost2@shop.example' } }), anOrder({ externalId: 'G-2', customer: { email: 'ghost3@shop.example' }, lines: badLine })] };
    expect((await caller.post('/api/orders/batch', batch)).status).toBe(422);
    const [people] = await t.db.select({ n: count() }).from(contacts).where(eq(contacts.workspaceId, workspaceId));
    expect(people!.n).toBe(0);
  });
});

describe('PATCH /api/orders/{id}', () => {
  it('replaces lines and recomputes the amounts, and marks a full refund', async () => {
    const { caller, contactId } = await aCustomer();
    const order = await caller.post('/api/orders', anOrder({ contactId, shipping: 300 }));
    const changed = await caller.patch(`/api/orders/${order.json.id}`, { lines: [{ name: 'Big box', quantity: 2, unitPrice: 2500 }] });
    expect(changed.json).toMatchObject({ subtotal: 5000, total: 5300, lines: [{ name: 'Big box', total: 5000 }] });
    const refunded = await caller.patch(`/api/orders/${order.json.id}`, { status: 'refunded' });
    expect(refunded.json).toMatchObject({ status: 'refunded', refunded: 5300 });
    expect((await caller.patch(`/api/orders/${order.json.id}`, { refunded: 9999 })).status).toBe(422);
  });
});

describe('POST /api/orders/batch', () => {
  const batch = (status = 'paid') => ({
    orders: [
      { externalId: 'W-1', customer: { email: 'ana@shop.example' }, currency: 'EUR', orderedAt: '2026-05-01T08:00:00Z', status, lines: [{ name: 'Boots', quantity: 1, unitPrice: 12000 }] },
      { externalId: 'W-2', customer: { email: 'ana@shop.example' }, currency: 'EUR', orderedAt: '2026-06-01T08:00:00Z', lines: [{ name: 'Laces', quantity: 2, unitPrice: 300 }] },
    ],
  });

  it('creates, then changes nothing when the same batch comes again, then updates what differs', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const first = await caller.post('/api/orders/batch', batch());
    expect(first.status).toBe(200);
    expect(first.json.data.map((r: { result: string }) => r.result)).toEqual(['created', 'created']);
    const again = await caller.post('/api/orders/batch', batch());
    expect(again.json.data).toEqual(first.json.data.map((r: object) => ({ ...r, result: 'unchanged' })));
    const refunded = await caller.post('/api/orders/batch', batch('refunded'));
    expect(refunded.json.data.map((r: { result: string }) => r.result)).toEqual(['updated', 'unchanged']);
    const rows = await t.db.select().from(orders).where(eq(orders.workspaceId, workspaceId));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.externalId === 'W-1')).toMatchObject({ status: 'refunded', total: 12000, refunded: 12000 });
    const [lines] = await t.db.select({ n: count() }).from(orderLines).where(eq(orderLines.workspaceId, workspaceId));
    expect(lines!.n).toBe(2);
    const [people] = await t.db.select({ n: count() }).from(contacts).where(eq(contacts.workspaceId, workspaceId));
    expect(people!.n).toBe(1);
  });

  it('answers two identical batches sent at once with one set of orders', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    await caller.post('/api/contacts', aContact({ emails: [{ address: 'ana@shop.example' }] }));
    const results = await Promise.all([caller.post('/api/orders/batch', batch()), caller.post('/api/orders/batch', batch())]);
    for (const res of results) expect([200, 409]).toContain(res.status);
    const rows = await t.db.select().from(orders).where(eq(orders.workspaceId, workspaceId));
    expect(rows.map((r) => r.externalId).sort()).toEqual(['W-1', 'W-2']);
    const [lines] = await t.db.select({ n: count() }).from(orderLines).where(eq(orderLines.workspaceId, workspaceId));
    expect(lines!.n).toBe(2);
  });

  it('refuses a batch that names an external id twice', async () => {
    const { caller } = await aMember(t.app);
    const body = batch();
    body.orders[1]!.externalId = 'W-1';
    expect((await caller.post('/api/orders/batch', body)).status).toBe(400);
  });
});

describe('GET /api/orders', () => {
  it("filters by status, customer and UTC days, newest first, and pages", async () => {
    const { caller, contactId } = await aCustomer();
    const other = await caller.post('/api/contacts', aContact());
    const days = ['2026-01-01T00:00:00Z', '2026-01-31T23:59:59Z', '2026-02-01T00:00:00Z', '2026-02-15T12:00:00Z'];
    for (const [i, orderedAt] of days.entries()) {
      await caller.post('/api/orders', anOrder({ contactId: i === 3 ? other.json.id : contactId, orderedAt, status: i === 1 ? 'cancelled' : 'paid' }));
    }
    const january = await caller.get('/api/orders?from=2026-01-01&to=2026-01-31');
    expect(january.json.data.map((o: { orderedAt: string }) => o.orderedAt)).toEqual(['2026-01-31T23:59:59.000Z', '2026-01-01T00:00:00.000Z']);
    expect((await caller.get('/api/orders?status=cancelled')).json.data).toHaveLength(1);
    expect((await caller.get(`/api/orders?contactId=${contactId}`)).json.data).toHaveLength(3);
    const first = await caller.get('/api/orders?limit=3');
    orderPage.strict().parse(first.json);
    const second = await caller.get(`/api/orders?limit=3&cursor=${first.json.nextCursor}`);
    expect([...first.json.data, ...second.json.data].map((o: { orderedAt: string }) => o.orderedAt)).toEqual([...days].reverse().map((d) => new Date(d).toISOString()));
  });
});

describe('DELETE /api/orders/{id}', () => {
  it('moves the order to the trash and restore brings it back', async () => {
    const { caller, contactId } = await aCustomer();
    const order = await caller.post('/api/orders', anOrder({ contactId }));
    expect((await caller.delete(`/api/orders/${order.json.id}`)).status).toBe(204);
    expect((await caller.get('/api/orders')).json.data).toEqual([]);
    expect((await caller.patch(`/api/orders/${order.json.id}`, { note: 'x' })).status).toBe(404);
    const restored = await caller.post(`/api/orders/${order.json.id}/restore`);
    expect(restored.json).toMatchObject({ id: order.json.id, deletedAt: null });
  });
});

describe('Idempotency-Key on creates', () => {
  it('answers a retry with the first result and makes one order', async () => {
    const { caller, contactId, workspaceId } = await aCustomer();
    const body = anOrder({ contactId });
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await caller.request('POST', '/api/orders', { body, headers });
    const second = await caller.request('POST', '/api/orders', { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const [row] = await t.db.select({ n: count() }).from(orders).where(eq(orders.workspaceId, workspaceId));
    expect(row!.n).toBe(1);
  });

  it('refuses the key with another request, and lets a refused request be corrected under it', async () => {
    const { caller, contactId } = await aCustomer();
    const headers = { 'idempotency-key': 'retry-2' };
    await caller.request('POST', '/api/orders', { body: anOrder({ contactId }), headers });
    const other = await caller.request('POST', '/api/orders', { body: anOrder({ contactId, note: 'different' }), headers });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('idempotency_key_reused');
    const fix = { 'idempotency-key': 'retry-3' };
    expect((await caller.request('POST', '/api/orders', { body: anOrder({ contactId, refunded: 99_999 }), headers: fix })).status).toBe(422);
    expect((await caller.request('POST', '/api/orders', { body: anOrder({ contactId }), headers: fix })).status).toBe(201);
  });

  it('keeps keys per workspace and works on every create, contacts too', async () => {
    const a = await aMember(t.app);
    const b = await aMember(t.app);
    const headers = { 'idempotency-key': 'shared-key' };
    const body = aContact({ emails: [] });
    const first = await a.caller.request('POST', '/api/contacts', { body, headers });
    const other = await b.caller.request('POST', '/api/contacts', { body, headers });
    expect(other.status).toBe(201);
    expect(other.json.id).not.toBe(first.json.id);
    expect((await a.caller.request('POST', '/api/contacts', { body, headers })).json.id).toBe(first.json.id);
  });

  it('answers 409 while the first request with the key is still running, and lets an abandoned claim be taken over', async () => {
    const { caller, contactId, workspaceId } = await aCustomer();
    const body = anOrder({ contactId });
    const headers = { 'idempotency-key': 'in-flight' };
    const first = await caller.request('POST', '/api/orders', { body, headers });
    expect(first.status).toBe(201);
    // As the first request's row looks while it is still being handled.
    const inFlight = and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, 'in-flight'));
    await t.db.update(idempotencyKeys).set({ status: null, body: null, createdAt: t.clock.now }).where(inFlight);
    const busy = await caller.request('POST', '/api/orders', { body, headers });
    expect(busy.status).toBe(409);
    expect(busy.json.error.code).toBe('idempotency_key_in_use');
    expect((await caller.request('POST', '/api/orders', { body: anOrder({ contactId, note: 'other' }), headers })).status).toBe(422);

    t.clock.now += CLAIM_ABANDONED_MS + 1;
    expect((await caller.request('POST', '/api/orders', { body: anOrder({ contactId, note: 'other' }), headers })).status).toBe(422);
    const retried = await caller.request('POST', '/api/orders', { body, headers });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await caller.request('POST', '/api/orders', { body, headers });
    expect(replayed.json.id).toBe(retried.json.id);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('makes one order when two requests with one key race', async () => {
    const { caller, contactId, workspaceId } = await aCustomer();
    const body = anOrder({ contactId });
    const headers = { 'idempotency-key': 'race' };
    const answers = await Promise.all([1, 2, 3].map(() => caller.request('POST', '/api/orders', { body, headers })));
    expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.json.error.code === 'idempotency_key_in_use'))).toBe(true);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => a.json.id)).size).toBe(1);
    const [row] = await t.db.select({ n: count() }).from(orders).where(eq(orders.workspaceId, workspaceId));
    expect(row!.n).toBe(1);
  });

  it('refuses a key that is not visible ASCII', async () => {
    const { caller, contactId } = await aCustomer();
    const res = await caller.request('POST', '/api/orders', { body: anOrder({ contactId }), headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(res.status).toBe(400);
  });
});
