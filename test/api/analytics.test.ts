import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerScores, orderLines, orders } from '../../db/schema';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { aProduct, anOrder, aRate, aRun, keptTotals, rebuildScoreSummaries, totalsFromScratch } from '../fixtures/dashboard-data';
import { anApiKey, created, expectErrorReply } from '../fixtures/requests';

// The dashboards' reads over small datasets whose answers are worked out by
// hand below. The clock is 2026-11-23, so the default period is
// 2025-12 … 2026-11.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;

// Three customers; USD is the reporting currency, EUR has a rate (1.1),
// GBP has none.
async function aShop() {
  const owner = await aMember(t.app);
  const ws = owner.workspaceId;
  const contact = async (firstName: string) => (await created(owner.caller.post('/api/contacts', aContact({ firstName, lastName: 'Shopper' })))).id as string;
  const [c1, c2, c3] = [await contact('Ada'), await contact('Bea'), await contact('Cy')];
  const p1 = await aProduct(t.db, ws, { sku: 'TEA', name: 'Green tea', category: 'Tea' });
  const p2 = await aProduct(t.db, ws, { sku: 'POT', name: 'Teapot', category: 'Ware' });
  await aRate(t.db, ws, 'EUR', 1.1);
  const o = {
    // January: 10,000 kept, plus a fully refunded order (counts, worth 0)
    // and a cancelled one (does not count).
    o1: await anOrder(t.db, ws, { contactId: c1, at: '2026-01-10T10:00:00Z', total: 10_000, lines: [{ productId: p1, quantity: 2, unitPrice: 3000 }, { productId: p2, quantity: 1, unitPrice: 4000 }] }),
    o2: await anOrder(t.db, ws, { contactId: c1, at: '2026-01-20T10:00:00Z', status: 'refunded', total: 5000, refunded: 5000, lines: [{ productId: p1, quantity: 1, unitPrice: 5000 }] }),
    o3: await anOrder(t.db, ws, { contactId: c2, at: '2026-01-15T10:00:00Z', status: 'cancelled', total: 7000, lines: [{ productId: p2, quantity: 7, unitPrice: 1000 }] }),
    // February: EUR 20.00 → USD 22.00; GBP without a rate.
    o4: await anOrder(t.db, ws, { contactId: c2, at: '2026-02-03T10:00:00Z', currency: 'EUR', total: 2000, lines: [{ productId: p2, quantity: 2, unitPrice: 1000 }] }),
    o5: await anOrder(t.db, ws, { contactId: c3, at: '2026-02-10T10:00:00Z', currency: 'GBP', total: 3000 }),
    // March: a quarter refunded, so its line keeps 6,000 of 8,000; an
    // order in the trash.
    o6: await anOrder(t.db, ws, { contactId: c3, at: '2026-03-05T10:00:00Z', total: 8000, refunded: 2000, lines: [{ productId: p1, quantity: 4, unitPrice: 2000 }] }),
    o7: await anOrder(t.db, ws, { contactId: c2, at: '2026-03-01T10:00:00Z', total: 9999, deleted: true, lines: [{ productId: p1, quantity: 9, unitPrice: 1111 }] }),
    // The last second of December 2025 (UTC).
    o8: await anOrder(t.db, ws, { contactId: c1, at: '2025-12-31T23:59:59Z', total: 1000 }),
  };
  return { owner, ws, c: { c1, c2, c3 }, p: { p1, p2 }, o };
}

const month = (res: { json: any }, m: string) => res.json.months.find((x: { month: string }) => x.month === m);

