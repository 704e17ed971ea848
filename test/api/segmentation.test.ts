import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerScoreChanges, customerScores } from '../../db/schema';
import { DAY_MS } from '../../functions/domain/customer-value';
import { fmScore } from '../../functions/domain/rfm';
import type { SegmentationMessage } from '../../functions/jobs/queues';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { insertOrders, insertProducts, type OrderSpec } from '../fixtures/orders';
import { drainSegmentation, nightly, scoresOf } from '../fixtures/segmentation';
import { anApiKey, created, expectErrorReply } from '../fixtures/requests';

// A hand-checked workspace through the whole job and the API. Figures in
// the comments are worked out by hand from the rules in functions/domain.

const T0 = Date.UTC(2026, 10, 23, 12);
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: T0 });
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
// Months pass in these tests; sessions do not last that long.
async function signInAgain(member: Member) {
  await created(member.caller.post('/api/auth/sign-in', { email: member.email, password: 'correct horse battery' }));
  await member.caller.refreshCsrf();
}
const daysAgo = (days: number, from = t.clock.now) => from - days * DAY_MS;

// Runs what "run now" queued, as the consumer would, until the run is done.
async function runNow(member: Member, chunk = 2) {
  t.sent.length = 0;
  const res = await member.caller.post('/api/segmentation/runs');
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  const message = t.sent.find((m) => m.queue === 'segmentation')!.body as SegmentationMessage;
  await drainSegmentation(t.db, t.clock.now, { ...message, chunk });
  const run = await member.caller.get(`/api/segmentation/runs/${res.json.id}`);
  expect(run.json).toMatchObject({ status: 'done', phase: 'done', progress: 100 });
  return run.json;
}

async function handChecked() {
  const owner = await aMember(t.app);
  const ws = owner.workspaceId;
  await created(owner.caller.patch('/api/segmentation/settings', { exchangeRates: [{ currency: 'EUR', rate: 1.1 }, { currency: 'JPY', rate: 0.0065 }] }));
  const contact = async (firstName: string) => (await created(owner.caller.post('/api/contacts', aContact({ firstName })))).id as string;
  const [A, B, C, D, E, F, G] = [await contact('A'), await contact('B'), await contact('C'), await contact('D'), await contact('E'), await contact('F'), await contact('G')];
  const [P1, P2, P3] = await insertProducts(t.db, ws, ['Kettle', 'Teapot', 'Strainer']);
  const orders: OrderSpec[] = [
    // A: three $100 orders a month apart, the last 10 days ago.
    { contactId: A, at: daysAgo(10), total: 10000, products: [P1!] },
    { contactId: A, at: daysAgo(40), total: 10000, products: [P1!, P2!] },
    { contactId: A, at: daysAgo(70), total: 10000, products: [P1!, P2!] },
    // B: one $50 order 200 days ago; a cancelled one since does not count.
    { contactId: B, at: daysAgo(200), total: 5000, products: [P1!] },
    { contactId: B, at: daysAgo(5), total: 99999, status: 'cancelled' },
    // C: €100 (= $110) 20 days ago; $30 400 days ago, outside the window.
    { contactId: C, at: daysAgo(20), total: 10000, currency: 'EUR', products: [P2!] },
    { contactId: C, at: daysAgo(400), total: 3000 },
    // D: ¥10,000 (= $65) 50 days ago, $80 less $30 refunded 60 days ago;
    // a fully refunded order 30 days ago is no purchase.
    { contactId: D, at: daysAgo(50), total: 10000, currency: 'JPY', products: [P2!, P3!] },
    { contactId: D, at: daysAgo(60), total: 8000, refunded: 3000, products: [P3!] },
    { contactId: D, at: daysAgo(30), total: 10000, refunded: 10000, status: 'refunded', products: [P1!, P3!] },
    // E: £40 15 days ago, and pounds have no rate: a purchase worth 0.
    { contactId: E, at: daysAgo(15), total: 4000, currency: 'GBP' },
    // F is in the trash; G's only order was deleted.
    { contactId: F, at: daysAgo(3), total: 50000 },
    { contactId: G, at: daysAgo(3), total: 50000, deleted: true },
  ];
  await insertOrders(t.db, ws, orders);
  await created(owner.caller.delete(`/api/contacts/${F}`));
  return { owner, ws, A, B, C, D, E, F, G, P1: P1!, P2: P2!, P3: P3! };
}
type World = Awaited<ReturnType<typeof handChecked>>;

