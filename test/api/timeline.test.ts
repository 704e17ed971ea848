import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { activitySchema } from '../../functions/schemas/activities';
import { timelinePage } from '../../functions/schemas/timeline';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';
import { newId } from '../../functions/domain/ids';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

// Every answer parsed with its documented schema made strict.
const exactPage = timelinePage.extend({
  data: timelinePage.shape.data.element.options.map((o) => o.strict()).reduce((a, b) => a.or(b) as never).array(),
});
async function timeline(caller: Awaited<ReturnType<typeof aMember>>['caller'], query: string) {
  const res = await caller.get(`/api/timeline?${query}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(exactPage.parse(res.json)).toEqual(res.json);
  return res.json as { data: any[]; nextCursor: string | null };
}
const tick = () => (t.clock.now += 1000);

describe('GET /api/timeline', () => {
  it("tells a contact's story newest first: created, notes, and the stage and owner changes with who and when", async () => {
    const me = await aMember(t.app);
    const colleague = await aMember(t.app);
    const invitation = await created(me.caller.post('/api/invitations', { role: 'sales' }));
    await created(colleague.caller.post('/api/invitations/accept', { token: invitation.token }));
    const contact = await created(me.caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'Byron' })));
    tick();
    await created(me.caller.post('/api/activities', { contactId: contact.id, body: 'Met at the fair' }));
    tick();
    await created(me.caller.patch(`/api/contacts/${contact.id}`, { lifecycleStage: 'customer', ownerId: colleague.userId, jobTitle: 'Analyst' }));

    const page = await timeline(me.caller, `contactId=${contact.id}`);
    expect(page.data.map((e) => [e.kind, e.kind === 'change' ? e.payload.action : e.payload.body])).toEqual([
      ['change', 'update'],
      ['activity', 'Met at the fair'],
      ['change', 'create'],
    ]);
    const [edit] = page.data;
    expect(edit).toMatchObject({
      actor: { id: me.userId, name: expect.stringMatching(/^Person/) },
      target: { type: 'contact', id: contact.id, name: 'Ada Byron' },
      at: new Date(t.clock.now).toISOString(),
      payload: {
        fields: ['jobTitle', 'ownerId', 'lifecycleStage'],
        from: { lifecycleStage: 'lead', ownerId: me.userId, jobTitle: null },
        to: { lifecycleStage: 'customer', ownerId: colleague.userId, jobTitle: 'Analyst' },
        names: { [me.userId]: expect.stringMatching(/^Person/), [colleague.userId]: expect.stringMatching(/^Person/) },
        bulkId: null,
      },
    });
  });

  it('records the old and new value of the shown fields only, and every field the edit set', async () => {
    const { caller } = await aMember(t.app);
    const company = await created(caller.post('/api/companies', { name: 'Engines Ltd' }));
    const contact = await created(caller.post('/api/contacts', aContact({ tags: ['vip'] })));
    tick();
    await created(caller.patch(`/api/contacts/${contact.id}`, { companyId: company.id, tags: ['vip', 'board'], leadSource: 'Fair' }));
    const rows = await t.db.select().from(auditLog);
    const row = rows.find((r) => r.entityId === contact.id && r.action === 'update')!;
    expect(row.changes).toEqual({
      fields: ['companyId', 'leadSource', 'tags'],
      from: { companyId: null, tags: ['vip'] },
      to: { companyId: company.id, tags: ['vip', 'board'] },
    });
    const [edit] = (await timeline(caller, `contactId=${contact.id}&kinds=change`)).data;
    expect(edit.payload.names).toEqual({ [company.id]: 'Engines Ltd' });
  });

  it('shows an audit row written before from/to existed as the fields it names', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const contact = await created(caller.post('/api/contacts', aContact()));
    tick();
    await t.db.insert(auditLog).values({
      id: newId('audit', t.clock.now),
      workspaceId,
      actorId: 'system',
      action: 'update',
      entityType: 'contact',
      entityId: contact.id,
      changes: { fields: ['address'] },
      at: t.clock.now,
    });
    const [old] = (await timeline(caller, `contactId=${contact.id}`)).data;
    expect(old).toMatchObject({ kind: 'change', actor: { id: 'system', name: null }, payload: { action: 'update', fields: ['address'], from: {}, to: {}, names: {} } });
  });

  it("tells a company's story with its people's activities, each naming the person", async () => {
    const { caller } = await aMember(t.app);
    const company = await created(caller.post('/api/companies', { name: 'Analytical Engines' }));
    const ada = await created(caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'King', companyId: company.id })));
    const elsewhere = await created(caller.post('/api/contacts', aContact()));
    tick();
    await created(caller.post('/api/activities', { contactId: ada.id, body: 'Called Ada' }));
    await created(caller.post('/api/activities', { contactId: elsewhere.id, body: 'Not about this company' }));
    tick();
    await created(caller.post('/api/activities', { companyId: company.id, type: 'meeting', body: 'Board meeting' }));
    const page = await timeline(caller, `companyId=${company.id}&kinds=activity`);
    expect(page.data.map((e) => [e.payload.body, e.target.name])).toEqual([
      ['Board meeting', 'Analytical Engines'],
      ['Called Ada', 'Ada King'],
    ]);
    expect(page.data[1].target).toEqual({ type: 'contact', id: ada.id, name: 'Ada King' });
  });

  it('filters by kind and pages by (at, id) across sources without losing or repeating an entry', async () => {
    const { caller } = await aMember(t.app);
    const contact = await created(caller.post('/api/contacts', aContact()));
    for (let i = 0; i < 4; i++) {
      tick();
      await created(caller.post('/api/activities', { contactId: contact.id, body: `Note ${i}` }));
      await created(caller.patch(`/api/contacts/${contact.id}`, { jobTitle: `Title ${i}` }));
    }
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(caller, `contactId=${contact.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(9);
    expect(new Set(all.map((e) => e.id)).size).toBe(9);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
    const notes = await timeline(caller, `contactId=${contact.id}&kinds=activity`);
    expect(notes.data.map((e) => e.payload.body)).toEqual(['Note 3', 'Note 2', 'Note 1', 'Note 0']);
    expect((await timeline(caller, `contactId=${contact.id}&kinds=change,activity`)).data).toHaveLength(9);
  });

  it('answers 404 for a contact in the trash and an empty page for a company with no story', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const contact = await created(caller.post('/api/contacts', aContact()));
    await created(caller.delete(`/api/contacts/${contact.id}`));
    expect((await caller.get(`/api/timeline?contactId=${contact.id}`)).status).toBe(404);
    const company = await created(caller.post('/api/companies', { name: 'Quiet' }));
    expect(await timeline(caller, `companyId=${company.id}&kinds=activity`)).toEqual({ data: [], nextCursor: null });
    expect(workspaceId).toBeTruthy();
  });
});