describe('GET /api/analytics/revenue', () => {
  it('sums revenue net of refunds per month, leaving out cancelled and trashed orders, converting currencies that have a rate', async () => {
    const { owner } = await aShop();
    const res = await owner.caller.get('/api/analytics/revenue?from=2026-01&to=2026-03');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toEqual({
      period: { from: '2026-01', to: '2026-03' },
      currency: 'USD',
      months: [
        { month: '2026-01', revenue: 10_000, orders: 2, customers: 1 },
        { month: '2026-02', revenue: 2200, orders: 2, customers: 2 },
        { month: '2026-03', revenue: 6000, orders: 1, customers: 1 },
      ],
      totals: { revenue: 18_200, orders: 5 },
      unconverted: [{ currency: 'GBP', orders: 1 }],
    });
  });

  it('defaults to the last twelve months, months without orders as zeros, and cuts at UTC month boundaries', async () => {
    const { owner } = await aShop();
    const res = await owner.caller.get('/api/analytics/revenue');
    expect(res.status).toBe(200);
    expect(res.json.period).toEqual({ from: '2025-12', to: '2026-11' });
    expect(res.json.months).toHaveLength(12);
    expect(month(res, '2025-12')).toEqual({ month: '2025-12', revenue: 1000, orders: 1, customers: 1 });
    expect(month(res, '2026-11')).toEqual({ month: '2026-11', revenue: 0, orders: 0, customers: 0 });
    const january = await owner.caller.get('/api/analytics/revenue?from=2026-01&to=2026-01');
    expect(january.json.totals).toEqual({ revenue: 10_000, orders: 2 });
  });

  it('follows every change to an order at once: refunds, cancelling, the trash, a new date, erasing', async () => {
    const { owner, ws, o } = await aShop();
    const set = (id: string, values: Partial<typeof orders.$inferInsert>) => t.db.update(orders).set(values).where(and(eq(orders.workspaceId, ws), eq(orders.id, id)));
    const q = () => owner.caller.get('/api/analytics/revenue?from=2026-01&to=2026-03');

    await set(o.o1, { refunded: 4000 });
    expect(month(await q(), '2026-01')).toMatchObject({ revenue: 6000, orders: 2, customers: 1 });
    await set(o.o6, { status: 'cancelled' });
    expect(month(await q(), '2026-03')).toEqual({ month: '2026-03', revenue: 0, orders: 0, customers: 0 });
    await set(o.o6, { status: 'paid' });
    await set(o.o7, { deletedAt: null });
    expect(month(await q(), '2026-03')).toEqual({ month: '2026-03', revenue: 15_999, orders: 2, customers: 2 });
    // Moved to March: February loses Bea, March had her already.
    await set(o.o4, { orderedAt: Date.parse('2026-03-20T00:00:00Z') });
    expect(month(await q(), '2026-02')).toEqual({ month: '2026-02', revenue: 0, orders: 1, customers: 1 });
    expect(month(await q(), '2026-03')).toEqual({ month: '2026-03', revenue: 15_999 + 2200, orders: 3, customers: 2 });
    await t.db.delete(orders).where(eq(orders.id, o.o7));
    expect(month(await q(), '2026-03')).toEqual({ month: '2026-03', revenue: 6000 + 2200, orders: 2, customers: 2 });
  });

  it('keeps totals equal to a computation from scratch after a run of mixed writes', async () => {
    const { ws, o, p } = await aShop();
    const set = (id: string, values: Partial<typeof orders.$inferInsert>) => t.db.update(orders).set(values).where(eq(orders.id, id));
    await set(o.o3, { status: 'paid' });
    await set(o.o2, { contactId: (await t.db.select().from(orders).where(eq(orders.id, o.o5)))[0]!.contactId });
    await set(o.o5, { currency: 'EUR', total: 4000 });
    await set(o.o1, { deletedAt: 1 });
    await set(o.o1, { deletedAt: null, refunded: 999 });
    await t.db.update(orderLines).set({ quantity: 5, total: 5000 }).where(eq(orderLines.orderId, o.o4));
    await t.db.update(orderLines).set({ productId: p.p1 }).where(eq(orderLines.orderId, o.o3));
    await t.db.delete(orderLines).where(eq(orderLines.orderId, o.o6));
    await t.db.delete(orders).where(eq(orders.id, o.o8));
    expect(await keptTotals(t.db, ws)).toEqual(await totalsFromScratch(t.db, ws));
  });
});

