import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, customerScores } from '../../db/schema';
import { BULK_CHUNK, COUNT_CAP } from '../../functions/domain/lists';
import { runMaintenance } from '../../functions/jobs/maintenance';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { anApiKey, created } from '../fixtures/requests';
import { insertContacts } from '../fixtures/trash';

// The shared list on the server: filters (tags without regard to case,
// several stages, owner "me", custom fields by type), the separate count,
// the tag vocabulary, bulk actions over a selection rule (with audit rows,
// chunks, a queue job, Undo of a delete) and saved views.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
const DAY = 86_400_000;

const ids = (res: { json: { data: { id: string }[] } }) => res.json.data.map((r) => r.id).sort();
const post = (m: { caller: Caller }, path: string, body: unknown) => created<any>(m.caller.post(path, body));

async function aColleague(owner: Member, role: string) {
  const { token } = await post(owner, '/api/invitations', { role });
  const caller = new Caller(t.app);
  const res = await caller.post('/api/auth/sign-up', {
    email: `colleague-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'correct horse battery',
    name: `A ${role}`,
    invitationToken: token,
  });
  expect(res.status).toBe(201);
  await caller.refreshCsrf();
  return { caller, userId: res.json.userId as string };
}

describe('filters', () => {
  it('match tags without regard to case, and list each tag once in the vocabulary', async () => {
    const m = await aMember(t.app);
    const lower = await post(m, '/api/contacts', aContact({ tags: ['vip'] }));
    const lower2 = await post(m, '/api/contacts', aContact({ tags: ['vip', 'partner'] }));
    const upper = await post(m, '/api/contacts', aContact({ tags: ['VIP'] }));
    await post(m, '/api/contacts', aContact({ tags: ['other'] }));
    const trashed = await post(m, '/api/contacts', aContact({ tags: ['Vip'] }));
    await created(m.caller.delete(`/api/contacts/${trashed.id}`));

    expect(ids(await m.caller.get('/api/contacts?tag=VIP'))).toEqual([lower.id, lower2.id, upper.id].sort());
    expect((await m.caller.get('/api/contacts/count?tag=Vip')).json).toEqual({ count: 3, capped: false });
    expect(ids(await m.caller.get('/api/contacts?tag=VIP&deleted=true'))).toEqual([trashed.id]);
    // Several tags: any of them.
    expect(ids(await m.caller.get('/api/contacts?tag=partner&tag=other'))).toHaveLength(2);

    const vocabulary = (await m.caller.get('/api/contacts/tags')).json.data;
    expect(vocabulary).toEqual([
      { tag: 'vip', count: 3 },
      { tag: 'other', count: 1 },
      { tag: 'partner', count: 1 },
    ]);

    // A tag edited on the record moves with it.
    await created(m.caller.patch(`/api/contacts/${upper.id}`, { tags: ['former'] }));
    expect((await m.caller.get('/api/contacts/count?tag=vip')).json.count).toBe(2);
  });

  it('take several stages at once, owner "me" or "none", and custom fields by type', async () => {
    const m = await aMember(t.app);
    const colleague = await aColleague(m, 'sales');
    for (const [key, type, options] of [
      ['score', 'number'],
      ['tier', 'select', ['gold', 'silver']],
      ['notes_line', 'text'],
      ['since', 'date'],
      ['vip', 'boolean'],
      ['langs', 'multi_select', ['en', 'fr', 'de']],
    ] as const) {
      await post(m, '/api/custom-fields', { entity: 'contact', key, label: key, type, options });
    }
    const a = await post(m, '/api/contacts', aContact({ lifecycleStage: 'lead', ownerId: m.userId, customFields: { score: 5, tier: 'gold', notes_line: 'Renewal due', since: '2025-03-01', vip: true, langs: ['en', 'fr'] } }));
    const b = await post(m, '/api/contacts', aContact({ lifecycleStage: 'customer', ownerId: colleague.userId, customFields: { score: 15, tier: 'silver', since: '2026-01-10', vip: false, langs: ['de'] } }));
    const c = await post(m, '/api/contacts', aContact({ lifecycleStage: 'opportunity', ownerId: null, customFields: { score: 25 } }));

    expect(ids(await m.caller.get('/api/contacts?lifecycleStage=lead&lifecycleStage=customer'))).toEqual([a.id, b.id].sort());
    expect(ids(await m.caller.get('/api/contacts?ownerId=me'))).toEqual([a.id]);
    expect(ids(await colleague.caller.get('/api/contacts?ownerId=me'))).toEqual([b.id]);
    expect(ids(await m.caller.get('/api/contacts?ownerId=none'))).toEqual([c.id]);

    const cf = async (...conditions: string[]) => ids(await m.caller.get(`/api/contacts?${conditions.map((x) => `cf=${encodeURIComponent(x)}`).join('&')}`));
    expect(await cf('score:gte:10')).toEqual([b.id, c.id].sort());
    expect(await cf('score:gte:10', 'score:lte:20')).toEqual([b.id]);
    expect(await cf('tier:in:["gold","bronze"]')).toEqual([a.id]);
    expect(await cf('langs:in:["fr","de"]')).toEqual([a.id, b.id].sort());
    expect(await cf('notes_line:contains:RENEWAL')).toEqual([a.id]);
    expect(await cf('since:gte:"2026-01-01"')).toEqual([b.id]);
    expect(await cf('since:lte:"2025-12-31"')).toEqual([a.id]);
    expect(await cf('vip:eq:true')).toEqual([a.id]);
    expect(await cf('vip:eq:false')).toEqual([b.id]);
    expect(await cf('tier:eq:GOLD')).toEqual([a.id]);
    // A key no record has matches nothing rather than failing.
    expect(await cf('unknown_key:eq:1')).toEqual([]);
    expect((await m.caller.get('/api/contacts/count?cf=score:gte:10&lifecycleStage=opportunity')).json).toEqual({ count: 1, capped: false });
  });

  it('narrow a tag by stages and by owner as the records change, whoever changes them', async () => {
    const m = await aMember(t.app);
    const colleague = await aColleague(m, 'sales');
    const lead = await post(m, '/api/contacts', aContact({ tags: ['VIP'], lifecycleStage: 'lead', ownerId: colleague.userId }));
    const customer = await post(m, '/api/contacts', aContact({ tags: ['vip', 'partner'], lifecycleStage: 'customer', ownerId: m.userId }));
    await post(m, '/api/contacts', aContact({ tags: ['other'], lifecycleStage: 'customer', ownerId: m.userId }));
    const tagged = (query: string) => m.caller.get(`/api/contacts?tag=vip&${query}`).then(ids);

    expect(await tagged('lifecycleStage=customer')).toEqual([customer.id]);
    expect(await tagged('ownerId=me')).toEqual([customer.id]);
    expect(await tagged('lifecycleStage=lead&lifecycleStage=customer&ownerId=none')).toEqual([]);

    // An edit of the stage and the owner moves the record between filters.
    await created(m.caller.patch(`/api/contacts/${lead.id}`, { lifecycleStage: 'customer', ownerId: m.userId }));
    expect(await tagged('lifecycleStage=customer')).toEqual([lead.id, customer.id].sort());
    expect(await tagged('ownerId=me')).toEqual([lead.id, customer.id].sort());
    expect(await tagged('lifecycleStage=lead')).toEqual([]);
    // So does a bulk action, and the count agrees with the list.
    await post(m, '/api/contacts/bulk', { selection: { ids: [customer.id] }, action: { type: 'setOwner', ownerId: null } });
    expect(await tagged('ownerId=none&lifecycleStage=customer')).toEqual([customer.id]);
    expect((await m.caller.get('/api/contacts/count?tag=VIP&ownerId=me&lifecycleStage=customer')).json).toEqual({ count: 1, capped: false });
    // A tag added later carries the record's stage and owner from the start.
    await created(m.caller.patch(`/api/contacts/${lead.id}`, { tags: ['vip', 'renewal'] }));
    expect(ids(await m.caller.get('/api/contacts?tag=renewal&lifecycleStage=customer&ownerId=me'))).toEqual([lead.id]);

    // A count of tags alone is read from the tag rows: a record with two of
    // the tags asked for is still one, and it agrees with the list.
    const gone = await post(m, '/api/contacts', aContact({ tags: ['vip', 'partner'] }));
    await created(m.caller.delete(`/api/contacts/${gone.id}`));
    for (const query of ['tag=vip&tag=partner', 'tag=VIP&tag=renewal&lifecycleStage=customer', 'tag=vip&ownerId=me', 'tag=partner&tag=vip&deleted=true']) {
      const listed = (await m.caller.get(`/api/contacts?${query}`)).json.data.length;
      expect((await m.caller.get(`/api/contacts/count?${query}`)).json, query).toEqual({ count: listed, capped: false });
    }
    expect((await m.caller.get('/api/contacts/count?tag=vip&tag=partner')).json.count).toBe(2);
    expect((await m.caller.get('/api/contacts/count?tag=vip&tag=partner&deleted=true')).json.count).toBe(1);

    // Pages of such a filter come in name order, forwards and backwards,
    // and a renamed contact moves to its new place.
    const named = [];
    for (const lastName of ['Cobb', 'Abbot', 'Baker', 'Dunn']) {
      named.push(await post(m, '/api/contacts', aContact({ firstName: 'Pat', lastName, tags: ['Paged', 'vip'], lifecycleStage: 'subscriber', ownerId: m.userId })));
    }
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await m.caller.get(`/api/contacts?tag=paged&tag=vip&lifecycleStage=subscriber&ownerId=me&limit=1&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.json.data.map((c: { lastName: string }) => c.lastName));
        cursor = res.json.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await walk('sort=name')).toEqual(['Abbot', 'Baker', 'Cobb', 'Dunn']);
    expect(await walk('sort=-name')).toEqual(['Dunn', 'Cobb', 'Baker', 'Abbot']);
    await created(m.caller.patch(`/api/contacts/${named[3]!.id}`, { lastName: 'Aaron' }));
    expect(await walk('sort=name')).toEqual(['Aaron', 'Abbot', 'Baker', 'Cobb']);
    // Any other condition sends the count back to the records themselves.
    for (const query of ['tag=vip&q=Abbot', 'tag=vip&q=Ab', 'tag=paged&leadSource=Referral']) {
      const listed = (await m.caller.get(`/api/contacts?${query}`)).json.data.length;
      expect((await m.caller.get(`/api/contacts/count?${query}`)).json, query).toEqual({ count: listed, capped: false });
    }
    expect((await m.caller.get('/api/contacts?tag=vip&q=Abbot')).json.data).toHaveLength(1);

    const company = await post(m, '/api/companies', { name: 'Tagged Ltd', tags: ['Key'], ownerId: colleague.userId });
    expect(ids(await m.caller.get('/api/companies?tag=key&ownerId=me'))).toEqual([]);
    await created(m.caller.patch(`/api/companies/${company.id}`, { ownerId: m.userId }));
    expect(ids(await m.caller.get('/api/companies?tag=key&ownerId=me'))).toEqual([company.id]);
  });

  it('search a fragment from three characters, and the start of a name with one or two', async () => {
    const m = await aMember(t.app);
    const ada = await post(m, '/api/contacts', aContact({ firstName: 'Ada', lastName: 'Byron' }));
    await post(m, '/api/contacts', aContact({ firstName: 'Grace', lastName: 'Hopper' }));
    expect(ids(await m.caller.get('/api/contacts?q=ad'))).toEqual([ada.id]);
    // "yr" is inside Byron, but two characters match only the start of a name.
    expect(ids(await m.caller.get('/api/contacts?q=yr'))).toEqual([]);
    expect(ids(await m.caller.get('/api/contacts?q=byr'))).toEqual([ada.id]);
  });

  it('for "me" need a member: an API key is told so', async () => {
    const m = await aMember(t.app);
    const key = await anApiKey(t.app, m.caller, 'read');
    const res = await key.caller.get('/api/contacts?ownerId=me');
    expect(res.status).toBe(422);
    expect(res.json.error.details).toEqual([expect.objectContaining({ path: 'ownerId' })]);
  });
});

