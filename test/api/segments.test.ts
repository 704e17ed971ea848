import { and as both, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, segmentChanges, segmentMembers } from '../../db/schema';
import { systemScope } from '../../functions/services/scope';
import { segmentAudience } from '../../functions/services/segments/reads';
import { refreshWorkspaceSegments } from '../../functions/services/segments/refresh';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { insertOrder, insertProduct, insertScore } from '../fixtures/commerce';
import { anApiKey, created, expectErrorReply, openApiDocument, tableRowCounts } from '../fixtures/requests';

// Dynamic segments over a small hand-made shop: the builder's preview,
// saved segments, refreshes with their entered/left history, and the
// definitions refused before any SQL runs.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
type Member = Awaited<ReturnType<typeof aMember>>;
const post = (m: Member, path: string, body?: unknown) => created<any>(m.caller.post(path, body));

const and = (...children: unknown[]) => ({ type: 'group', op: 'and', children });
const or = (...children: unknown[]) => ({ type: 'group', op: 'or', children });
const where = (field: string, operator: string, value?: unknown, days?: number) => ({
  type: 'condition',
  field,
  operator,
  ...(value === undefined ? {} : { value }),
  ...(days === undefined ? {} : { days }),
});

// Ada (VIP at Acme, three recent orders, a Champion), Bob (a lead at
// Globex, one old order), Cy (VIP-tagged, no company, one cancelled order)
// and Di (a subscriber at Acme, nothing bought).
async function aShop() {
  const m = await aMember(t.app);
  const now = t.clock.now;
  await post(m, '/api/custom-fields', { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
  await post(m, '/api/custom-fields', { entity: 'contact', key: 'since', label: 'Since', type: 'date' });
  const acme = await post(m, '/api/companies', { name: 'Acme', industry: 'Retail', employees: 50, tags: ['Key account'] });
  const globex = await post(m, '/api/companies', { name: 'Globex', industry: 'Software', employees: 500 });
  const ada = await post(m, '/api/contacts', aContact({ firstName: 'Ada', lastName: 'Lovelace', companyId: acme.id, tags: ['vip'], lifecycleStage: 'customer', leadSource: 'Web form', customFields: { tier: 'gold', since: '2024-05-01' } }));
  const bob = await post(m, '/api/contacts', aContact({ firstName: 'Bob', lastName: 'Builder', companyId: globex.id, lifecycleStage: 'lead', emails: [{ address: 'bob@globex.example' }], customFields: { tier: 'silver' } }));
  const cy = await post(m, '/api/contacts', aContact({ firstName: 'Cy', lastName: 'Young', tags: ['VIP', 'newsletter'], lifecycleStage: 'customer' }));
  const di = await post(m, '/api/contacts', aContact({ firstName: 'Di', lastName: 'Prince', companyId: acme.id, lifecycleStage: 'subscriber', emails: [] }));
  const teapot = await insertProduct(t.db, m.workspaceId, { sku: 'TEA-1', category: 'Kitchen' });
  const kettle = await insertProduct(t.db, m.workspaceId, { sku: 'KET-1', category: 'Kitchen' });
  const lamp = await insertProduct(t.db, m.workspaceId, { sku: 'LMP-1', category: 'Lighting' });
  await insertOrder(t.db, m.workspaceId, { contactId: ada.id, at: now - 5 * DAY, total: 12_000, productIds: [teapot] });
  await insertOrder(t.db, m.workspaceId, { contactId: ada.id, at: now - 20 * DAY, total: 8_000, refunded: 3_000, status: 'refunded', productIds: [kettle] });
  await insertOrder(t.db, m.workspaceId, { contactId: ada.id, at: now - 40 * DAY, total: 5_000, currency: 'EUR' });
  await insertOrder(t.db, m.workspaceId, { contactId: bob.id, at: now - 400 * DAY, total: 2_500, productIds: [lamp] });
  await insertOrder(t.db, m.workspaceId, { contactId: cy.id, at: now - 2 * DAY, total: 99_000, status: 'cancelled', productIds: [lamp] });
  await insertScore(t.db, m.workspaceId, { contactId: ada.id, segment: 'champions', tier: 'vip', r: 5, f: 5, m: 5, churnRisk: 5, lifetimeRevenue: 22_000, predictedValue: 30_000 });
  await insertScore(t.db, m.workspaceId, { contactId: bob.id, segment: 'hibernating', tier: 'scattered', r: 1, f: 1, m: 2, churnRisk: 90, lifetimeRevenue: 2_500, predictedValue: 0 });
  return { m, ada: ada.id as string, bob: bob.id as string, cy: cy.id as string, di: di.id as string, acme: acme.id as string, teapot, kettle, lamp };
}
type Shop = Awaited<ReturnType<typeof aShop>>;

async function matches(shop: Shop, definition: unknown): Promise<string[]> {
  const res = await shop.m.caller.post('/api/segments/preview', { definition });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  const names = new Map([[shop.ada, 'ada'], [shop.bob, 'bob'], [shop.cy, 'cy'], [shop.di, 'di']]);
  expect(res.json.count).toBe(res.json.contacts.length);
  return res.json.contacts.map((c: { id: string }) => names.get(c.id)).sort();
}

let shop: Shop;
beforeAll(async () => {
  shop = await aShop();
});

describe('POST /api/segments/preview', () => {
  const cases: [string, unknown, string[]][] = [
    ['an empty definition selects everyone', and(), ['ada', 'bob', 'cy', 'di']],
    ['tags, without regard to case', and(where('contact.tags', 'any_of', ['Vip'])), ['ada', 'cy']],
    ['tags none of (untagged contacts included)', and(where('contact.tags', 'none_of', ['vip'])), ['bob', 'di']],
    ['no tags at all', and(where('contact.tags', 'is_empty')), ['bob', 'di']],
    ['name contains', and(where('contact.name', 'contains', 'LOVE')), ['ada']],
    ['name starts with', and(where('contact.name', 'starts_with', 'b')), ['bob']],
    ['email is', and(where('contact.email', 'is', 'BOB@globex.example')), ['bob']],
    ['no email', and(where('contact.email', 'is_empty')), ['di']],
    ['stage any of', and(where('contact.lifecycleStage', 'any_of', ['lead', 'subscriber'])), ['bob', 'di']],
    ['stage is not', and(where('contact.lifecycleStage', 'is_not', 'customer')), ['bob', 'di']],
    ['lead source is set', and(where('contact.leadSource', 'is_set')), ['ada']],
    ['created in the last 7 days', and(where('contact.createdAt', 'in_last_days', 7)), ['ada', 'bob', 'cy', 'di']],
    ['created before 2020', and(where('contact.createdAt', 'before', '2020-01-01')), []],
    ['company relation is set', and(where('contact.company', 'is_set')), ['ada', 'bob', 'di']],
    ["company's industry is", and(where('company.industry', 'is', 'retail')), ['ada', 'di']],
    ["company's industry is not (no company included)", and(where('company.industry', 'is_not', 'Retail')), ['bob', 'cy']],
    ["company's employees over 100", and(where('company.employees', 'gt', 100)), ['bob']],
    ["company's tags", and(where('company.tags', 'any_of', ['key account'])), ['ada', 'di']],
    ['custom select is', and(where('contact.cf.tier', 'is', 'gold')), ['ada']],
    ['custom select is empty', and(where('contact.cf.tier', 'is_empty')), ['cy', 'di']],
    ['custom date between', and(where('contact.cf.since', 'between', ['2024-01-01', '2024-12-31'])), ['ada']],
    ['purchases ever (cancelled not counted)', and(where('orders.count', 'gte', 1)), ['ada', 'bob']],
    ['purchases in the last 30 days', and(where('orders.count', 'is', 2, 30)), ['ada']],
    ['no purchases', and(where('orders.count', 'is', 0)), ['cy', 'di']],
    ['total spent in USD, refunds taken off', and(where('orders.totalSpent', 'between', [{ amount: 17_000, currency: 'USD' }, { amount: 17_000, currency: 'USD' }])), ['ada']],
    ['total spent in EUR', and(where('orders.totalSpent', 'gte', { amount: 5_000, currency: 'EUR' })), ['ada']],
    ['last purchase in the last 10 days', and(where('orders.lastPurchaseAt', 'in_last_days', 10)), ['ada']],
    ['never purchased (last purchase empty)', and(where('orders.lastPurchaseAt', 'is_empty')), ['cy', 'di']],
    ['score segment', and(where('scores.segment', 'is', 'champions')), ['ada']],
    ['churn risk at least 50', and(where('scores.churnRisk', 'gte', 50)), ['bob']],
    ['lifetime revenue below 10,000', and(where('scores.lifetimeRevenue', 'lt', { amount: 10_000, currency: 'USD' })), ['bob']],
    ['an OR group inside an AND', and(where('contact.lifecycleStage', 'is', 'customer'), or(where('orders.count', 'gte', 1), where('contact.tags', 'any_of', ['newsletter']))), ['ada', 'cy']],
  ];
  for (const [name, definition, expected] of cases) {
    it(`selects by ${name}`, async () => {
      expect(await matches(shop, definition)).toEqual(expected);
    });
  }

  it('selects buyers of a product or a category, within a window', async () => {
    expect(await matches(shop, and(where('orders.product', 'any_of', [shop.teapot])))).toEqual(['ada']);
    expect(await matches(shop, and(where('orders.product', 'none_of', [shop.teapot])))).toEqual(['bob', 'cy', 'di']);
    // Cy's lamp order was cancelled: it is no purchase.
    expect(await matches(shop, and(where('orders.product', 'any_of', [shop.lamp])))).toEqual(['bob']);
    expect(await matches(shop, and(where('orders.category', 'any_of', ['kitchen'])))).toEqual(['ada']);
    expect(await matches(shop, and(where('orders.category', 'any_of', ['Lighting'], 30)))).toEqual([]);
  });

  it('never counts a trashed contact', async () => {
    const s = await aShop();
    await created(s.m.caller.delete(`/api/contacts/${s.di}`));
    expect(await matches(s, and())).toEqual(['ada', 'bob', 'cy']);
  });
});

describe('refusing a definition that does not fit, before any SQL', () => {
  const bad: [string, unknown, string][] = [
    ['an unknown field', and(where('contact.password', 'is', 'x')), 'definition.children.0.field'],
    ['a custom field the workspace lacks', and(where('contact.cf.shoe_size', 'gt', 3)), 'definition.children.0.field'],
    ['an operator the type lacks', and(where('contact.tags', 'gt', 3)), 'definition.children.0.operator'],
    ['a value of the wrong type', and(or(where('orders.count', 'gte', 'many'))), 'definition.children.0.children.0.value'],
    ['an option the field lacks', and(where('contact.cf.tier', 'is', 'bronze')), 'definition.children.0.value'],
    ['a product id that is not one', and(where('orders.product', 'any_of', ["prd_' or 1=1 --"])), 'definition.children.0.value'],
    ['a date that is not a day', and(where('contact.createdAt', 'before', '2026-02-30')), 'definition.children.0.value'],
    ['bounds the wrong way round', and(where('orders.count', 'between', [5, 1])), 'definition.children.0.value'],
    ['a score amount in another currency', and(where('scores.lifetimeRevenue', 'gt', { amount: 1, currency: 'EUR' })), 'definition.children.0.value'],
    ['days on a field without a window', and(where('contact.tags', 'is_set', undefined, 30)), 'definition.children.0.days'],
    ['a value for is_empty', and(where('contact.tags', 'is_empty', ['x'])), 'definition.children.0.value'],
    ['groups nested five deep', and(and(and(and(and(where('contact.tags', 'is_set')))))), 'definition.children.0.children.0.children.0.children.0'],
    ['51 conditions', and(...Array.from({ length: 26 }, () => where('contact.tags', 'is_set')), or(...Array.from({ length: 25 }, () => where('contact.tags', 'is_set')))), 'definition'],
  ];
  for (const [name, definition, path] of bad) {
    it(`answers 400 naming ${path} for ${name}, and writes nothing`, async () => {
      const before = await tableRowCounts(t.db);
      for (const [method, url, body] of [
        ['POST', '/api/segments/preview', { definition }],
        ['POST', '/api/segments', { name: 'Bad', definition }],
      ] as const) {
        const res = await shop.m.caller.request(method, url, { body });
        expectErrorReply(res, 400, 'invalid_request');
        expect(res.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      }
      expect(await tableRowCounts(t.db)).toEqual(before);
    });
  }
});

describe('saved segments and their refresh', () => {
  it('keeps members and their entered/left history across refreshes, and a second refresh moves nobody', async () => {
    const s = await aShop();
    const vipOrSoftware = or(where('contact.tags', 'any_of', ['vip']), where('company.industry', 'is', 'Software'));
    const segment = await post(s.m, '/api/segments', { name: 'VIPs and software', definition: vipOrSoftware });
    expect(segment).toMatchObject({ memberCount: 0, refreshedAt: null, definition: vipOrSoftware });

    const first = await post(s.m, `/api/segments/${segment.id}/refresh`);
    expect(first).toMatchObject({ entered: 3, left: 0, memberCount: 3 });
    expect(await post(s.m, `/api/segments/${segment.id}/refresh`)).toMatchObject({ entered: 0, left: 0, memberCount: 3 });

    // Bob's company changes industry and Di is tagged: one leaves, one enters.
    t.clock.now += DAY;
    const globex = (await s.m.caller.get(`/api/contacts/${s.bob}`)).json.companyId;
    await created(s.m.caller.patch(`/api/companies/${globex}`, { industry: 'Hardware' }));
    await created(s.m.caller.patch(`/api/contacts/${s.di}`, { tags: ['VIP'] }));
    expect(await post(s.m, `/api/segments/${segment.id}/refresh`)).toMatchObject({ entered: 1, left: 1, memberCount: 3 });

    const members = (await s.m.caller.get(`/api/segments/${segment.id}/members?limit=2`)).json;
    expect(members.data.map((r: any) => r.contact.firstName)).toEqual(['Ada', 'Cy']);
    const rest = (await s.m.caller.get(`/api/segments/${segment.id}/members?limit=2&cursor=${members.nextCursor}`)).json;
    expect(rest.data.map((r: any) => r.contact.firstName)).toEqual(['Di']);
    expect(rest.nextCursor).toBeNull();
    expect(rest.data[0].since).toBe(new Date(t.clock.now).toISOString());

    const changes = (await s.m.caller.get(`/api/segments/${segment.id}/changes`)).json.data;
    // Newest first: the second refresh's entry after its exit, then the first's entries.
    const told = changes.map((c: any) => `${c.contactName} ${c.kind}`);
    expect(told.slice(0, 2)).toEqual(['Di Prince entered', 'Bob Builder left']);
    expect(told.slice(2).sort()).toEqual(['Ada Lovelace entered', 'Bob Builder entered', 'Cy Young entered']);
    expect(changes.every((c: any) => c.runId === null)).toBe(true);
    expect((await s.m.caller.get(`/api/segments/${segment.id}`)).json).toMatchObject({ memberCount: 3, refreshedAt: new Date(t.clock.now).toISOString() });
  });

  it('tells leaving and re-entering apart even when refreshes share a millisecond', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'VIPs', definition: and(where('contact.tags', 'any_of', ['vip'])) });
    const refresh = () => post(s.m, `/api/segments/${segment.id}/refresh`);
    expect(await refresh()).toMatchObject({ entered: 2, left: 0 });
    await created(s.m.caller.patch(`/api/contacts/${s.ada}`, { tags: [] }));
    expect(await refresh()).toMatchObject({ entered: 0, left: 1, memberCount: 1 });
    await created(s.m.caller.patch(`/api/contacts/${s.ada}`, { tags: ['VIP'] }));
    expect(await refresh()).toMatchObject({ entered: 1, left: 0, memberCount: 2 });
    expect(await refresh()).toMatchObject({ entered: 0, left: 0, memberCount: 2 });
    const ada = (await s.m.caller.get(`/api/segments/${segment.id}/changes`)).json.data.filter((c: any) => c.contactId === s.ada);
    expect(ada.map((c: any) => c.kind)).toEqual(['entered', 'left', 'entered']);
  });

  it('refreshes every segment of a workspace in chunks for the nightly run, naming the run, and leaves other workspaces alone', async () => {
    const s = await aShop();
    const other = await aShop();
    const ids = [];
    for (const name of ['A', 'B', 'C']) ids.push((await post(s.m, '/api/segments', { name, definition: and(where('contact.tags', 'any_of', ['vip'])) })).id);
    const theirs = await post(other.m, '/api/segments', { name: 'Theirs', definition: and() });
    let after: string | null = null;
    let calls = 0;
    do {
      const done = await refreshWorkspaceSegments(t.db, s.m.workspaceId, { now: t.clock.now, runId: 'run_nightly', after, limit: 2 });
      after = done.nextCursor;
      calls += 1;
    } while (after);
    expect(calls).toBe(2);
    for (const id of ids) expect((await s.m.caller.get(`/api/segments/${id}`)).json.memberCount).toBe(2);
    const runs = await t.db.select({ runId: segmentChanges.runId }).from(segmentChanges).where(eq(segmentChanges.segmentId, ids[0]!));
    expect(runs.map((r) => r.runId)).toEqual(['run_nightly', 'run_nightly']);
    expect(await t.db.select().from(segmentMembers).where(eq(segmentMembers.segmentId, theirs.id))).toEqual([]);
    // Twice is once.
    const again = await refreshWorkspaceSegments(t.db, s.m.workspaceId, { now: t.clock.now, runId: 'run_nightly', limit: 10 });
    expect(again).toMatchObject({ refreshed: 3, entered: 0, left: 0, nextCursor: null });
  });

  it('skips, without failing the run, a segment whose custom field was deleted', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'Gold', definition: and(where('contact.cf.tier', 'is', 'gold')) });
    const field = (await s.m.caller.get('/api/custom-fields')).json.data.find((f: any) => f.key === 'tier');
    await created(s.m.caller.delete(`/api/custom-fields/${field.id}`));
    const done = await refreshWorkspaceSegments(t.db, s.m.workspaceId, { now: t.clock.now, runId: null });
    expect(done.skipped.map((x) => x.id)).toEqual([segment.id]);
    expectErrorReply(await s.m.caller.post(`/api/segments/${segment.id}/refresh`), 400, 'invalid_request');
  });

  it('lists, renames and trashes segments; a trashed one is gone from the list and its pages', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'Zeta', definition: and() });
    await post(s.m, '/api/segments', { name: 'alpha', definition: and() });
    expect((await s.m.caller.get('/api/segments')).json.data.map((x: any) => x.name)).toEqual(['alpha', 'Zeta']);
    const renamed = await created(s.m.caller.patch(`/api/segments/${segment.id}`, { name: 'Omega', description: 'Everyone' }));
    expect(renamed).toMatchObject({ name: 'Omega', description: 'Everyone' });
    await created(s.m.caller.delete(`/api/segments/${segment.id}`));
    expect((await s.m.caller.get('/api/segments')).json.data.map((x: any) => x.name)).toEqual(['alpha']);
    for (const path of ['', '/members', '/changes']) expectErrorReply(await s.m.caller.get(`/api/segments/${segment.id}${path}`), 404, 'not_found');
  });

  it('lists the trash and restores a segment from it, members and history kept, audited both ways', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'Buyers', definition: and() });
    const refreshed = await created(s.m.caller.post(`/api/segments/${segment.id}/refresh`));
    expect(refreshed.memberCount).toBeGreaterThan(0);
    await created(s.m.caller.delete(`/api/segments/${segment.id}`));
    const trash = (await s.m.caller.get('/api/segments?deleted=true')).json.data;
    expect(trash.map((x: any) => [x.id, typeof x.deletedAt])).toEqual([[segment.id, 'string']]);
    expectErrorReply(await s.m.caller.delete(`/api/segments/${segment.id}`), 404, 'not_found');

    // A later moment, so the audit trail orders the two by time.
    t.clock.now += 1_000;
    const restored = await created(s.m.caller.post(`/api/segments/${segment.id}/restore`));
    expect(restored).toMatchObject({ id: segment.id, name: 'Buyers', deletedAt: null, memberCount: refreshed.memberCount });
    expect((await s.m.caller.get('/api/segments?deleted=true')).json.data).toEqual([]);
    expect((await s.m.caller.get(`/api/segments/${segment.id}/members`)).json.data).toHaveLength(Math.min(refreshed.memberCount, 50));
    expect((await s.m.caller.get(`/api/segments/${segment.id}/changes`)).json.data.length).toBeGreaterThan(0);
    const audit = await t.db.select({ action: auditLog.action }).from(auditLog).where(both(eq(auditLog.entityType, 'segment'), eq(auditLog.entityId, segment.id))).orderBy(auditLog.at, auditLog.id);
    expect(audit.map((a) => a.action)).toEqual(['delete', 'restore']);
  });

  it('lets a read key preview and read members, but not save or refresh', async () => {
    const s = await aShop();
    const key = await anApiKey(t.app, s.m.caller, 'read');
    expect((await key.caller.post('/api/segments/preview', { definition: and() })).status).toBe(200);
    expectErrorReply(await key.caller.post('/api/segments', { name: 'X', definition: and() }), 403, 'forbidden');
    const segment = await post(s.m, '/api/segments', { name: 'All', definition: and() });
    expectErrorReply(await key.caller.post(`/api/segments/${segment.id}/refresh`), 403, 'forbidden');
    expect((await key.caller.get(`/api/segments/${segment.id}/members`)).status).toBe(200);
  });

  it('offers the builder every field, custom fields of the workspace included', async () => {
    const fields = (await shop.m.caller.get('/api/segments/fields')).json;
    expect(fields.reportingCurrency).toBe('USD');
    const byKey = new Map(fields.data.map((f: any) => [f.key, f]));
    expect(byKey.get('contact.cf.tier')).toMatchObject({ type: 'enum', options: ['gold', 'silver'] });
    expect(byKey.get('orders.count')).toMatchObject({ type: 'number', windowed: true });
    expect(byKey.get('scores.tier')).toMatchObject({ type: 'enum', options: ['vip', 'main', 'ordinary', 'scattered'] });
  });
});