describe('GET /api/analytics/products', () => {
  it('ranks catalogue products by revenue net of their refund share, with units and months of the year', async () => {
    const { owner, p } = await aShop();
    const res = await owner.caller.get('/api/analytics/products?from=2026-01&to=2026-03');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const [tea, pot] = res.json.products;
    // Tea: 2 × 30.00 in January, 1 refunded in full, 4 at three quarters in March.
    expect(tea).toMatchObject({ productId: p.p1, name: 'Green tea', sku: 'TEA', category: 'Tea', units: 7, revenue: 12_000 });
    expect(tea.seasonality[0]).toEqual({ month: 1, units: 3, revenue: 6000 });
    expect(tea.seasonality[2]).toEqual({ month: 3, units: 4, revenue: 6000 });
    expect(tea.seasonality[1]).toEqual({ month: 2, units: 0, revenue: 0 });
    // Pot: 40.00 in January, EUR 20.00 in February (USD 22.00); the cancelled 7 not at all.
    expect(pot).toMatchObject({ productId: p.p2, units: 3, revenue: 6200 });
    expect(res.json.products).toHaveLength(2);
    const one = await owner.caller.get('/api/analytics/products?from=2026-01&to=2026-03&limit=1');
    expect(one.json.products.map((x: { productId: string }) => x.productId)).toEqual([p.p1]);
  });
});

// Scores as the segmentation would leave them: Ada a VIP champion, Bea
// main and at risk (moved there from loyal), Cy can't be lost, first
// scored in this run.
async function aScoredShop() {
  const shop = await aShop();
  const { c1, c2, c3 } = shop.c;
  await aRun(t.db, shop.ws, '2026-11-01T03:00:00Z', [], []);
  const runId = await aRun(
    t.db,
    shop.ws,
    '2026-11-22T03:00:00Z',
    [
      { contactId: c1, r: 5, f: 5, m: 5, segment: 'champions', tier: 'vip', revenue: 11_000, lifetimeRevenue: 11_000, lastOrderAt: '2026-01-20T10:00:00Z' },
      { contactId: c2, r: 1, f: 4, m: 4, segment: 'at_risk', tier: 'main', revenue: 2200, lifetimeRevenue: 2200, lastOrderAt: '2026-02-03T10:00:00Z', churnRisk: 80 },
      { contactId: c3, r: 1, f: 5, m: 4, segment: 'cant_lose', tier: 'ordinary', revenue: 6000, lifetimeRevenue: 9000, lastOrderAt: '2026-03-05T10:00:00Z', churnRisk: 95 },
    ],
    [
      { contactId: c1, from: 'champions', to: 'champions' },
      { contactId: c2, from: 'loyal', to: 'at_risk' },
      { contactId: c3, from: null, to: 'cant_lose' },
    ],
  );
  return { ...shop, runId };
}

