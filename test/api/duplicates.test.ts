import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateList } from '../../functions/schemas/duplicates';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const exact = duplicateList.extend({ data: duplicateList.shape.data.element.strict().array() }).strict();
async function lookup(caller: Awaited<ReturnType<typeof aMember>>['caller'], path: string) {
  const res = await caller.get(path);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(exact.parse(res.json)).toEqual(res.json);
  return res.json.data as { id: string; name: string; matched: string }[];
}

describe('GET /api/duplicates/contacts', () => {
  it('finds a live contact holding the email among theirs, whatever its case, and links by id', async () => {
    const { caller } = await aMember(t.app);
    const ada = await created(caller.post('/api/contacts', aContact({ firstName: 'Ada', lastName: 'King', emails: [{ address: 'ada@home.example' }, { address: 'Countess@Engines.example' }] })));
    await created(caller.post('/api/contacts', aContact({ emails: [{ address: 'countess@engines.example.org' }] })));
    expect(await lookup(caller, '/api/duplicates/contacts?email=COUNTESS@engines.example')).toEqual([
      { id: ada.id, name: 'Ada King', matched: 'countess@engines.example' },
    ]);
    expect(await lookup(caller, '/api/duplicates/contacts?email=nobody@engines.example')).toEqual([]);
  });

  it('does not count the trash, nor another workspace', async () => {
    const me = await aMember(t.app);
    const other = await aMember(t.app);
    const trashed = await created(me.caller.post('/api/contacts', aContact({ emails: [{ address: 'gone@example.com' }] })));
    await created(me.caller.delete(`/api/contacts/${trashed.id}`));
    await created(other.caller.post('/api/contacts', aContact({ emails: [{ address: 'theirs@example.com' }] })));
    expect(await lookup(me.caller, '/api/duplicates/contacts?email=gone@example.com')).toEqual([]);
    expect(await lookup(me.caller, '/api/duplicates/contacts?email=theirs@example.com')).toEqual([]);
  });
});

describe('GET /api/duplicates/companies', () => {
  it('finds a company by its domain, or by the domain a website would give it', async () => {
    const { caller } = await aMember(t.app);
    const acme = await created(caller.post('/api/companies', { name: 'Acme', website: 'www.acme.example' }));
    expect(acme).toMatchObject({ website: 'https://www.acme.example', domain: 'acme.example' });
    const expected = [{ id: acme.id, name: 'Acme', matched: 'acme.example' }];
    expect(await lookup(caller, '/api/duplicates/companies?domain=ACME.example')).toEqual(expected);
    expect(await lookup(caller, `/api/duplicates/companies?website=${encodeURIComponent('https://WWW.acme.example/contact')}`)).toEqual(expected);
    expect(await lookup(caller, '/api/duplicates/companies?website=acme.example')).toEqual(expected);
    expect(await lookup(caller, '/api/duplicates/companies?website=http://10.0.0.1')).toEqual([]);
    await created(caller.delete(`/api/companies/${acme.id}`));
    expect(await lookup(caller, '/api/duplicates/companies?domain=acme.example')).toEqual([]);
  });
});

describe('a website and its domain on companies', () => {
  it('stores a bare host as https and derives the domain on create, unless one is given', async () => {
    const { caller } = await aMember(t.app);
    expect(await created(caller.post('/api/companies', { name: 'A', website: 'shop.a.example/en' }))).toMatchObject({ website: 'https://shop.a.example/en', domain: 'shop.a.example' });
    expect(await created(caller.post('/api/companies', { name: 'B', website: 'https://www.b.example', domain: 'b.example.org' }))).toMatchObject({ domain: 'b.example.org' });
    expect(await created(caller.post('/api/companies', { name: 'C', website: 'http://127.0.0.1' }))).toMatchObject({ domain: null });
  });

  it('moves a derived domain along with a new website, but keeps one chosen by hand', async () => {
    const { caller } = await aMember(t.app);
    const derived = await created(caller.post('/api/companies', { name: 'D', website: 'd.example' }));
    expect((await caller.patch(`/api/companies/${derived.id}`, { website: 'www.d-new.example' })).json).toMatchObject({ domain: 'd-new.example' });
    const chosen = await created(caller.post('/api/companies', { name: 'E', website: 'e.example', domain: 'e-group.example' }));
    expect((await caller.patch(`/api/companies/${chosen.id}`, { website: 'e-new.example' })).json).toMatchObject({ domain: 'e-group.example' });
    const none = await created(caller.post('/api/companies', { name: 'F' }));
    expect((await caller.patch(`/api/companies/${none.id}`, { website: 'f.example' })).json).toMatchObject({ website: 'https://f.example', domain: 'f.example' });
  });
});