describe('segmentation of a hand-checked workspace', () => {
  let w: World;
  let first: { id: string; stats: Record<string, unknown>; chunks: number };
  beforeAll(async () => {
    w = await handChecked();
    first = await runNow(w.owner);
  });

  it('refreshes the dynamic segments against the new scores, a few segments a step', async () => {
    const w2 = await handChecked();
    const condition = (segment: string) => ({ type: 'group', op: 'and', children: [{ type: 'condition', field: 'scores.segment', operator: 'any_of', value: [segment] }] });
    const made = [];
    for (const segment of ['champions', 'at_risk', 'hibernating', 'about_to_sleep', 'promising', 'lost', 'loyal']) {
      made.push(await created(w2.owner.caller.post('/api/segments', { name: segment, definition: condition(segment) })));
    }
    const run = await runNow(w2.owner);
    const members = async (id: string) => (await w2.owner.caller.get(`/api/segments/${id}/members`)).json.data.map((m: { contact: { id: string } }) => m.contact.id);
    expect(await members(made[0]!.id)).toEqual([w2.A]);
    expect(await members(made[1]!.id)).toEqual([w2.D]);
    expect(await members(made[5]!.id)).toEqual([]);
    const changes = (await w2.owner.caller.get(`/api/segments/${made[2]!.id}/changes`)).json.data;
    expect(changes).toEqual([expect.objectContaining({ contactId: w2.B, kind: 'entered', runId: run.id })]);
  });

  it('scores the five customers (not the trashed contact, not the deleted order) as worked out by hand', async () => {
    const scores = await scoresOf(t.db, w.ws);
    const view = (id: string) => {
      const s = scores.get(id)!;
      return [s.orders, s.revenue, s.recencyDays, s.r, s.f, s.m, s.segment, s.tier, s.churnRisk, s.predictedValue];
    };
    expect(scores.size).toBe(5);
    // R: B 200 days (1), D 50 (2), C 20 (3), E 15 (4), A 10 (5).
    // F: B, C, E one order (tied: 1), D two (4), A three (5).
    // M: E $0 (1), B $50 (2), C $110 (3), D $115 (4), A $300 (5).
    // Tiers of 5: A is the top 1%; D falls in the next 20%.
    // Churn: repeat gaps A 30, C 380, D 10 days; median 30 for B and E.
    expect(view(w.A)).toEqual([3, 30000, 10, 5, 5, 5, 'champions', 'vip', 0, 121667]);
    expect(view(w.B)).toEqual([1, 5000, 200, 1, 1, 2, 'hibernating', 'scattered', 100, 0]);
    expect(view(w.C)).toEqual([1, 11000, 20, 3, 1, 3, 'about_to_sleep', 'scattered', 0, 6724]);
    expect(view(w.D)).toEqual([2, 11500, 50, 2, 4, 4, 'at_risk', 'ordinary', 98, 4198]);
    expect(view(w.E)).toEqual([1, 0, 15, 4, 1, 1, 'promising', 'scattered', 0, 0]);
    expect(scores.get(w.C)).toMatchObject({ lifetimeOrders: 2, lifetimeRevenue: 14000, expectedGapDays: 380 });
  });

  it("stores the run's figures, the order without a rate among them", async () => {
    expect(first.stats).toMatchObject({
      currency: 'USD',
      customers: 5,
      revenue: 57500,
      unpricedOrders: 1,
      medianGapDays: 30,
      newCustomers: 5,
      segments: { champions: { customers: 1, revenue: 30000 }, at_risk: { customers: 1, revenue: 11500 } },
      tiers: { vip: { customers: 1, revenue: 30000 }, ordinary: { customers: 1, revenue: 11500 }, scattered: { customers: 3, revenue: 16000 } },
    });
    // Five customers in chunks of two: three chunks each for the
    // aggregates and the scores, and one per other phase.
    expect(first.chunks).toBeGreaterThanOrEqual(6);
    const list = await w.owner.caller.get('/api/segmentation/runs');
    expect(list.json.data.map((r: { id: string }) => r.id)).toEqual([first.id]);
  });

  it('explains a contact: scores, words for the churn risk, lifetime value, history and what else to offer', async () => {
    const b = await w.owner.caller.get(`/api/contacts/${w.B}/insights`);
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({
      scored: true,
      currency: 'USD',
      scores: {
        segment: 'hibernating',
        segmentLabel: 'Hibernating',
        tierLabel: 'Scattered',
        churnRisk: 100,
        churnExplanation: 'One purchase so far, 200 days ago; repeat customers here come back within about 30 days.',
        lifetimeValue: 5000,
        predictedValue12m: 0,
      },
      history: [{ fromSegment: null, toSegment: 'hibernating', runId: first.id }],
      // Kettle and Teapot went together in 2 of the 7 orders with catalogue
      // lines: confidence 2/4, lift 0.5 / (4/7).
      suggestions: [{ productId: w.P2, name: 'Teapot', becauseOf: { productId: w.P1, name: 'Kettle' }, confidence: 0.5, lift: 0.875 }],
    });
    const d = await w.owner.caller.get(`/api/contacts/${w.D}/insights`);
    expect(d.json.scores.churnExplanation).toBe('Buys about every 10 days; the last purchase was 50 days ago, 5.0 times the usual gap.');
    expect(d.json.suggestions.map((s: { name: string }) => s.name)).toEqual(['Kettle']);
    const a = await w.owner.caller.get(`/api/contacts/${w.A}/insights`);
    expect(a.json.suggestions).toEqual([]);
    const never = await w.owner.caller.get(`/api/contacts/${w.G}/insights`);
    expect(never.json).toMatchObject({ scored: false, scores: null, history: [], suggestions: [] });
  });

  it('200 days on, with new orders: A enters At risk, lapsed B is Lost, E unchanged writes no history', async () => {
    t.clock.now = T0 + 200 * DAY_MS;
    await signInAgain(w.owner);
    const H = (await created(w.owner.caller.post('/api/contacts', aContact({ firstName: 'H' })))).id as string;
    await insertOrders(t.db, w.ws, [
      { contactId: w.C, at: daysAgo(30), total: 1000 },
      { contactId: w.E, at: daysAgo(1), total: 2000 },
      ...[1, 5, 9].map((d) => ({ contactId: H, at: daysAgo(d), total: 20000 })),
    ]);
    const second = await runNow(w.owner, 4);
    const scores = await scoresOf(t.db, w.ws);
    const seg = (id: string) => [scores.get(id)!.r, scores.get(id)!.f, scores.get(id)!.m, scores.get(id)!.segment];
    expect(seg(w.A)).toEqual([2, 4, 4, 'at_risk']);
    expect(seg(w.B)).toEqual([1, 1, 1, 'lost']);
    expect(scores.get(w.B)).toMatchObject({ orders: 0, revenue: 0, lifetimeOrders: 1 });
    expect(seg(w.D)).toEqual([1, 1, 2, 'hibernating']);
    expect(seg(w.E)).toEqual([4, 1, 1, 'promising']);
    expect(seg(H)).toEqual([4, 4, 5, 'champions']);
    expect(second.stats).toMatchObject({ customers: 6, entered: { at_risk: 1, lost: 1, hibernating: 1 }, newCustomers: 1 });

    const a = await w.owner.caller.get(`/api/contacts/${w.A}/insights`);
    expect(a.json.history).toMatchObject([
      { runId: second.id, fromSegment: 'champions', toSegment: 'at_risk', fromTier: 'vip', toTier: 'ordinary' },
      { runId: first.id, fromSegment: null, toSegment: 'champions' },
    ]);
    const e = await w.owner.caller.get(`/api/contacts/${w.E}/insights`);
    expect(e.json.history.map((h: { runId: string }) => h.runId)).toEqual([first.id]);
  });

  it('a contact moved to the trash loses its scores at the next run', async () => {
    await created(w.owner.caller.delete(`/api/contacts/${w.E}`));
    t.clock.now += DAY_MS;
    await runNow(w.owner, 1);
    expect((await scoresOf(t.db, w.ws)).has(w.E)).toBe(false);
  });

  it("leaves the dashboards' grid, tiers and movements as its scores and history count them", async () => {
    const scores = [...(await scoresOf(t.db, w.ws)).values()];
    const sum = (rows: typeof scores) => ({ customers: rows.length, revenue: rows.reduce((total, s) => total + s.revenue, 0) });
    const grid = await w.owner.caller.get('/api/analytics/rfm-grid');
    for (const cell of grid.json.cells as { r: number; fm: number }[]) {
      expect(cell).toMatchObject(sum(scores.filter((s) => s.r === cell.r && fmScore(s.f, s.m) === cell.fm)));
    }
    const tiers = await w.owner.caller.get('/api/analytics/tiers');
    for (const tier of tiers.json.tiers as { tier: string }[]) expect(tier).toMatchObject(sum(scores.filter((s) => s.tier === tier.tier)));
    const history = await t.db.select().from(customerScoreChanges).where(and(eq(customerScoreChanges.workspaceId, w.ws), eq(customerScoreChanges.runId, grid.json.run.id)));
    const moved = history.filter((h) => h.fromSegment !== h.toSegment);
    const movements = await w.owner.caller.get('/api/analytics/movements');
    expect(movements.json.run.id).toBe(grid.json.run.id);
    expect(movements.json.moves.reduce((total: number, m: { customers: number }) => total + m.customers, 0)).toBe(moved.length);
    for (const m of movements.json.moves as { from: string | null; to: string; customers: number }[]) {
      expect(m.customers).toBe(moved.filter((h) => h.fromSegment === m.from && h.toSegment === m.to).length);
    }
  });
});

