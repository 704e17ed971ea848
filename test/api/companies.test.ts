import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyPage, companySchema } from '../../functions/schemas/companies';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('companies', () => {
  it('creates a company with every field and counts its contacts', async () => {
    const { caller, userId } = await aMember(t.app);
    const body = {
      name: 'Globex Corporation',
      domain: 'Globex.example',
      website: 'https://globex.example',
      industry: 'Energy',
      employees: 1200,
      phone: '+1 555 0100',
      address: { city: 'Cypress Creek', country: 'US' },
      description: 'Hank runs it.',
      tags: ['enterprise'],
    };
    const created = await caller.post('/api/companies', body);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ...body, domain: 'globex.example', ownerId: userId, contactCount: 0 });
    await caller.post('/api/contacts', aContact({ companyId: created.json.id }));
    await caller.post('/api/contacts', aContact({ companyId: created.json.id }));
    expect((await caller.get(`/api/companies/${created.json.id}`)).json.contactCount).toBe(2);
  });

  it('searches by name or domain fragment and pages by cursor', async () => {
    const { caller } = await aMember(t.app);
    for (const name of ['Initech', 'Initrode', 'Umbrella', 'Soylent']) {
      await caller.post('/api/companies', { name, domain: `${name.toLowerCase()}.example` });
    }
    const names = async (q: string) => (await caller.get(`/api/companies?q=${q}`)).json.data.map((c: { name: string }) => c.name);
    expect(await names('init')).toEqual(['Initech', 'Initrode']);
    expect(await names('soylent.ex')).toEqual(['Soylent']);
    expect(await names('100%')).toEqual([]);
    const first = await caller.get('/api/companies?limit=3');
    const second = await caller.get(`/api/companies?limit=3&cursor=${first.json.nextCursor}`);
    expect([...first.json.data, ...second.json.data].map((c: { name: string }) => c.name)).toEqual([
      'Initech',
      'Initrode',
      'Soylent',
      'Umbrella',
    ]);
    expect(second.json.nextCursor).toBeNull();
  });

  it('renaming a company makes its contacts findable by the new name', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Old Name Ltd' });
    const contact = await caller.post('/api/contacts', aContact({ companyId: company.json.id }));
    await caller.patch(`/api/companies/${company.json.id}`, { name: 'Brand New Plc' });
    const found = await caller.get('/api/contacts?q=brand%20new');
    expect(found.json.data.map((c: { id: string }) => c.id)).toEqual([contact.json.id]);
    expect(found.json.data[0].companyName).toBe('Brand New Plc');
  });

  it('purging a company keeps its contacts and unlinks them', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Doomed Inc' });
    const contact = await caller.post('/api/contacts', aContact({ companyId: company.json.id }));
    expect((await caller.delete(`/api/companies/${company.json.id}`)).status).toBe(204);
    expect((await caller.get('/api/companies?deleted=true')).json.data).toHaveLength(1);
    expect((await caller.post(`/api/companies/${company.json.id}/purge`)).status).toBe(204);
    const after = await caller.get(`/api/contacts/${contact.json.id}`);
    expect(after.status).toBe(200);
    expect(after.json.companyId).toBeNull();
    expect((await caller.get('/api/contacts?q=doomed')).json.data).toEqual([]);
  });

  it('edits a company whose owner has left the workspace, and checks only an owner that changes', async () => {
    const owner = await aMember(t.app);
    const leaver = await aMember(t.app);
    const invitation = await owner.caller.post('/api/invitations', { role: 'sales' });
    await leaver.caller.post('/api/invitations/accept', { token: invitation.json.token });
    const created = await owner.caller.post('/api/companies', { name: 'Orphaned Ltd', ownerId: leaver.userId });
    expect((await leaver.caller.post('/api/members/leave')).status).toBe(204);

    const edited = await owner.caller.patch(`/api/companies/${created.json.id}`, { ownerId: leaver.userId, industry: 'Looms' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ ownerId: leaver.userId, industry: 'Looms' });
    const reassigned = await owner.caller.patch(`/api/companies/${created.json.id}`, { ownerId: 'usr_01JD5X9Q2M7R4T8V6W3Y0Z1A2B' });
    expect(reassigned.status).toBe(422);
    expect(reassigned.json.error.details).toEqual([expect.objectContaining({ path: 'ownerId' })]);
  });

  it("a contact of a company in the trash shows no company name, and shows it again after restore", async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Binned Ltd' });
    const contact = await caller.post('/api/contacts', aContact({ firstName: 'Linked', companyId: company.json.id }));
    await caller.delete(`/api/companies/${company.json.id}`);
    expect((await caller.get(`/api/contacts/${contact.json.id}`)).json.companyName).toBeNull();
    expect((await caller.get('/api/contacts?q=linked')).json.data[0].companyName).toBeNull();
    await caller.post(`/api/companies/${company.json.id}/restore`);
    expect((await caller.get(`/api/contacts/${contact.json.id}`)).json.companyName).toBe('Binned Ltd');
  });
});

describe('the JSON the database builds', () => {
  const exactCompany = companySchema.strict();
  const exactPage = companyPage.extend({ data: companyPage.shape.data.element.strict().array() }).strict();

  it('answers every company endpoint with exactly the documented shape', async () => {
    const { caller } = await aMember(t.app);
    const full = await caller.post('/api/companies', {
      name: 'Shape Works',
      domain: 'shape.example',
      website: 'https://shape.example',
      industry: 'Moulds',
      employees: 12,
      phone: '+1 555 0199',
      address: { city: 'Sheffield' },
      description: 'Makes shapes',
      tags: ['a', 'b'],
    });
    const bare = await caller.post('/api/companies', { name: 'Bare' });
    await caller.post('/api/contacts', aContact({ companyId: full.json.id }));
    const answers = [
      full,
      bare,
      await caller.get(`/api/companies/${full.json.id}`),
      await caller.patch(`/api/companies/${bare.json.id}`, { name: 'Bare Renamed', employees: null }),
    ];
    await caller.delete(`/api/companies/${bare.json.id}`);
    answers.push(await caller.post(`/api/companies/${bare.json.id}/restore`));
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      expect(exactCompany.parse(answer.json)).toEqual(answer.json);
    }
    expect(answers[2]!.json.contactCount).toBe(1);
    for (const query of ['', '?limit=1', '?q=shape', '?sort=-createdAt', '?deleted=true']) {
      const page = await caller.get(`/api/companies${query}`);
      expect(exactPage.parse(page.json), query).toEqual(page.json);
    }
  });
});
