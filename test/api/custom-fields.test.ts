import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customFieldDefinitions } from '../../db/schema';
import { customFieldSchema } from '../../functions/schemas/custom-fields';
import { newId } from '../../functions/domain/ids';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('custom fields', () => {
  it('validates values of every type against their definitions', async () => {
    const { caller } = await aMember(t.app);
    const fields = [
      { key: 'nickname', type: 'text' },
      { key: 'score', type: 'number' },
      { key: 'renewal', type: 'date' },
      { key: 'plan', type: 'select', options: ['free', 'pro'] },
      { key: 'channels', type: 'multi_select', options: ['web', 'phone', 'mail'] },
      { key: 'newsletter', type: 'boolean' },
    ];
    for (const f of fields) {
      const res = await caller.post('/api/custom-fields', { entity: 'contact', label: f.key, ...f });
      expect(res.status).toBe(201);
    }
    const good = { nickname: 'Countess', score: 9.5, renewal: '2027-01-31', plan: 'pro', channels: ['web', 'mail'], newsletter: true };
    const created = await caller.post('/api/contacts', aContact({ customFields: good }));
    expect(created.json.customFields).toEqual(good);
    for (const bad of [{ score: 'high' }, { renewal: '31/01/2027' }, { plan: 'gold' }, { channels: ['fax'] }, { newsletter: 'yes' }, { unknown_key: 1 }]) {
      const res = await caller.patch(`/api/contacts/${created.json.id}`, { customFields: bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.json.error.details[0].path).toBe(`customFields.${Object.keys(bad)[0]}`);
    }
    expect((await caller.get(`/api/contacts/${created.json.id}`)).json.customFields).toEqual(good);
  });

  it('places a field in a section of the record page, and moves it to another', async () => {
    const { caller } = await aMember(t.app);
    const placed = await caller.post('/api/custom-fields', { entity: 'contact', key: 'renewal', label: 'Renewal', type: 'date', section: 'sales' });
    expect(placed.json).toMatchObject({ key: 'renewal', section: 'sales' });
    const unplaced = await caller.post('/api/custom-fields', { entity: 'contact', key: 'shoe', label: 'Shoe', type: 'number' });
    expect(unplaced.json.section).toBeNull();
    const moved = await caller.patch(`/api/custom-fields/${placed.json.id}`, { section: 'about' });
    expect(moved.json.section).toBe('about');
  });

  it("refuses a section the field's record page does not have, and changes nothing", async () => {
    const { caller } = await aMember(t.app);
    const refused = await caller.post('/api/custom-fields', { entity: 'company', key: 'optin', label: 'Opt-in', type: 'boolean', section: 'consent' });
    expect(refused.status).toBe(422);
    expect(refused.json.error.details).toEqual([{ path: 'section', message: 'must be one of company, sales, about' }]);
    const field = await caller.post('/api/custom-fields', { entity: 'company', key: 'region', label: 'Region', type: 'text', section: 'sales' });
    const moved = await caller.patch(`/api/custom-fields/${field.json.id}`, { section: 'person' });
    expect(moved.status).toBe(422);
    expect(moved.json.error.details).toEqual([{ path: 'section', message: 'must be one of company, sales, about' }]);
    const list = await caller.get('/api/custom-fields?entity=company');
    expect(list.json.data).toEqual([expect.objectContaining({ key: 'region', section: 'sales' })]);
  });

  it('refuses a duplicate key and a select without options', async () => {
    const { caller } = await aMember(t.app);
    await caller.post('/api/custom-fields', { entity: 'company', key: 'region', label: 'Region', type: 'text' });
    expect((await caller.post('/api/custom-fields', { entity: 'company', key: 'region', label: 'R', type: 'text' })).status).toBe(409);
    expect((await caller.post('/api/custom-fields', { entity: 'company', key: 'size', label: 'Size', type: 'select' })).status).toBe(422);
  });

  it('refuses keys every object already has, and still serves a field defined before that rule', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const refused = await caller.post('/api/custom-fields', { entity: 'contact', key: 'constructor', label: 'Builder', type: 'text' });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([expect.objectContaining({ path: 'key' })]);

    await t.db.insert(customFieldDefinitions).values({
      id: newId('customField', t.clock.now),
      workspaceId,
      entity: 'contact',
      key: 'constructor',
      label: 'Builder',
      type: 'text',
      options: [],
      createdAt: t.clock.now,
      updatedAt: t.clock.now,
    });
    const plain = await caller.post('/api/contacts', aContact());
    expect(plain.json.customFields).toEqual({});
    const built = await caller.patch(`/api/contacts/${plain.json.id}`, { customFields: { constructor: 'Babbage' } });
    expect(built.status, JSON.stringify(built.json)).toBe(200);
    expect(built.json.customFields).toEqual({ constructor: 'Babbage' });
    const cleared = await caller.patch(`/api/contacts/${plain.json.id}`, { customFields: { constructor: null } });
    expect(cleared.json.customFields).toEqual({});
  });

  it('deleting a definition keeps the values already stored', async () => {
    const { caller } = await aMember(t.app);
    const field = await caller.post('/api/custom-fields', { entity: 'contact', key: 'hobby', label: 'Hobby', type: 'text' });
    const contact = await caller.post('/api/contacts', aContact({ customFields: { hobby: 'chess' } }));
    expect((await caller.delete(`/api/custom-fields/${field.json.id}`)).status).toBe(204);
    expect((await caller.get(`/api/contacts/${contact.json.id}`)).json.customFields).toEqual({ hobby: 'chess' });
  });

  it('only managers and above define fields', async () => {
    const owner = await aMember(t.app);
    const rep = await aMember(t.app);
    const invite = await owner.caller.post('/api/invitations', { role: 'sales' });
    await rep.caller.post('/api/invitations/accept', { token: invite.json.token });
    expect((await rep.caller.post('/api/custom-fields', { entity: 'contact', key: 'x', label: 'X', type: 'text' })).status).toBe(403);
    expect((await rep.caller.get('/api/custom-fields')).status).toBe(200);
  });
});

describe('the JSON the database builds', () => {
  it('answers with exactly the documented field shape', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/custom-fields', { entity: 'company', key: 'size', label: 'Size', type: 'select', options: ['s', 'm'] });
    const edited = await caller.patch(`/api/custom-fields/${created.json.id}`, { label: 'Size class' });
    const listed = await caller.get('/api/custom-fields?entity=company');
    for (const field of [created.json, edited.json, ...listed.json.data]) {
      expect(customFieldSchema.strict().parse(field)).toEqual(field);
    }
    expect(Object.keys(listed.json)).toEqual(['data']);
    expect(listed.json.data).toEqual([edited.json]);
  });
});
