import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productPage, productSchema } from '../../functions/schemas/products';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { aProduct } from '../fixtures/commerce';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('POST /api/products', () => {
  it('adds a product with its price in minor units and answers the API shape', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/products', aProduct({ sku: 'MUG-1', name: 'Mug', category: 'Kitchen', price: 1250, currency: 'eur' }));
    expect(res.status).toBe(201);
    expect(productSchema.strict().parse(res.json)).toMatchObject({ sku: 'MUG-1', name: 'Mug', category: 'Kitchen', price: 1250, currency: 'EUR', active: true });
    expect(res.json.id).toMatch(/^prd_/);
  });

  it('refuses a SKU the workspace already has, in the trash too, and writes nothing', async () => {
    const { caller } = await aMember(t.app);
    const first = await caller.post('/api/products', aProduct({ sku: 'DUP-1' }));
    expect((await caller.post('/api/products', aProduct({ sku: 'DUP-1' }))).status).toBe(409);
    await caller.delete(`/api/products/${first.json.id}`);
    expect((await caller.post('/api/products', aProduct({ sku: 'DUP-1' }))).status).toBe(409);
    const list = await caller.get('/api/products?deleted=true');
    expect(list.json.data).toHaveLength(1);
  });

  it('refuses an unknown currency, a fractional price and a SKU with spaces', async () => {
    const { caller } = await aMember(t.app);
    for (const bad of [{ currency: 'USX' }, { price: 12.5 }, { price: -1 }, { sku: 'A B' }]) {
      const res = await caller.post('/api/products', aProduct(bad));
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await caller.get('/api/products')).json.data).toEqual([]);
  });
});

describe('PATCH /api/products/{id}', () => {
  it("changes what is sent, refuses another product's SKU and audits the change", async () => {
    const { caller } = await aMember(t.app);
    const a = await caller.post('/api/products', aProduct({ sku: 'A-1' }));
    await caller.post('/api/products', aProduct({ sku: 'B-1' }));
    const res = await caller.patch(`/api/products/${a.json.id}`, { price: 2500, active: false });
    expect(res.json).toMatchObject({ sku: 'A-1', price: 2500, active: false });
    expect((await caller.patch(`/api/products/${a.json.id}`, { sku: 'B-1' })).status).toBe(409);
    expect((await caller.get(`/api/products/${a.json.id}`)).json.sku).toBe('A-1');
  });
});

describe('GET /api/products', () => {
  it('filters by text, category and being on sale, and pages by price', async () => {
    const { caller } = await aMember(t.app);
    for (let i = 0; i < 7; i++) {
      await caller.post('/api/products', aProduct({ name: `Tea ${i}`, price: 100 * (7 - i), category: i % 2 ? 'Tea' : 'Gifts', active: i !== 3 }));
    }
    expect((await caller.get('/api/products?q=tea 1')).json.data.map((p: { name: string }) => p.name)).toEqual(['Tea 1']);
    expect((await caller.get('/api/products?category=Tea')).json.data).toHaveLength(3);
    expect((await caller.get('/api/products?active=false')).json.data.map((p: { name: string }) => p.name)).toEqual(['Tea 3']);
    const first = await caller.get('/api/products?sort=price&limit=4');
    productPage.strict().parse(first.json);
    const second = await caller.get(`/api/products?sort=price&limit=4&cursor=${first.json.nextCursor}`);
    const prices = [...first.json.data, ...second.json.data].map((p: { price: number }) => p.price);
    expect(prices).toEqual([100, 200, 300, 400, 500, 600, 700]);
    expect(second.json.nextCursor).toBeNull();
    expect((await caller.get('/api/products/count?category=Gifts')).json).toEqual({ count: 4, capped: false });
  });
});

describe('POST /api/products/bulk', () => {
  it('takes products off sale by filter, and only those', async () => {
    const { caller } = await aMember(t.app);
    await caller.post('/api/products', aProduct({ category: 'Old' }));
    await caller.post('/api/products', aProduct({ category: 'Old' }));
    const kept = await caller.post('/api/products', aProduct({ category: 'New' }));
    const res = await caller.post('/api/products/bulk', { selection: { filter: { category: ['Old'] } }, action: { type: 'setActive', active: false } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'done', changed: 2 });
    expect((await caller.get('/api/products?active=false')).json.data).toHaveLength(2);
    expect((await caller.get(`/api/products/${kept.json.id}`)).json.active).toBe(true);
  });

  it('refuses actions products do not have', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/products/bulk', { selection: { filter: {} }, action: { type: 'addTags', tags: ['x'] } });
    expect(res.status).toBe(400);
  });
});

describe('POST /api/products/{id}/purge', () => {
  it('erases the product while the orders that sold it keep their lines', async () => {
    const { caller } = await aMember(t.app);
    const product = await caller.post('/api/products', aProduct({ sku: 'GONE-1', name: 'Gone' }));
    const contact = await caller.post('/api/contacts', aContact());
    const order = await caller.post('/api/orders', { contactId: contact.json.id, currency: 'USD', lines: [{ sku: 'GONE-1', quantity: 2, unitPrice: 500 }] });
    expect(order.json.lines[0]).toMatchObject({ productId: product.json.id, name: 'Gone' });
    expect((await caller.post(`/api/products/${product.json.id}/purge`)).status).toBe(204);
    expect((await caller.get(`/api/products/${product.json.id}`)).status).toBe(404);
    expect((await caller.get(`/api/orders/${order.json.id}`)).json.lines[0]).toMatchObject({ productId: null, sku: 'GONE-1', name: 'Gone', total: 1000 });
  });
});
