import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPage, activitySchema } from '../../functions/schemas/activities';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('the timeline', () => {
  it('adds notes to a contact and lists them newest first with the author', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact());
    await caller.post('/api/activities', { contactId: contact.id, body: 'First call', occurredAt: '2026-11-01T09:00:00Z' });
    const second = await caller.post('/api/activities', { contactId: contact.id, body: 'Sent the quote' });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ type: 'note', body: 'Sent the quote', contactId: contact.id });
    const list = await caller.get(`/api/activities?contactId=${contact.id}`);
    expect(list.json.data.map((a: { body: string }) => a.body)).toEqual(['Sent the quote', 'First call']);
    expect(list.json.data[0].authorName).toMatch(/^Person/);
  });

  it('pages the timeline with a cursor', async () => {
    const { caller } = await aMember(t.app);
    const { json: company } = await caller.post('/api/companies', { name: 'Timeline Co' });
    for (let i = 0; i < 5; i++) {
      t.clock.now += 1000;
      await caller.post('/api/activities', { companyId: company.id, type: 'call', body: `Call ${i}` });
    }
    const first = await caller.get(`/api/activities?companyId=${company.id}&limit=3`);
    const second = await caller.get(`/api/activities?companyId=${company.id}&limit=3&cursor=${first.json.nextCursor}`);
    expect([...first.json.data, ...second.json.data].map((a: { body: string }) => a.body)).toEqual([
      'Call 4',
      'Call 3',
      'Call 2',
      'Call 1',
      'Call 0',
    ]);
  });

  it('refuses a note on a deleted contact', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact());
    await caller.delete(`/api/contacts/${contact.id}`);
    expect((await caller.post('/api/activities', { contactId: contact.id, body: 'Too late' })).status).toBe(404);
  });

  it('refuses an activity on both a contact and a company', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact());
    const { json: company } = await caller.post('/api/companies', { name: 'Both Co' });
    const res = await caller.post('/api/activities', { contactId: contact.id, companyId: company.id, body: 'x' });
    expect(res.status).toBe(400);
  });
});

describe('the JSON the database builds', () => {
  it('answers with exactly the documented activity shape, author named or not', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact());
    const note = await caller.post('/api/activities', { contactId: contact.id, body: 'Noted', subject: 'Re: shapes', occurredAt: '1969-07-20T20:17:40.5Z' });
    expect(activitySchema.strict().parse(note.json)).toEqual(note.json);
    expect(note.json.occurredAt).toBe('1969-07-20T20:17:40.500Z');
    const page = await caller.get(`/api/activities?contactId=${contact.id}`);
    const exactPage = activityPage.extend({ data: activityPage.shape.data.element.strict().array() }).strict();
    expect(exactPage.parse(page.json)).toEqual(page.json);
    expect(page.json.data).toEqual([note.json]);
    const empty = await caller.get(`/api/activities?companyId=${(await caller.post('/api/companies', { name: 'Quiet' })).json.id}`);
    expect(empty.json).toEqual({ data: [], nextCursor: null });
  });
});
