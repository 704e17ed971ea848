import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activities, auditLog, companies, contacts, orderLines, orders, products, queueMessages, segmentMembers, segments, sessions, signInFailures, workspaces } from '../../db/schema';
import { newId } from '../../functions/domain/ids';
import { consumers } from '../../functions/jobs/consumers';
import { THROTTLE } from '../../functions/domain/throttle';
import { FAN_OUT_PAGES, NIGHTLY, runCron } from '../../functions/jobs/cron';
import { PASSES_PER_MESSAGE, runMaintenance } from '../../functions/jobs/maintenance';
import { createNodeQueue, createProducer } from '../../functions/node/queue';
import { loadWranglerConfig } from '../../functions/node/wrangler-config';
import { mergeSearchIndexStep } from '../../functions/services/search-index';
import { PURGE_CHUNK, UNLINK_CHUNK } from '../../functions/services/trash/purge';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { aProduct, anOrder } from '../fixtures/commerce';
import { insertCompany, insertContacts, insertNotes } from '../fixtures/trash';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

async function nodeHostJobs() {
  const wrangler = await loadWranglerConfig();
  const now = () => t.clock.now;
  return createNodeQueue({
    db: t.db,
    now,
    settings: wrangler.consumers,
    consumers: consumers({ db: t.db, now, queues: createProducer(t.db, now), undoWindowMs: 30 * DAY }),
    log: () => {},
  });
}