describe('runs', () => {
  it('a workspace with no orders finishes with no customers', async () => {
    const owner = await aMember(t.app);
    const run = await runNow(owner);
    expect(run).toMatchObject({ customers: 0, stats: { customers: 0, revenue: 0, segments: {}, tiers: {} } });
  });

  it('gives the connection its page cache back when a chunk fails halfway', async () => {
    const owner = await aMember(t.app);
    const buyer = await created(owner.caller.post('/api/contacts', aContact()));
    await insertOrders(t.db, owner.workspaceId, [{ contactId: buyer.id, at: t.clock.now - 10 * DAY_MS, total: 5000 }]);
    const [before] = await t.db.all<{ cache_size: number }>(sql`pragma cache_size`);
    const realBatch = t.db.batch.bind(t.db);
    // A chunk's batch starts with its small cache: that runs, then the batch fails.
    const chunkBatch = (items: { getQuery?: () => { sql: string } }[]) => /^pragma cache_size = -/.test(items[0]?.getQuery?.().sql ?? '');
    const spy = vi.spyOn(t.db, 'batch').mockImplementation(((items: never[]) =>
      chunkBatch(items) ? realBatch([items[0], t.db.run(sql`select * from no_such_table`)] as never) : realBatch(items as never)) as never);
    await expect(drainSegmentation(t.db, t.clock.now, nightly(owner.workspaceId, t.clock.now))).rejects.toThrow(/no_such_table/);
    spy.mockRestore();
    expect(await t.db.all(sql`pragma cache_size`)).toEqual([before]);
  });

  it('"run now" while a run is going answers that run (200) and queues nothing', async () => {
    const owner = await aMember(t.app);
    const started = await owner.caller.post('/api/segmentation/runs');
    expect(started.status).toBe(202);
    t.sent.length = 0;
    const again = await owner.caller.post('/api/segmentation/runs');
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: started.json.id, status: 'running', progress: 0 });
    expect(t.sent).toEqual([]);
  });

  it('the night\'s doubled message runs once, and running twice or at once gives the same scores', async () => {
    const w = await handChecked();
    const nightly: SegmentationMessage = { type: 'nightly', workspaceId: w.ws, date: '2026-11-23', chunk: 1 };
    await Promise.all([drainSegmentation(t.db, t.clock.now, nightly), drainSegmentation(t.db, t.clock.now, nightly)]);
    const once = await scoresOf(t.db, w.ws);
    const runs = (await w.owner.caller.get('/api/segmentation/runs')).json.data;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'done', customers: 5 });
    const strip = (m: typeof once) => [...m].map(([id, s]) => ({ ...s, id, runId: undefined, updatedAt: undefined })).sort((a, b) => a.id.localeCompare(b.id));

    // Two manual runs' consumers at once: each chunk commits once.
    t.sent.length = 0;
    const res = await w.owner.caller.post('/api/segmentation/runs');
    const message = t.sent[0]!.body as SegmentationMessage;
    await Promise.all([drainSegmentation(t.db, t.clock.now, { ...message, chunk: 1 }), drainSegmentation(t.db, t.clock.now, { ...message, chunk: 1 })]);
    const run = (await w.owner.caller.get(`/api/segmentation/runs/${res.json.id}`)).json;
    expect(run).toMatchObject({ status: 'done', stats: { customers: 5, newCustomers: 0 } });
    expect(strip(await scoresOf(t.db, w.ws))).toEqual(strip(once));
    const rows = await t.db.select().from(customerScores).where(eq(customerScores.workspaceId, w.ws));
    expect(new Set(rows.map((r) => r.runId))).toEqual(new Set([res.json.id]));
  });
});