describe('PATCH and DELETE /api/activities/{id}', () => {
  it('edits a note, keeps its author, and audits the fields without their words', async () => {
    const { caller } = await aMember(t.app);
    const contact = await created(caller.post('/api/contacts', aContact()));
    const note = await created(caller.post('/api/activities', { contactId: contact.id, body: 'Secret plans' }));
    tick();
    const res = await caller.patch(`/api/activities/${note.id}`, { body: 'Public plans', type: 'call' });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(activitySchema.strict().parse(res.json)).toEqual(res.json);
    expect(res.json).toMatchObject({ body: 'Public plans', type: 'call', authorId: note.authorId, createdAt: note.createdAt, updatedAt: new Date(t.clock.now).toISOString() });
    const audit = (await t.db.select().from(auditLog)).find((r) => r.entityId === note.id && r.action === 'update')!;
    expect(audit.changes).toEqual({ fields: ['type', 'body'], from: { type: 'note' }, to: { type: 'call' } });
    expect(JSON.stringify(audit)).not.toContain('plans');
  });

  it('deletes a note for good, audited, and it leaves the timeline', async () => {
    const { caller } = await aMember(t.app);
    const company = await created(caller.post('/api/companies', { name: 'Deleted Notes Ltd' }));
    const note = await created(caller.post('/api/activities', { companyId: company.id, body: 'Oops' }));
    const res = await caller.delete(`/api/activities/${note.id}`);
    expect(res.status).toBe(204);
    expect((await timeline(caller, `companyId=${company.id}&kinds=activity`)).data).toEqual([]);
    const audit = (await t.db.select().from(auditLog)).find((r) => r.entityId === note.id && r.action === 'delete')!;
    expect(audit.changes).toEqual({ type: 'note', contactId: null, companyId: company.id });
    expect((await caller.delete(`/api/activities/${note.id}`)).status).toBe(404);
  });

  it("refuses to edit a note of a contact in the trash, as if it were gone", async () => {
    const { caller } = await aMember(t.app);
    const contact = await created(caller.post('/api/contacts', aContact()));
    const note = await created(caller.post('/api/activities', { contactId: contact.id, body: 'Before the trash' }));
    await created(caller.delete(`/api/contacts/${contact.id}`));
    expect((await caller.patch(`/api/activities/${note.id}`, { body: 'After' })).status).toBe(404);
    expect((await caller.delete(`/api/activities/${note.id}`)).status).toBe(404);
  });
});

describe('GET /api/timeline: purchases', () => {
  it("puts a contact's orders on their timeline at the time they bought, and on their company's", async () => {
    const me = await aMember(t.app);
    const company = await created(me.caller.post('/api/companies', { name: 'Tea Traders' }));
    const contact = await created(me.caller.post('/api/contacts', aContact({ companyId: company.id })));
    const lines = ['Sencha', 'Matcha', 'Hojicha', 'Genmaicha'].map((name) => ({ name, quantity: 1, unitPrice: 500 }));
    const order = await created(
      me.caller.post('/api/orders', { contactId: contact.id, currency: 'EUR', externalId: 'T-100', orderedAt: '2026-01-02T03:04:05Z', lines, refunded: 500 }),
    );
    const trashed = await created(me.caller.post('/api/orders', { contactId: contact.id, currency: 'EUR', lines: lines.slice(0, 1) }));
    await me.caller.delete(`/api/orders/${trashed.id}`);

    const page = await timeline(me.caller, `contactId=${contact.id}&kinds=order`);
    expect(page.data).toEqual([
      expect.objectContaining({
        kind: 'order',
        id: order.id,
        at: '2026-01-02T03:04:05.000Z',
        actor: null,
        payload: { orderId: order.id, externalId: 'T-100', status: 'paid', currency: 'EUR', total: 2000, refunded: 500, lines: 4, items: ['Sencha', 'Matcha', 'Hojicha'] },
      }),
    ]);
    const companyPage = await timeline(me.caller, `companyId=${company.id}&kinds=order`);
    expect(companyPage.data.map((e) => [e.id, e.target.id])).toEqual([[order.id, contact.id]]);
  });
});
