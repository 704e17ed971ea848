import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, signUp, type Stack } from './harness';

// In workerd every statement is an HTTP request to libSQL (a batch is one), and in production
// each is a trip to the database's region: statements per request are what the edge pays for.
// The recording proxy between the Worker and the libSQL server counts the requests each API call
// makes, session lookup included. Targets: at most 2 for a read (the session and one statement),
// at most 3 for a write of one record (the session, one read of what the checks need, one batch
// holding the checks, the write, its audit row and the row it answers with).
const MAX_READ = 2;
const MAX_WRITE = 3;

let stack: Stack;
let member: Awaited<ReturnType<typeof signUp>>;
let colleagueId: string;
beforeAll(async () => {
  stack = await startStack({ faultProxy: true });
  member = await signUp(stack);
  const invitation = await member.browser.post('/api/invitations', { role: 'sales' });
  const colleague = await signUp(stack);
  const accepted = await colleague.browser.post('/api/invitations/accept', { token: invitation.json.token });
  expect(accepted.status).toBe(200);
  colleagueId = colleague.userId;
  for (const entity of ['contact', 'company']) {
    const field = await member.browser.post('/api/custom-fields', { entity, key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
    expect(field.status).toBe(201);
  }
});
afterAll(async () => {
  await stack?.dispose();
});

type Reply = { status: number; json: any };

/** The reply to one API call and the number of requests it sent to libSQL. */
async function counted(call: () => Promise<Reply>) {
  stack.proxy!.received.length = 0;
  const reply = await call();
  return { reply, roundTrips: stack.proxy!.received.length };
}

async function expectRoundTrips(call: () => Promise<Reply>, status: number, max: number) {
  const { reply, roundTrips } = await counted(call);
  expect(reply.status, JSON.stringify(reply.json)).toBe(status);
  expect(roundTrips).toBeGreaterThan(0);
  expect(roundTrips).toBeLessThanOrEqual(max);
  return reply.json;
}

const b = () => member.browser;

async function aCompany(name: string) {
  const res = await b().post('/api/companies', { name });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

async function aContact(body: Record<string, unknown> = {}) {
  const res = await b().post('/api/contacts', { firstName: 'Ada', lastName: 'Lovelace', ...body });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

describe('reads cost the session lookup and one statement', () => {
  let contactId: string;
  let companyId: string;
  beforeAll(async () => {
    companyId = await aCompany('Analytical Engines');
    contactId = await aContact({ companyId, emails: [{ address: 'ada@engines.example' }] });
    await aContact({ firstName: 'Charles', lastName: 'Babbage' });
    await b().post('/api/activities', { contactId, body: 'Talked about the engine' });
    await b().post('/api/activities', { companyId, body: 'Sent the plans' });
  });

  const reads: [string, () => string][] = [
    ['the contact list', () => '/api/contacts'],
    ['the contact list sorted by creation, from a cursor', () => `/api/contacts?sort=createdAt&limit=1`],
    ['a search by a fragment of three or more characters', () => '/api/contacts?q=lovel'],
    ['a search by a shorter name prefix', () => '/api/contacts?q=ad'],
    ['a search sorted by name', () => '/api/contacts?q=lovel&sort=name'],
    ['the trash', () => '/api/contacts?deleted=true'],
    ['a contact', () => `/api/contacts/${contactId}`],
    ['the company list', () => '/api/companies'],
    ['a company search', () => '/api/companies?q=engines'],
    ['a company', () => `/api/companies/${companyId}`],
    ["a contact's timeline", () => `/api/activities?contactId=${contactId}`],
    ["a company's timeline", () => `/api/activities?companyId=${companyId}`],
    ["a contact's whole timeline (activities and changes)", () => `/api/timeline?contactId=${contactId}`],
    ["a company's whole timeline, its people's activities included", () => `/api/timeline?companyId=${companyId}`],
    ["a company's timeline filtered to changes", () => `/api/timeline?companyId=${companyId}&kinds=change`],
    ['a duplicate check by email', () => '/api/duplicates/contacts?email=ada@engines.example'],
    ['a duplicate check by website', () => '/api/duplicates/companies?website=engines.example'],
    ['the custom fields', () => '/api/custom-fields'],
    ['the getting-started checklist', () => '/api/onboarding'],
    ['a filtered list: tags, two stages, owner "me" and a custom field', () => '/api/contacts?tag=VIP&tag=partner&lifecycleStage=lead&lifecycleStage=customer&ownerId=me&cf=tier:in:["gold"]'],
    ['the count of a filtered list', () => '/api/contacts/count?tag=VIP&lifecycleStage=lead&lifecycleStage=customer'],
    ['the count of the company list', () => '/api/companies/count?ownerId=none'],
    ['the tags in use on contacts', () => '/api/contacts/tags'],
    ['the tags in use on companies', () => '/api/companies/tags'],
    ["the contact list's saved views", () => '/api/views?entity=contact'],
  ];
  for (const [what, path] of reads) {
    it(`${what}: at most ${MAX_READ}`, async () => {
      await expectRoundTrips(() => b().get(path()), 200, MAX_READ);
    });
  }

  it(`the next page of a list: at most ${MAX_READ}`, async () => {
    const first = await b().get('/api/contacts?sort=createdAt&limit=1');
    expect(first.json.nextCursor).toEqual(expect.any(String));
    await expectRoundTrips(() => b().get(`/api/contacts?sort=createdAt&limit=1&cursor=${first.json.nextCursor}`), 200, MAX_READ);
  });

  it(`the next page of a timeline: at most ${MAX_READ}`, async () => {
    const first = await b().get(`/api/timeline?contactId=${contactId}&limit=1`);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    await expectRoundTrips(() => b().get(`/api/timeline?contactId=${contactId}&limit=1&cursor=${first.json.nextCursor}`), 200, MAX_READ);
  });

  it(`a bulk operation's progress: at most ${MAX_READ}`, async () => {
    const op = await b().post('/api/contacts/bulk', { selection: { ids: [contactId] }, action: { type: 'addTags', tags: ['vip'] } });
    expect(op.status).toBe(200);
    await expectRoundTrips(() => b().get(`/api/bulk-operations/${op.json.id}`), 200, MAX_READ);
  });

  it(`a contact that does not exist answers 404 within ${MAX_READ}`, async () => {
    await expectRoundTrips(() => b().get('/api/contacts/con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B'), 404, MAX_READ);
  });
});

describe('account and onboarding writes', () => {
  it('dismissing the getting-started checklist: the session and one statement', async () => {
    await expectRoundTrips(() => b().post('/api/onboarding/dismiss'), 204, MAX_READ);
  });

  it('changing your name: the session and one statement', async () => {
    await expectRoundTrips(() => b().patch('/api/auth/account', { name: 'Ada King' }), 200, MAX_READ);
  });

  it(`changing your password, other sessions signed out: at most ${MAX_WRITE}`, async () => {
    // Someone of their own: this test's member keeps their password.
    const { browser } = await signUp(stack);
    const reply = await expectRoundTrips(
      () => browser.post('/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'lighthouse pebble anthem' }),
      200,
      MAX_WRITE,
    );
    expect(reply).toEqual({ signedOutSessions: 0 });
  });
});

describe('a write of one record costs at most three', () => {
  it('creating a contact with an owner, a company and a custom field', async () => {
    const companyId = await aCompany('Difference Engines');
    const contact = await expectRoundTrips(
      () => b().post('/api/contacts', { firstName: 'Grace', ownerId: colleagueId, companyId, customFields: { tier: 'gold' } }),
      201,
      MAX_WRITE,
    );
    expect(contact).toMatchObject({ ownerId: colleagueId, companyId, companyName: 'Difference Engines', customFields: { tier: 'gold' } });
  });

  it('editing a contact: name, owner, company and a custom field at once', async () => {
    const id = await aContact();
    const companyId = await aCompany('Jacquard Looms');
    const contact = await expectRoundTrips(
      () => b().patch(`/api/contacts/${id}`, { lastName: 'King', ownerId: colleagueId, companyId, customFields: { tier: 'silver' } }),
      200,
      MAX_WRITE,
    );
    expect(contact).toMatchObject({ lastName: 'King', ownerId: colleagueId, companyName: 'Jacquard Looms', customFields: { tier: 'silver' } });
  });

  it('deleting, restoring and purging a contact', async () => {
    const id = await aContact();
    await b().post('/api/activities', { contactId: id, body: 'A note to purge with it' });
    await expectRoundTrips(() => b().delete(`/api/contacts/${id}`), 204, MAX_WRITE);
    const restored = await expectRoundTrips(() => b().post(`/api/contacts/${id}/restore`), 200, MAX_WRITE);
    expect(restored).toMatchObject({ id, deletedAt: null });
    await expectRoundTrips(() => b().post(`/api/contacts/${id}/purge`), 204, MAX_WRITE);
  });

  it('creating a company with an owner and a custom field', async () => {
    const company = await expectRoundTrips(
      () => b().post('/api/companies', { name: 'Hollerith', ownerId: colleagueId, customFields: { tier: 'gold' } }),
      201,
      MAX_WRITE,
    );
    expect(company).toMatchObject({ ownerId: colleagueId, customFields: { tier: 'gold' }, contactCount: 0 });
  });

  it('renaming a company that has contacts', async () => {
    const companyId = await aCompany('Tabulating Machines');
    await aContact({ companyId });
    await aContact({ firstName: 'Herman', companyId });
    const company = await expectRoundTrips(() => b().patch(`/api/companies/${companyId}`, { name: 'IBM', ownerId: colleagueId }), 200, MAX_WRITE);
    expect(company).toMatchObject({ name: 'IBM', contactCount: 2 });
  });

  it('deleting, restoring and purging a company that has contacts', async () => {
    const companyId = await aCompany('Short-lived Ltd');
    await aContact({ companyId });
    await b().post('/api/activities', { companyId, body: 'A note to purge with it' });
    await expectRoundTrips(() => b().delete(`/api/companies/${companyId}`), 204, MAX_WRITE);
    const restored = await expectRoundTrips(() => b().post(`/api/companies/${companyId}/restore`), 200, MAX_WRITE);
    expect(restored).toMatchObject({ id: companyId, deletedAt: null, contactCount: 1 });
    await expectRoundTrips(() => b().post(`/api/companies/${companyId}/purge`), 204, MAX_WRITE);
  });

  it('adding a note to a contact and to a company', async () => {
    const contactId = await aContact();
    const companyId = await aCompany('Noted Ltd');
    const note = await expectRoundTrips(() => b().post('/api/activities', { contactId, body: 'Called' }), 201, MAX_WRITE);
    expect(note).toMatchObject({ contactId, body: 'Called', authorName: expect.any(String) });
    await expectRoundTrips(() => b().post('/api/activities', { companyId, body: 'Visited' }), 201, MAX_WRITE);
  });

  it('editing and deleting a note', async () => {
    const contactId = await aContact();
    const note = await b().post('/api/activities', { contactId, body: 'First draft' });
    const edited = await expectRoundTrips(() => b().patch(`/api/activities/${note.json.id}`, { body: 'Second draft' }), 200, MAX_WRITE);
    expect(edited).toMatchObject({ id: note.json.id, body: 'Second draft' });
    await expectRoundTrips(() => b().delete(`/api/activities/${note.json.id}`), 204, MAX_WRITE);
  });

  it('creating, editing and deleting a custom field', async () => {
    const field = await expectRoundTrips(
      () => b().post('/api/custom-fields', { entity: 'contact', key: 'region', label: 'Region', type: 'select', options: ['emea'] }),
      201,
      MAX_WRITE,
    );
    const edited = await expectRoundTrips(() => b().patch(`/api/custom-fields/${field.id}`, { options: ['emea', 'apac'] }), 200, MAX_WRITE);
    expect(edited.options).toEqual(['emea', 'apac']);
    await expectRoundTrips(() => b().delete(`/api/custom-fields/${field.id}`), 204, MAX_WRITE);
  });
});

// A bulk action's first chunk (up to BULK_CHUNK records) is one batch: the
// operation's row, the records, their audit rows and the progress together.
describe('bulk actions and saved views cost at most three', () => {
  it('tagging, re-owning and deleting a selection, and undoing the delete', async () => {
    const ids = [await aContact({ tags: ['partner'] }), await aContact(), await aContact({ lastName: 'Doomed' })];
    const tagged = await expectRoundTrips(() => b().post('/api/contacts/bulk', { selection: { ids }, action: { type: 'addTags', tags: ['Fair'] } }), 200, MAX_WRITE);
    expect(tagged).toMatchObject({ status: 'done', total: 3, changed: 3 });
    await expectRoundTrips(
      () => b().post('/api/contacts/bulk', { selection: { filter: { tag: ['fair'] }, except: [ids[0]] }, action: { type: 'setOwner', ownerId: colleagueId } }),
      200,
      MAX_WRITE,
    );
    await expectRoundTrips(() => b().post('/api/companies/bulk', { selection: { filter: { q: 'engines' } }, action: { type: 'addTags', tags: ['x'] } }), 200, MAX_WRITE);
    const deleted = await expectRoundTrips(() => b().post('/api/contacts/bulk', { selection: { ids: [ids[2]] }, action: { type: 'delete' } }), 200, MAX_WRITE);
    const undone = await expectRoundTrips(() => b().post(`/api/bulk-operations/${deleted.id}/undo`), 200, MAX_WRITE);
    expect(undone).toMatchObject({ status: 'done', changed: 1 });
  });

  it('saving, updating and deleting a view', async () => {
    const view = await expectRoundTrips(
      () => b().post('/api/views', { entity: 'contact', name: 'Fair leads', state: { filters: { tag: ['fair'], lifecycleStage: ['lead'] }, columns: ['name', 'cf.tier'] } }),
      201,
      MAX_WRITE,
    );
    await expectRoundTrips(() => b().patch(`/api/views/${view.id}`, { name: 'Fair', visibility: 'workspace', state: { filters: {}, sort: '-createdAt' } }), 200, MAX_WRITE);
    await expectRoundTrips(() => b().delete(`/api/views/${view.id}`), 204, MAX_WRITE);
  });
});