describe('GET /api/analytics/rfm-grid', () => {
  it('counts customers and their revenue in each R×FM cell, naming each cell by its segment', async () => {
    const { owner, runId } = await aScoredShop();
    const res = await owner.caller.get('/api/analytics/rfm-grid');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.run).toMatchObject({ id: runId, asOf: '2026-11-22T03:00:00.000Z' });
    expect(res.json.period).toBeNull();
    expect(res.json.cells).toHaveLength(25);
    const cell = (r: number, fm: number) => res.json.cells.find((c: { r: number; fm: number }) => c.r === r && c.fm === fm);
    expect(cell(5, 5)).toEqual({ r: 5, fm: 5, segment: 'champions', customers: 1, revenue: 11_000 });
    // Cy's F 5, M 4 make FM (5 + 4 + 1) div 2 = 5; Bea's F 4, M 4 make 4.
    expect(cell(1, 5)).toEqual({ r: 1, fm: 5, segment: 'cant_lose', customers: 1, revenue: 6000 });
    expect(cell(1, 4)).toEqual({ r: 1, fm: 4, segment: 'at_risk', customers: 1, revenue: 2200 });
    expect(cell(1, 1)).toEqual({ r: 1, fm: 1, segment: 'lost', customers: 0, revenue: 0 });
    expect(res.json.totals).toEqual({ customers: 3, revenue: 19_200 });
  });

  it("follows the scores as the next run rewrites or removes them", async () => {
    const { owner, ws, c } = await aScoredShop();
    await aRun(t.db, ws, '2026-11-23T03:00:00Z', [
      { contactId: c.c1, r: 4, f: 5, m: 5, segment: 'champions', tier: 'vip', revenue: 12_000, lastOrderAt: '2026-01-20T10:00:00Z' },
      { contactId: c.c2, r: 1, f: 1, m: 1, segment: 'lost', tier: 'scattered', revenue: 100, lastOrderAt: '2026-02-03T10:00:00Z' },
    ]);
    await t.db.delete(customerScores).where(and(eq(customerScores.workspaceId, ws), eq(customerScores.contactId, c.c3)));
    await rebuildScoreSummaries(t.db, ws);
    const res = await owner.caller.get('/api/analytics/rfm-grid');
    const filled = res.json.cells.filter((x: { customers: number }) => x.customers > 0);
    expect(filled).toEqual([
      { r: 4, fm: 5, segment: 'champions', customers: 1, revenue: 12_000 },
      { r: 1, fm: 1, segment: 'lost', customers: 1, revenue: 100 },
    ]);
    const tiers = (await owner.caller.get('/api/analytics/tiers')).json.tiers;
    expect(tiers.map((x: { customers: number }) => x.customers)).toEqual([1, 0, 0, 1]);
  });

  it('with a period, counts only customers whose last purchase falls in it', async () => {
    const { owner } = await aScoredShop();
    const res = await owner.caller.get('/api/analytics/rfm-grid?from=2026-02&to=2026-03');
    expect(res.json.period).toEqual({ from: '2026-02', to: '2026-03' });
    expect(res.json.totals).toEqual({ customers: 2, revenue: 8200 });
  });
});

describe('GET /api/analytics/tiers', () => {
  it("gives each tier's customers and revenue with its share of both", async () => {
    const { owner } = await aScoredShop();
    const res = await owner.caller.get('/api/analytics/tiers');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.tiers).toEqual([
      { tier: 'vip', customers: 1, revenue: 11_000, customerShare: 1 / 3, revenueShare: 11_000 / 19_200 },
      { tier: 'main', customers: 1, revenue: 2200, customerShare: 1 / 3, revenueShare: 2200 / 19_200 },
      { tier: 'ordinary', customers: 1, revenue: 6000, customerShare: 1 / 3, revenueShare: 6000 / 19_200 },
      { tier: 'scattered', customers: 0, revenue: 0, customerShare: 0, revenueShare: 0 },
    ]);
  });
});