describe('members of a trashed contact', () => {
  it('leave at the next refresh', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'All', definition: and() });
    await post(s.m, `/api/segments/${segment.id}/refresh`);
    await created(s.m.caller.delete(`/api/contacts/${s.cy}`));
    expect(await post(s.m, `/api/segments/${segment.id}/refresh`)).toMatchObject({ entered: 0, left: 1, memberCount: 3 });
    const [row] = await t.db.select({ deletedAt: contacts.deletedAt }).from(contacts).where(eq(contacts.id, s.cy));
    expect(row!.deletedAt).not.toBeNull();
  });
});

describe('a segment as an audience', () => {
  it('is the contact ids of its members, read from one range of segment_members, inside its workspace', async () => {
    const s = await aShop();
    const segment = await post(s.m, '/api/segments', { name: 'Customers', definition: and(where('contact.lifecycleStage', 'is', 'customer')) });
    await post(s.m, `/api/segments/${segment.id}/refresh`);
    const scope = systemScope(t.db, s.m.workspaceId, t.clock.now);
    const audience = await t.db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.id, segmentAudience(scope, segment.id)));
    expect(audience.map((r) => r.id).sort()).toEqual([s.ada, s.cy].sort());
    const elsewhere = systemScope(t.db, shop.m.workspaceId, t.clock.now);
    expect(await t.db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.id, segmentAudience(elsewhere, segment.id)))).toEqual([]);
  });
});

describe('GET /api/openapi.json', () => {
  it('describes a definition as one recursive schema: a group whose children are conditions or groups', async () => {
    const doc = await openApiDocument(t.app);
    const group = doc.components.schemas.SegmentGroup as any;
    const refs = group.properties.children.items.oneOf.map((s: { $ref: string }) => s.$ref);
    expect(refs).toEqual(['#/components/schemas/SegmentCondition', '#/components/schemas/SegmentGroup']);
    expect(doc.paths['/api/segments/preview']!.post!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/SegmentPreviewRequest' });
  });
});