describe('the count', () => {
  it('is exact up to the cap and a lower bound past it', async () => {
    const m = await aMember(t.app);
    await insertContacts(t.db, m.workspaceId, COUNT_CAP + 5, { at: t.clock.now - DAY, deletedAt: null, name: 'Many' });
    expect((await m.caller.get('/api/contacts/count')).json).toEqual({ count: COUNT_CAP, capped: true });
    expect((await m.caller.get('/api/contacts/count?q=many1')).json.capped).toBe(false);
    expect((await m.caller.get('/api/contacts/count?lifecycleStage=customer')).json).toEqual({ count: 0, capped: false });
  });
});

describe('bulk actions', () => {
  it('tag the chosen records, skip those that already have the tag in any case, and audit each change with the bulk id', async () => {
    const m = await aMember(t.app);
    const plain = await post(m, '/api/contacts', aContact({ tags: ['partner'] }));
    const already = await post(m, '/api/contacts', aContact({ tags: ['VIP'] }));
    const untouched = await post(m, '/api/contacts', aContact());
    const res = await m.caller.post('/api/contacts/bulk', { selection: { ids: [plain.id, already.id] }, action: { type: 'addTags', tags: ['vip'] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'done', total: 2, processed: 2, changed: 1, action: { type: 'addTags', tags: ['vip'] } });

    expect((await m.caller.get(`/api/contacts/${plain.id}`)).json.tags).toEqual(['partner', 'vip']);
    expect((await m.caller.get(`/api/contacts/${already.id}`)).json.tags).toEqual(['VIP']);
    expect((await m.caller.get(`/api/contacts/${untouched.id}`)).json.tags).toEqual([]);

    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, m.workspaceId), eq(auditLog.action, 'update')));
    expect(audits.map((a) => [a.entityId, a.changes])).toEqual([
      [plain.id, { fields: ['tags'], from: { tags: ['partner'] }, to: { tags: ['partner', 'vip'] }, bulkId: res.json.id }],
    ]);
    expect(audits[0]!.actorId).toBe(m.userId);

    // Removing matches any case too.
    const removed = await created<any>(m.caller.post('/api/contacts/bulk', { selection: { ids: [plain.id, already.id] }, action: { type: 'removeTags', tags: ['Vip'] } }));
    expect(removed.changed).toBe(2);
    expect((await m.caller.get(`/api/contacts/${already.id}`)).json.tags).toEqual([]);
  });

  it('over "all that match" follow the filter less the exceptions, never anything else', async () => {
    const m = await aMember(t.app);
    const leads = await Promise.all([1, 2, 3].map(() => post(m, '/api/contacts', aContact({ lifecycleStage: 'lead', tags: ['fair'] }))));
    const customer = await post(m, '/api/contacts', aContact({ lifecycleStage: 'customer', tags: ['fair'] }));
    const [first, second, third] = leads;
    const res = await created<any>(
      m.caller.post('/api/contacts/bulk', {
        selection: { filter: { tag: ['FAIR'], lifecycleStage: ['lead'] }, except: [second.id] },
        action: { type: 'setStage', lifecycleStage: 'opportunity' },
      }),
    );
    expect(res).toMatchObject({ status: 'done', total: 2, changed: 2 });
    const stages = Object.fromEntries((await m.caller.get('/api/contacts')).json.data.map((c: any) => [c.id, c.lifecycleStage]));
    expect(stages).toEqual({ [first.id]: 'opportunity', [second.id]: 'lead', [third.id]: 'opportunity', [customer.id]: 'customer' });

    const owner = await created<any>(m.caller.post('/api/companies/bulk', { selection: { filter: {} }, action: { type: 'setOwner', ownerId: m.userId } }));
    expect(owner).toMatchObject({ status: 'done', total: 0 });
  });

  it('delete to the trash, and Undo restores exactly what that delete moved there', async () => {
    const m = await aMember(t.app);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => post(m, '/api/contacts', aContact({ tags: ['cull'] }))));
    // Already in the trash before the bulk delete: not the bulk delete's to restore.
    const earlier = await post(m, '/api/contacts', aContact({ tags: ['cull'] }));
    await created(m.caller.delete(`/api/contacts/${earlier.id}`));

    const del = await created<any>(m.caller.post('/api/contacts/bulk', { selection: { filter: { tag: ['cull'] } }, action: { type: 'delete' } }));
    expect(del).toMatchObject({ status: 'done', total: 3, changed: 3 });
    expect((await m.caller.get('/api/contacts/count?tag=cull')).json.count).toBe(0);

    const undo = await m.caller.post(`/api/bulk-operations/${del.id}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.json).toMatchObject({ status: 'done', total: 3, changed: 3, undoOf: del.id });
    expect(ids(await m.caller.get('/api/contacts?tag=cull'))).toEqual([a.id, b.id, c.id].sort());
    expect(ids(await m.caller.get('/api/contacts?deleted=true'))).toEqual([earlier.id]);
    expect((await m.caller.get(`/api/bulk-operations/${del.id}`)).json.undoneBy).toBe(undo.json.id);

    const again = await m.caller.post(`/api/bulk-operations/${del.id}/undo`);
    expect(again.status).toBe(409);
    const tagging = await created<any>(m.caller.post('/api/contacts/bulk', { selection: { ids: [a.id] }, action: { type: 'addTags', tags: ['x'] } }));
    expect((await m.caller.post(`/api/bulk-operations/${tagging.id}/undo`)).status).toBe(409);

    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, m.workspaceId), inArray(auditLog.action, ['delete', 'restore'])));
    const bulkAudits = audits.filter((x) => (x.changes as any)?.bulkId);
    expect(bulkAudits.filter((x) => x.action === 'delete').map((x) => x.entityId).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(bulkAudits.filter((x) => x.action === 'restore').every((x) => (x.changes as any).bulkId === undo.json.id)).toBe(true);
  });

  it('past one chunk continue as a queue job, to the end, once even when the message comes twice', async () => {
    const m = await aMember(t.app);
    const count = BULK_CHUNK * 2 + 37;
    const made = await insertContacts(t.db, m.workspaceId, count, { at: t.clock.now - DAY, deletedAt: null, name: 'Bulk' });
    t.sent.length = 0;
    const res = await m.caller.post('/api/contacts/bulk', { selection: { filter: { q: 'bulk' } }, action: { type: 'addTags', tags: ['wave'] } });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'running', total: count, processed: BULK_CHUNK, changed: BULK_CHUNK });
    const message = t.sent.find((s) => s.queue === 'maintenance')!;
    expect(message.body).toEqual({ type: 'bulk-operation', workspaceId: m.workspaceId, operationId: res.json.id });

    const deps = { db: t.db, now: () => t.clock.now, undoWindowMs: 30 * DAY, queues: t.deps.queues };
    await runMaintenance(deps, message.body);
    // Redelivered: the operation is done, so nothing more happens.
    await runMaintenance(deps, message.body);

    const done = (await m.caller.get(`/api/bulk-operations/${res.json.id}`)).json;
    expect(done).toMatchObject({ status: 'done', total: count, processed: count, changed: count });
    expect((await m.caller.get('/api/contacts/count?tag=wave')).json.count).toBe(count);
    const audits = await t.db.select({ id: auditLog.entityId }).from(auditLog).where(and(eq(auditLog.workspaceId, m.workspaceId), eq(auditLog.action, 'update')));
    expect(audits).toHaveLength(count);
    expect(new Set(audits.map((a) => a.id)).size).toBe(count);
    const rows = await t.db.select({ tags: contacts.tags }).from(contacts).where(inArray(contacts.id, made.slice(0, 3)));
    expect(rows.map((r) => r.tags)).toEqual([['wave'], ['wave'], ['wave']]);
  });

  it('follow roles: a viewer or a read key may not, deleting needs the right to delete, the owner must be a member', async () => {
    const m = await aMember(t.app);
    const contact = await post(m, '/api/contacts', aContact());
    const viewer = await aColleague(m, 'viewer');
    const readKey = await anApiKey(t.app, m.caller, 'read');
    const body = { selection: { ids: [contact.id] }, action: { type: 'addTags', tags: ['x'] } };
    expect((await viewer.caller.post('/api/contacts/bulk', body)).status).toBe(403);
    expect((await readKey.caller.post('/api/contacts/bulk', body)).status).toBe(403);
    const sales = await aColleague(m, 'sales');
    expect((await sales.caller.post('/api/contacts/bulk', { ...body, action: { type: 'setOwner', ownerId: sales.userId } })).json.changed).toBe(1);
    const stranger = await aMember(t.app);
    expect((await m.caller.post('/api/contacts/bulk', { ...body, action: { type: 'setOwner', ownerId: stranger.userId } })).status).toBe(422);
  });
});

describe('saved views', () => {
  const state = { filters: { lifecycleStage: ['lead'], tag: ['vip'] }, sort: '-createdAt', columns: ['name', 'email', 'cf.tier'] };

  it('are private to their maker unless shared, and come back as saved', async () => {
    const m = await aMember(t.app);
    const colleague = await aColleague(m, 'sales');
    const mine = await post(m, '/api/views', { entity: 'contact', name: 'Hot leads', state });
    expect(mine).toMatchObject({ name: 'Hot leads', visibility: 'private', state, mine: true, canChange: true, ownerId: m.userId });
    const shared = await post(m, '/api/views', { entity: 'contact', name: 'Everyone', visibility: 'workspace', state: { filters: {} } });
    await post(m, '/api/views', { entity: 'company', name: 'Accounts', state: { filters: { industry: 'Widgets' }, sort: 'name' } });

    expect((await m.caller.get('/api/views?entity=contact')).json.data.map((v: any) => v.name)).toEqual(['Everyone', 'Hot leads']);
    const theirs = (await colleague.caller.get('/api/views?entity=contact')).json.data;
    expect(theirs).toEqual([expect.objectContaining({ id: shared.id, mine: false, canChange: false, ownerName: expect.any(String) })]);
    expect((await colleague.caller.patch(`/api/views/${mine.id}`, { name: 'Mine now' })).status).toBe(404);
  });

  it('are changed by their maker, or when shared by a manager or above; only the maker makes one private', async () => {
    const m = await aMember(t.app);
    const sales = await aColleague(m, 'sales');
    const manager = await aColleague(m, 'manager');
    const view = await post(sales, '/api/views', { entity: 'contact', name: 'Mine', visibility: 'workspace', state: { filters: {} } });
    const renamed = await sales.caller.patch(`/api/views/${view.id}`, { name: 'Renamed', state });
    expect(renamed.json).toMatchObject({ name: 'Renamed', state });

    const other = await aColleague(m, 'sales');
    expect((await other.caller.patch(`/api/views/${view.id}`, { name: 'Taken' })).status).toBe(403);
    expect((await other.caller.delete(`/api/views/${view.id}`)).status).toBe(403);
    expect((await manager.caller.patch(`/api/views/${view.id}`, { name: 'Tidied' })).json.name).toBe('Tidied');
    expect((await manager.caller.patch(`/api/views/${view.id}`, { visibility: 'private' })).status).toBe(403);
    // A company view's state is checked against the company list.
    expect((await sales.caller.patch(`/api/views/${view.id}`, { state: { filters: { industry: 'x' } } })).status).toBe(400);
    expect((await manager.caller.delete(`/api/views/${view.id}`)).status).toBe(204);
    expect((await sales.caller.get('/api/views?entity=contact')).json.data).toEqual([]);
  });

  it('belong to members: an API key has none', async () => {
    const m = await aMember(t.app);
    const key = await anApiKey(t.app, m.caller, 'write');
    expect((await key.caller.get('/api/views?entity=contact')).status).toBe(403);
  });
});

describe('GET /api/contacts filtered by the nightly scores', () => {
  it('finds the customers of a segment, a tier, or a cell of the R×FM grid, and counts them', async () => {
    const owner = await aMember(t.app);
    const people = await Promise.all(Array.from({ length: 4 }, () => post(owner, '/api/contacts', aContact())));
    // r, f, m, segment, tier: FM is (F + M + 1) div 2, so 5/4 → 5 and 4/4 → 4.
    const scored = [
      [5, 5, 4, 'champions', 'vip'],
      [5, 4, 4, 'champions', 'main'],
      [1, 2, 1, 'lost', 'scattered'],
    ] as const;
    await t.db.insert(customerScores).values(
      scored.map(([r, f, m, segment, tier], i) => ({
        workspaceId: owner.workspaceId,
        contactId: people[i]!.id,
        runId: 'run_test',
        orders: f,
        revenue: m * 1000,
        lifetimeOrders: f,
        lifetimeRevenue: m * 1000,
        firstOrderAt: 0,
        lastOrderAt: 0,
        recencyDays: 10,
        r,
        f,
        m,
        segment,
        tier,
        churnRisk: 0,
        expectedGapDays: null,
        predictedValue: 0,
        updatedAt: 0,
      })),
    );
    const get = async (query: string) => ids(await owner.caller.get(`/api/contacts?${query}`));
    expect(await get('r=5&fm=5')).toEqual([people[0]!.id]);
    expect(await get('r=5&fm=4')).toEqual([people[1]!.id]);
    expect(await get('segment=champions')).toEqual([people[0]!.id, people[1]!.id].sort());
    expect(await get('segment=lost&segment=champions&tier=scattered')).toEqual([people[2]!.id]);
    expect(await get('tier=vip&tag=none-such')).toEqual([]);
    expect((await owner.caller.get('/api/contacts/count?segment=champions')).json).toEqual({ count: 2, capped: false });
    expect((await owner.caller.get('/api/contacts?r=6')).status).toBe(400);
    expect((await owner.caller.get('/api/contacts?segment=whales')).status).toBe(400);
  });
});