describe('analytics settings', () => {
  it('reads and changes the currency, window and rates (the whole set)', async () => {
    const owner = await aMember(t.app);
    expect((await owner.caller.get('/api/segmentation/settings')).json).toEqual({ reportingCurrency: 'USD', windowDays: 365, exchangeRates: [] });
    await created(owner.caller.patch('/api/segmentation/settings', { reportingCurrency: 'EUR', windowDays: 180, exchangeRates: [{ currency: 'USD', rate: 0.9 }, { currency: 'GBP', rate: 1.15 }] }));
    const res = await owner.caller.patch('/api/segmentation/settings', { exchangeRates: [{ currency: 'GBP', rate: 1.2 }] });
    expect(res.json).toMatchObject({ reportingCurrency: 'EUR', windowDays: 180, exchangeRates: [{ currency: 'GBP', rate: 1.2 }] });
  });

  it('only owners and admins change settings or run; other roles and API keys read', async () => {
    const owner = await aMember(t.app);
    const invitation = await created(owner.caller.post('/api/invitations', { role: 'manager' }));
    const manager = new Caller(t.app);
    await created(manager.post('/api/auth/sign-up', { email: `mgr-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Manny', invitationToken: invitation.token }));
    await manager.refreshCsrf();
    expectErrorReply(await manager.post('/api/segmentation/runs'), 403, 'forbidden');
    expectErrorReply(await manager.patch('/api/segmentation/settings', { windowDays: 90 }), 403, 'forbidden');
    expect((await manager.get('/api/segmentation/settings')).status).toBe(200);
    const key = await anApiKey(t.app, owner.caller, 'write');
    expectErrorReply(await key.caller.post('/api/segmentation/runs'), 403, 'forbidden');
    expect((await key.caller.get('/api/segmentation/runs')).status).toBe(200);
  });
});