describe('nightly maintenance on the Node host (cron → queue → job)', () => {
  it('purges what was deleted more than 30 days ago, keeps the rest, and is safe to run twice', async () => {
    const a = await aMember(t.app);
    const b = await aMember(t.app);
    const old = await a.caller.post('/api/contacts', aContact({ firstName: 'Old' }));
    const oldOther = await b.caller.post('/api/contacts', aContact({ firstName: 'OldOther' }));
    await a.caller.post('/api/activities', { contactId: old.json.id, body: 'note' });
    await a.caller.delete(`/api/contacts/${old.json.id}`);
    await b.caller.delete(`/api/contacts/${oldOther.json.id}`);
    t.clock.now += 20 * DAY;
    const recent = await a.caller.post('/api/contacts', aContact({ firstName: 'Recent' }));
    await a.caller.delete(`/api/contacts/${recent.json.id}`);
    const alive = await a.caller.post('/api/contacts', aContact({ firstName: 'Alive' }));
    t.clock.now += 11 * DAY;

    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    expect((await t.db.select().from(queueMessages)).filter((m) => m.queue === 'maintenance').length).toBeGreaterThanOrEqual(2);
    await queue.drain();

    const ids = (await t.db.select({ id: contacts.id }).from(contacts)).map((r) => r.id);
    expect(ids).not.toContain(old.json.id);
    expect(ids).not.toContain(oldOther.json.id);
    expect(ids).toContain(recent.json.id);
    expect(ids).toContain(alive.json.id);
    expect(await t.db.select().from(queueMessages)).toEqual([]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, old.json.id));
    expect(audit.map((r) => [r.action, r.actorId])).toContainEqual(['purge', 'system']);

    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    await queue.drain();
    expect((await t.db.select({ id: contacts.id }).from(contacts)).map((r) => r.id).sort()).toEqual(ids.sort());
  });

  it('purges products, orders and segments past the window with what hangs off them; order lines keep what a purged product sold', async () => {
    const a = await aMember(t.app);
    const b = await aMember(t.app);
    const customer = { email: 'buyer@example.com' };
    const made = async (caller: Caller, path: string, body: unknown) => {
      const res = await caller.post(path, body);
      expect(res.status).toBe(201);
      return res.json.id as string;
    };
    const oldProduct = await made(a.caller, '/api/products', aProduct({ sku: 'OLD-1', name: 'Old mug' }));
    const keptOrder = await made(a.caller, '/api/orders', anOrder({ customer, lines: [{ productId: oldProduct, quantity: 2, unitPrice: 500 }] }));
    const oldOrder = await made(a.caller, '/api/orders', anOrder({ customer }));
    const oldSegment = await made(a.caller, '/api/segments', { name: 'Everyone', definition: { type: 'group', op: 'and', children: [] } });
    await a.caller.post(`/api/segments/${oldSegment}/refresh`, {});
    expect(await t.db.select().from(segmentMembers).where(eq(segmentMembers.segmentId, oldSegment))).toHaveLength(1);
    const otherProduct = await made(b.caller, '/api/products', aProduct({ sku: 'OLD-1' }));
    for (const path of [`/api/products/${oldProduct}`, `/api/orders/${oldOrder}`, `/api/segments/${oldSegment}`, `/api/products/${otherProduct}`]) {
      expect((await (path.includes(otherProduct) ? b : a).caller.delete(path)).status).toBe(204);
    }
    t.clock.now += 20 * DAY;
    const recentOrder = await made(a.caller, '/api/orders', anOrder({ customer }));
    await a.caller.delete(`/api/orders/${recentOrder}`);
    t.clock.now += 11 * DAY;

    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    await queue.drain();

    const left = async (table: typeof products | typeof orders | typeof segments, ids: string[]) =>
      (await t.db.select({ id: table.id }).from(table).where(inArray(table.id, ids))).map((r) => r.id);
    expect(await left(products, [oldProduct, otherProduct])).toEqual([]);
    expect((await left(orders, [oldOrder, recentOrder, keptOrder])).sort()).toEqual([recentOrder, keptOrder].sort());
    expect(await left(segments, [oldSegment])).toEqual([]);
    expect(await t.db.select().from(orderLines).where(eq(orderLines.orderId, oldOrder))).toEqual([]);
    expect(await t.db.select().from(segmentMembers).where(eq(segmentMembers.segmentId, oldSegment))).toEqual([]);
    const [line] = await t.db.select().from(orderLines).where(eq(orderLines.orderId, keptOrder));
    expect(line).toMatchObject({ productId: null, sku: 'OLD-1', name: 'Old mug', quantity: 2 });
    const purged = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'purge'), inArray(auditLog.entityId, [oldProduct, oldOrder, oldSegment, otherProduct])));
    expect(purged.map((r) => `${r.entityType}:${r.workspaceId === a.workspaceId ? 'a' : 'b'}`).sort()).toEqual(['order:a', 'product:a', 'product:b', 'segment:a']);

    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    await queue.drain();
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'purge'), inArray(auditLog.entityId, [oldProduct, oldOrder, oldSegment])))).toHaveLength(3);
  });

  it('acks a malformed maintenance message instead of retrying it into the dead-letter queue', async () => {
    const queue = await nodeHostJobs();
    await queue.queues.send('maintenance', { type: 'purge-everything' });
    await queue.drain();
    expect(await t.db.select().from(queueMessages)).toEqual([]);
  });

  it('forgets expired sessions and old sign-in failures, and keeps live ones', async () => {
    const stale = await aMember(t.app);
    await new Caller(t.app).post('/api/auth/sign-in', { email: stale.email, password: 'wrong password' });
    t.clock.now += 31 * DAY;
    const fresh = await aMember(t.app);
    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    const left = await t.db.select().from(sessions);
    expect(left.every((s) => s.expiresAt > t.clock.now)).toBe(true);
    expect(left.map((s) => s.userId)).toContain(fresh.userId);
    expect(left.map((s) => s.userId)).not.toContain(stale.userId);
    const throttled = await t.db.select().from(signInFailures);
    expect(throttled.map((r) => r.key)).not.toContain(`sign-in:email:${stale.email}`);
    expect(throttled.every((r) => r.windowStart > t.clock.now - THROTTLE.windowMs)).toBe(true);
    expect((await fresh.caller.get('/api/auth/session')).status).toBe(200);
    await queue.drain();
  });
});