describe('GET /api/analytics/at-risk', () => {
  it('lists the slipping customers by lifetime value, paged by cursor', async () => {
    const { owner, c } = await aScoredShop();
    const first = await owner.caller.get('/api/analytics/at-risk?limit=1');
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json.data).toEqual([
      { contactId: c.c3, name: 'Cy Shopper', segment: 'cant_lose', churnRisk: 95, lifetimeRevenue: 9000, lastOrderAt: '2026-03-05T10:00:00.000Z' },
    ]);
    const second = await owner.caller.get(`/api/analytics/at-risk?limit=1&cursor=${encodeURIComponent(first.json.nextCursor)}`);
    expect(second.json.data.map((x: { contactId: string }) => x.contactId)).toEqual([c.c2]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('leaves out customers in the trash', async () => {
    const { owner, c } = await aScoredShop();
    await created(owner.caller.delete(`/api/contacts/${c.c3}`));
    const res = await owner.caller.get('/api/analytics/at-risk');
    expect(res.json.data.map((x: { contactId: string }) => x.contactId)).toEqual([c.c2]);
  });
});

describe('GET /api/analytics/movements', () => {
  it("counts the last run's moves between segments, first scorings from null, leaving out those who stayed", async () => {
    const { owner, runId } = await aScoredShop();
    const res = await owner.caller.get('/api/analytics/movements');
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.run.id).toBe(runId);
    expect(res.json.previousRun.asOf).toBe('2026-11-01T03:00:00.000Z');
    expect(res.json.moves).toEqual(
      expect.arrayContaining([
        { from: 'loyal', to: 'at_risk', customers: 1 },
        { from: null, to: 'cant_lose', customers: 1 },
      ]),
    );
    expect(res.json.moves).toHaveLength(2);
  });

  it('with a period, reads the last run in it', async () => {
    const { owner } = await aScoredShop();
    const res = await owner.caller.get('/api/analytics/movements?from=2026-01&to=2026-10');
    expect(res.json).toEqual({ run: null, previousRun: null, moves: [] });
  });
});

describe('a workspace with no orders and no run', () => {
  it('answers every dashboard with zeros and empty lists, not errors', async () => {
    const { caller } = await aMember(t.app);
    const revenue = await caller.get('/api/analytics/revenue');
    expect(revenue.json.totals).toEqual({ revenue: 0, orders: 0 });
    expect(revenue.json.months.every((m: { orders: number }) => m.orders === 0)).toBe(true);
    const grid = await caller.get('/api/analytics/rfm-grid');
    expect(grid.json).toMatchObject({ run: null, totals: { customers: 0, revenue: 0 } });
    expect((await caller.get('/api/analytics/tiers')).json.totals).toEqual({ customers: 0, revenue: 0 });
    expect((await caller.get('/api/analytics/at-risk')).json).toEqual({ currency: 'USD', data: [], nextCursor: null });
    expect((await caller.get('/api/analytics/products')).json.products).toEqual([]);
    expect((await caller.get('/api/analytics/movements')).json).toEqual({ run: null, previousRun: null, moves: [] });
  });
});

describe("another workspace's dashboards", () => {
  const ENDPOINTS = ['revenue', 'rfm-grid', 'tiers', 'at-risk', 'products', 'movements'];

  it("show nothing of A's orders, scores or runs, to B's owner or B's API key", async () => {
    const a = await aScoredShop();
    const b: Member = await aMember(t.app);
    const bKey = await anApiKey(t.app, b.caller, 'read');
    for (const caller of [b.caller, bKey.caller]) {
      for (const endpoint of ENDPOINTS) {
        const res = await caller.get(`/api/analytics/${endpoint}?from=2026-01&to=2026-03`);
        expect(res.status, `${endpoint}: ${JSON.stringify(res.json)}`).toBe(200);
        const text = JSON.stringify(res.json);
        for (const id of [...Object.values(a.c), ...Object.values(a.p), a.runId]) expect(text, endpoint).not.toContain(id);
      }
      const revenue = await caller.get('/api/analytics/revenue?from=2026-01&to=2026-03');
      expect(revenue.json.totals).toEqual({ revenue: 0, orders: 0 });
      expect((await caller.get('/api/analytics/rfm-grid')).json.totals).toEqual({ customers: 0, revenue: 0 });
    }
    // And A's own read key sees A's.
    const aKey = await anApiKey(t.app, a.owner.caller, 'read');
    expect((await aKey.caller.get('/api/analytics/revenue?from=2026-01&to=2026-03')).json.totals.orders).toBe(5);
  });

  it('refuses a caller who is not signed in', async () => {
    for (const endpoint of ENDPOINTS) expectErrorReply(await new Caller(t.app).get(`/api/analytics/${endpoint}`), 401, 'unauthorized');
  });
});

describe('bad periods', () => {
  const CASES: [string, string][] = [
    ['from without to', 'from=2026-01'],
    ['to without from', 'to=2026-01'],
    ['a month 13', 'from=2026-13&to=2026-13'],
    ['a day instead of a month', 'from=2026-01-01&to=2026-02-01'],
    ['from after to', 'from=2026-03&to=2026-01'],
    ['more than ten years', 'from=2010-01&to=2026-01'],
    ['an unknown parameter', 'month=2026-01'],
  ];
  for (const [name, query] of CASES) {
    it(`refuses ${name} on every dashboard, with a 400 that names the field`, async () => {
      const { caller } = await aMember(t.app);
      for (const endpoint of ['revenue', 'rfm-grid', 'tiers', 'at-risk', 'products', 'movements']) {
        expectErrorReply(await caller.get(`/api/analytics/${endpoint}?${query}`), 400, 'invalid_request');
      }
    });
  }
});