describe('the nightly purge, in chunks', () => {
  const idsOf = async (table: typeof contacts | typeof companies, ids: string[]) =>
    (await t.db.select({ id: table.id }).from(table).where(inArray(table.id, ids))).map((r) => r.id);
  const purgeAudits = (workspaceId: string, entityType: string) =>
    t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, 'purge'), eq(auditLog.entityType, entityType)));

  it('purges more than one message can, continuing through the queue, unlinking a big company before purging it', async () => {
    const member = await aMember(t.app);
    const ws = member.workspaceId;
    const now = t.clock.now;
    const old = { at: now - 60 * DAY, deletedAt: now - 40 * DAY };
    const recent = { at: now - 60 * DAY, deletedAt: now - 5 * DAY };
    const live = { at: now - 60 * DAY, deletedAt: null };
    // One message purges PASSES_PER_MESSAGE chunks; this is more.
    const expired = await insertContacts(t.db, ws, PASSES_PER_MESSAGE * PURGE_CHUNK + 150, old);
    const notes = await insertNotes(t.db, ws, expired.slice(0, 20).map((contactId) => ({ contactId })), old.at);
    const kept = await insertContacts(t.db, ws, 5, recent);
    const bigCompany = await insertCompany(t.db, ws, 'Sprawling Holdings', old);
    const people = await insertContacts(t.db, ws, UNLINK_CHUNK + 30, { ...live, company: bigCompany, name: 'Linked' });
    await insertNotes(t.db, ws, [{ companyId: bigCompany.id }], old.at);
    const emptyCompany = await insertCompany(t.db, ws, 'Empty Shell', old);
    const recentCompany = await insertCompany(t.db, ws, 'Recently Binned', recent);
    const stillLinked = await insertContacts(t.db, ws, 2, { ...live, company: recentCompany, name: 'Loyal' });

    const queue = await nodeHostJobs();
    await queue.queues.send('maintenance', { type: 'purge-deleted', workspaceId: ws });
    // The first message purges its share and sends a continuation, which finishes.
    expect(await queue.drain()).toBe(2);

    expect(await idsOf(contacts, expired)).toEqual([]);
    expect((await idsOf(contacts, [...kept, ...people, ...stillLinked])).sort()).toEqual([...kept, ...people, ...stillLinked].sort());
    expect(await t.db.select().from(activities).where(eq(activities.workspaceId, ws))).toEqual([]);
    expect(notes).toHaveLength(20);
    expect((await idsOf(companies, [bigCompany.id, emptyCompany.id, recentCompany.id]))).toEqual([recentCompany.id]);

    const unlinked = await t.db.select().from(contacts).where(inArray(contacts.id, people));
    expect(unlinked.every((c) => c.companyId === null && !c.searchText.includes('sprawling'))).toBe(true);
    expect((await member.caller.get('/api/contacts?q=sprawling')).json.data).toEqual([]);
    expect((await member.caller.get('/api/contacts?q=binned')).json.data).toHaveLength(2);

    const contactAudits = await purgeAudits(ws, 'contact');
    expect(contactAudits.map((a) => a.entityId).sort()).toEqual([...expired].sort());
    expect(new Set(contactAudits.map((a) => a.id)).size).toBe(expired.length);
    expect(contactAudits.every((a) => a.actorId === 'system' && /^aud_[0-9A-Z]{26}$/.test(a.id))).toBe(true);
    expect((await purgeAudits(ws, 'company')).map((a) => a.entityId).sort()).toEqual([bigCompany.id, emptyCompany.id].sort());
  });

  it('purges and audits each record once when two runs race over the same workspace', async () => {
    const member = await aMember(t.app);
    const ws = member.workspaceId;
    const now = t.clock.now;
    const old = { at: now - 60 * DAY, deletedAt: now - 40 * DAY };
    const expired = await insertContacts(t.db, ws, 3 * PURGE_CHUNK + 7, old);
    const company = await insertCompany(t.db, ws, 'Contested Ltd', old);
    await insertContacts(t.db, ws, 10, { at: old.at, deletedAt: null, company, name: 'Contested' });

    const sent: unknown[] = [];
    const deps = { db: t.db, now: () => t.clock.now, undoWindowMs: 30 * DAY, queues: { send: async (_: string, body: unknown) => void sent.push(body), sendBatch: async () => {} } };
    const message = { type: 'purge-deleted', workspaceId: ws };
    const [first, second] = await Promise.all([runMaintenance(deps, message), runMaintenance(deps, message)]);

    expect(await idsOf(contacts, expired)).toEqual([]);
    expect(await idsOf(companies, [company.id])).toEqual([]);
    expect((first as { purged: number }).purged + (second as { purged: number }).purged).toBe(expired.length + 1);
    expect((await purgeAudits(ws, 'contact')).length).toBe(expired.length);
    expect((await purgeAudits(ws, 'company')).length).toBe(1);
    expect(sent).toEqual([]);
  });

  it('fans the nightly run out past one invocation with a continuation that picks up after the last workspace', async () => {
    const before = await t.db.select({ id: workspaces.id }).from(workspaces);
    const extra = Array.from({ length: FAN_OUT_PAGES * 100 + 5 }, (_, i) => ({ id: newId('workspace', t.clock.now), name: `Tenant ${i}`, createdAt: t.clock.now }));
    for (let i = 0; i < extra.length; i += 500) await t.db.insert(workspaces).values(extra.slice(i, i + 500));
    const everyone = [...before, ...extra].map((w) => w.id).sort();

    t.sent.length = 0;
    const first = await runCron({ db: t.db, queues: t.deps.queues, now: () => t.clock.now }, NIGHTLY);
    expect(first).toMatchObject({ workspaces: FAN_OUT_PAGES * 100, continued: true });
    const continuation = t.sent.filter((m) => (m.body as { type: string }).type === 'nightly-fan-out');
    const night = new Date(t.clock.now).toISOString().slice(0, 10);
    expect(continuation).toEqual([{ queue: 'maintenance', body: { type: 'nightly-fan-out', after: everyone[FAN_OUT_PAGES * 100 - 1], night } }]);

    const rest = await runMaintenance({ db: t.db, now: () => t.clock.now, undoWindowMs: 30 * DAY, queues: t.deps.queues }, continuation[0]!.body);
    expect(rest).toMatchObject({ workspaces: everyone.length - FAN_OUT_PAGES * 100, continued: false });
    const purges = t.sent.filter((m) => (m.body as { type: string }).type === 'purge-deleted').map((m) => (m.body as { workspaceId: string }).workspaceId);
    expect(purges.sort()).toEqual(everyone);
    // And one segmentation run per workspace, keyed by the night the fan-out began.
    const runs = t.sent.filter((m) => m.queue === 'segmentation').map((m) => m.body as { workspaceId: string; date: string });
    expect(runs.map((r) => r.workspaceId).sort()).toEqual(everyone);
    expect(new Set(runs.map((r) => r.date))).toEqual(new Set([night]));
    // The tests after this one run the nightly cron for real: without
    // these thousands of empty workspaces.
    for (let i = 0; i < extra.length; i += 500) await t.db.delete(workspaces).where(inArray(workspaces.id, extra.slice(i, i + 500).map((w) => w.id)));
  });
});

describe('the nightly merge of the search index', () => {
  async function search(caller: Caller, q: string) {
    const res = await caller.get(`/api/contacts?q=${q}&limit=200`);
    expect(res.status).toBe(200);
    return (res.json.data as { id: string }[]).map((c) => c.id);
  }
  const indexPages = async () => (await t.db.all<{ n: number }>(sql`select count(*) as n from contacts_fts_idx`))[0]!.n;

  it('merges the index written in many small transactions, and search answers exactly as before', async () => {
    const member = await aMember(t.app);
    // Each insert is its own transaction, and so its own segment of the index.
    for (let i = 0; i < 40; i++) {
      await insertContacts(t.db, member.workspaceId, 5, { at: t.clock.now - i * DAY, deletedAt: null, name: i % 2 ? 'Lovelace' : 'Grace' });
    }
    const before = { lov: await search(member.caller, 'lov'), gra: await search(member.caller, 'gra'), pages: await indexPages() };
    expect([before.lov.length, before.gra.length]).toEqual([100, 100]);

    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    await queue.drain();

    expect(await indexPages()).toBeLessThan(before.pages);
    expect(await search(member.caller, 'lov')).toEqual(before.lov);
    expect(await search(member.caller, 'gra')).toEqual(before.gra);
    // Nothing is left to merge: another step writes nothing.
    expect(await mergeSearchIndexStep(t.db, { starting: true })).toBe(false);
  });

  it('works in steps that each report whether more is left', async () => {
    const member = await aMember(t.app);
    for (let i = 0; i < 20; i++) await insertContacts(t.db, member.workspaceId, 5, { at: t.clock.now, deletedAt: null });
    expect(await mergeSearchIndexStep(t.db, { starting: true })).toBe(true);
    let steps = 1;
    while (await mergeSearchIndexStep(t.db, { starting: false })) steps += 1;
    expect(steps).toBeLessThan(10);
    expect(await mergeSearchIndexStep(t.db, { starting: true })).toBe(false);
  });
});
