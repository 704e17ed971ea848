import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts } from '../../db/schema';
import { contactPage, contactSchema } from '../../functions/schemas/contacts';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const fullContact = {
  firstName: 'Grace',
  lastName: 'Hopper',
  emails: [
    { address: 'grace@navy.example', label: 'work' },
    { address: 'grace.h@home.example', label: 'home' },
  ],
  phones: [{ number: '+1 (555) 010-2030', label: 'mobile' }],
  address: { street: '1 Harbor Way', city: 'Arlington', region: 'VA', postalCode: '22201', country: 'US' },
  jobTitle: 'Rear Admiral',
  lifecycleStage: 'customer',
  leadSource: 'referral',
  tags: ['vip', 'cobol'],
  preferredChannel: 'email',
  emailConsent: 'granted',
  emailConsentMethod: 'signed form at the 2026 expo',
  softData: { interests: ['compilers', 'nanoseconds'], preferences: 'Mornings', family: 'Two nephews', notes: 'Brings wire' },
};

describe('POST /api/contacts', () => {
  it('keeps every field a person entered and stamps consent with when', async () => {
    const { caller, userId } = await aMember(t.app);
    const res = await caller.post('/api/contacts', fullContact);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ ...fullContact, ownerId: userId, companyId: null, deletedAt: null });
    expect(res.json.id).toMatch(/^con_/);
    expect(res.json.emailConsentAt).toBe(new Date(t.clock.now).toISOString());
    const again = await caller.get(`/api/contacts/${res.json.id}`);
    expect(again.json).toEqual(res.json);
  });

  it('links a company of the same workspace and shows its name', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Analytical Engines Ltd' });
    const res = await caller.post('/api/contacts', aContact({ companyId: company.json.id }));
    expect(res.status).toBe(201);
    expect(res.json.companyName).toBe('Analytical Engines Ltd');
  });

  it('writes an audit row in the same change', async () => {
    const { caller, userId } = await aMember(t.app);
    const res = await caller.post('/api/contacts', aContact());
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.entityId, res.json.id));
    expect(rows).toMatchObject([{ action: 'create', entityType: 'contact', actorId: userId }]);
  });

  it('refuses a contact with neither name nor email', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/contacts', { jobTitle: 'Ghost' });
    expect(res.status).toBe(400);
  });
});

describe('PATCH /api/contacts/:id', () => {
  it('changes only the fields sent, merges custom fields and re-indexes search', async () => {
    const { caller } = await aMember(t.app);
    await caller.post('/api/custom-fields', { entity: 'contact', key: 'shoe_size', label: 'Shoe size', type: 'number' });
    await caller.post('/api/custom-fields', { entity: 'contact', key: 'vip_since', label: 'VIP since', type: 'date' });
    const created = await caller.post('/api/contacts', { ...fullContact, customFields: { shoe_size: 38 } });
    const res = await caller.patch(`/api/contacts/${created.json.id}`, {
      lastName: 'Murray Hopper',
      customFields: { vip_since: '1969-01-01' },
    });
    expect(res.status).toBe(200);
    expect(res.json.lastName).toBe('Murray Hopper');
    expect(res.json.jobTitle).toBe('Rear Admiral');
    expect(res.json.customFields).toEqual({ shoe_size: 38, vip_since: '1969-01-01' });
    const found = await caller.get('/api/contacts?q=murray');
    expect(found.json.data.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
  });

  it('clears a custom field with null', async () => {
    const { caller } = await aMember(t.app);
    await caller.post('/api/custom-fields', { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
    const created = await caller.post('/api/contacts', aContact({ customFields: { tier: 'gold' } }));
    const res = await caller.patch(`/api/contacts/${created.json.id}`, { customFields: { tier: null } });
    expect(res.json.customFields).toEqual({});
  });

  it('re-stamps consent when it changes and clears the stamp when it goes back to unknown', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/contacts', aContact({ emailConsent: 'granted' }));
    t.clock.now += 60_000;
    const denied = await caller.patch(`/api/contacts/${created.json.id}`, { emailConsent: 'denied', emailConsentMethod: 'replied STOP' });
    expect(denied.json.emailConsentAt).toBe(new Date(t.clock.now).toISOString());
    const unknown = await caller.patch(`/api/contacts/${created.json.id}`, { emailConsent: 'unknown' });
    expect(unknown.json.emailConsentAt).toBeNull();
  });

  it('edits a contact whose company is in the trash, and checks only a company reference that changes', async () => {
    const { caller } = await aMember(t.app);
    const binned = await caller.post('/api/companies', { name: 'Binned Ltd' });
    const alsoBinned = await caller.post('/api/companies', { name: 'Also Binned Ltd' });
    const created = await caller.post('/api/contacts', aContact({ companyId: binned.json.id }));
    await caller.delete(`/api/companies/${binned.json.id}`);
    await caller.delete(`/api/companies/${alsoBinned.json.id}`);

    const edited = await caller.patch(`/api/contacts/${created.json.id}`, { jobTitle: 'Archivist' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ jobTitle: 'Archivist', companyId: binned.json.id, companyName: null });
    const resent = await caller.patch(`/api/contacts/${created.json.id}`, { companyId: binned.json.id, lastName: 'Byron' });
    expect(resent.status, JSON.stringify(resent.json)).toBe(200);

    const moved = await caller.patch(`/api/contacts/${created.json.id}`, { companyId: alsoBinned.json.id, jobTitle: 'Mover' });
    expect(moved.status).toBe(422);
    expect(moved.json.error.details).toEqual([expect.objectContaining({ path: 'companyId' })]);
    await caller.post(`/api/companies/${binned.json.id}/restore`);
    expect((await caller.get(`/api/contacts/${created.json.id}`)).json).toMatchObject({
      jobTitle: 'Archivist',
      lastName: 'Byron',
      companyName: 'Binned Ltd',
    });
    expect((await caller.get('/api/contacts?q=binned')).json.data.map((c: { id: string }) => c.id)).toEqual([created.json.id]);
  });

  it('edits a contact whose owner has left the workspace, and checks only an owner that changes', async () => {
    const owner = await aMember(t.app);
    const leaver = await aMember(t.app);
    const invitation = await owner.caller.post('/api/invitations', { role: 'sales' });
    await leaver.caller.post('/api/invitations/accept', { token: invitation.json.token });
    const created = await owner.caller.post('/api/contacts', aContact({ ownerId: leaver.userId }));
    expect((await leaver.caller.post('/api/members/leave')).status).toBe(204);

    const edited = await owner.caller.patch(`/api/contacts/${created.json.id}`, { ownerId: leaver.userId, jobTitle: 'Orphan' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ ownerId: leaver.userId, jobTitle: 'Orphan' });
    const reassigned = await owner.caller.patch(`/api/contacts/${created.json.id}`, { ownerId: 'usr_01JD5X9Q2M7R4T8V6W3Y0Z1A2B' });
    expect(reassigned.status).toBe(422);
  });

  it('keeps a custom value whose definition was removed when the value is sent unchanged', async () => {
    const { caller } = await aMember(t.app);
    const field = await caller.post('/api/custom-fields', { entity: 'contact', key: 'hobby', label: 'Hobby', type: 'text' });
    const created = await caller.post('/api/contacts', aContact({ customFields: { hobby: 'chess' } }));
    await caller.delete(`/api/custom-fields/${field.json.id}`);
    const edited = await caller.patch(`/api/contacts/${created.json.id}`, { customFields: { hobby: 'chess' }, jobTitle: 'Player' });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json.customFields).toEqual({ hobby: 'chess' });
    const changed = await caller.patch(`/api/contacts/${created.json.id}`, { customFields: { hobby: 'go' } });
    expect(changed.status).toBe(422);
    expect(changed.json.error.details).toEqual([expect.objectContaining({ path: 'customFields.hobby' })]);
  });

  it('refuses an owner who is not a member, and changes nothing', async () => {
    const { caller } = await aMember(t.app);
    const other = await aMember(t.app);
    const created = await caller.post('/api/contacts', aContact());
    const res = await caller.patch(`/api/contacts/${created.json.id}`, { ownerId: other.userId, jobTitle: 'Changed' });
    expect(res.status).toBe(422);
    expect((await caller.get(`/api/contacts/${created.json.id}`)).json.jobTitle).toBeNull();
  });
});

describe('GET /api/contacts', () => {
  async function workspaceWith(names: [string, string, string?][]) {
    const member = await aMember(t.app);
    for (const [firstName, lastName, email] of names) {
      t.clock.now += 1000;
      await member.caller.post('/api/contacts', { firstName, lastName, emails: email ? [{ address: email }] : [] });
    }
    return member;
  }

  it('finds contacts by any fragment of name, email, phone or company', async () => {
    const { caller } = await workspaceWith([
      ['Joanna', 'Smith', 'jo@acme.example'],
      ['Ann', 'Lee', 'ann@globex.example'],
      ['Bob', 'Stone', 'bob@initech.example'],
    ]);
    const names = async (q: string) =>
      (await caller.get(`/api/contacts?q=${encodeURIComponent(q)}`)).json.data.map((c: { firstName: string }) => c.firstName);
    expect(await names('ann')).toEqual(['Ann', 'Joanna']);
    expect(await names('GLOBEX')).toEqual(['Ann']);
    expect(await names('smith joan')).toEqual(['Joanna']);
    expect(await names('bo')).toEqual(['Bob']);
    expect(await names('zzz')).toEqual([]);
    expect(await names('"ann" OR *')).toEqual([]);
  });

  it('pages through every contact exactly once with the cursor, in each sort', async () => {
    const people = Array.from({ length: 7 }, (_, i) => [`Person${i}`, `Zed${6 - i}`] as [string, string]);
    const { caller } = await workspaceWith(people);
    for (const sort of ['name', '-name', 'createdAt', '-createdAt', 'updatedAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { json: { data: { firstName: string }[]; nextCursor: string | null } } = await caller.get(
          `/api/contacts?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.json.data.map((c) => c.firstName));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      if (sort === 'name') expect(seen).toEqual(people.map(([f]) => f));
      if (sort === '-createdAt') expect(seen).toEqual(people.map(([f]) => f).reverse());
    }
  });

  it('pages by name through names in any script, with cursors a URL carries as they are', async () => {
    const people: [string, string][] = [
      ['Łukasz', 'Nowak'],
      ['Zoë', 'Ångström'],
      ['芳', '王'],
      ['Ольга', 'Петрова'],
      ['Ada', 'Lovelace'],
    ];
    const { caller } = await workspaceWith(people);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; json: { data: { firstName: string }[]; nextCursor: string | null } } = await caller.get(
        `/api/contacts?sort=name&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((c) => c.firstName));
      cursor = page.json.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (cursor);
    expect(seen).toEqual(['Ada', 'Zoë', 'Łukasz', 'Ольга', '芳']);
  });

  it('filters by lifecycle stage, tag and consent', async () => {
    const { caller } = await aMember(t.app);
    await caller.post('/api/contacts', aContact({ firstName: 'Lead', lifecycleStage: 'lead', tags: ['vip'] }));
    await caller.post('/api/contacts', aContact({ firstName: 'Customer', lifecycleStage: 'customer', emailConsent: 'granted' }));
    const firstNames = async (query: string) =>
      (await caller.get(`/api/contacts?${query}`)).json.data.map((c: { firstName: string }) => c.firstName);
    expect(await firstNames('lifecycleStage=customer')).toEqual(['Customer']);
    expect(await firstNames('tag=vip')).toEqual(['Lead']);
    expect(await firstNames('emailConsent=granted')).toEqual(['Customer']);
  });
});

describe('delete, undo and purge', () => {
  it('hides a deleted contact, lists it in the trash, and restores it', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact({ firstName: 'Temporary' }));
    expect((await caller.delete(`/api/contacts/${contact.id}`)).status).toBe(204);
    expect((await caller.get(`/api/contacts/${contact.id}`)).status).toBe(404);
    expect((await caller.get('/api/contacts?q=temporary')).json.data).toEqual([]);
    expect((await caller.get('/api/contacts?deleted=true')).json.data.map((c: { id: string }) => c.id)).toEqual([contact.id]);
    const restored = await caller.post(`/api/contacts/${contact.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json.deletedAt).toBeNull();
    expect((await caller.get('/api/contacts?q=temporary')).json.data).toHaveLength(1);
  });

  it('purges a contact and its timeline for good', async () => {
    const { caller } = await aMember(t.app);
    const { json: contact } = await caller.post('/api/contacts', aContact());
    await caller.post('/api/activities', { contactId: contact.id, body: 'Called' });
    expect((await caller.post(`/api/contacts/${contact.id}/purge`)).status).toBe(204);
    expect(await t.db.select().from(contacts).where(eq(contacts.id, contact.id))).toEqual([]);
    expect((await caller.post(`/api/contacts/${contact.id}/restore`)).status).toBe(404);
  });

  it('lets a sales rep delete but not purge', async () => {
    const owner = await aMember(t.app);
    const invite = await owner.caller.post('/api/invitations', { role: 'sales' });
    const rep = await aMember(t.app);
    await rep.caller.post('/api/invitations/accept', { token: invite.json.token });
    const { json: contact } = await owner.caller.post('/api/contacts', aContact());
    expect((await rep.caller.delete(`/api/contacts/${contact.id}`)).status).toBe(204);
    expect((await rep.caller.post(`/api/contacts/${contact.id}/purge`)).status).toBe(403);
  });
});

describe('GET /api/contacts?q= ordering', () => {
  it('lists matches most recently added first by default, pages through all of them, and honours an explicit sort', async () => {
    const { caller } = await aMember(t.app);
    const names = ['Zoe Parker', 'Adam Parkes', 'Mia Parkinson', 'Bob Sparks', 'Eve Stone'];
    for (const name of names) {
      const [firstName, lastName] = name.split(' ');
      t.clock.now += 1000;
      await caller.post('/api/contacts', { firstName, lastName });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { data: { firstName: string }[]; nextCursor: string | null } } = await caller.get(
        `/api/contacts?q=park&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.json.data.map((c) => c.firstName));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Bob', 'Mia', 'Adam', 'Zoe']);
    const byName = await caller.get('/api/contacts?q=park&sort=name');
    expect(byName.json.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Adam', 'Bob', 'Mia', 'Zoe']);
  });

  it('applies filters inside the full-text walk, so a page is never short of matching rows', async () => {
    const { caller } = await aMember(t.app);
    for (let i = 0; i < 4; i++) {
      await caller.post('/api/contacts', { firstName: `Quinn${i}`, lastName: 'Harlow', lifecycleStage: i % 2 ? 'customer' : 'lead' });
    }
    const page = await caller.get('/api/contacts?q=harlow&lifecycleStage=customer&limit=2');
    expect(page.json.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Quinn3', 'Quinn1']);
    expect(page.json.nextCursor).toBeNull();
  });
});

describe('the JSON the database builds', () => {
  // Answers are built by SQLite (json_object) and sent as they are: they must
  // be exactly what the OpenAPI document and the RPC types say, no key more
  // or less, every time and date in JS's ISO form.
  const exactContact = contactSchema.strict();
  const exactPage = contactPage.extend({ data: contactPage.shape.data.element.strict().array() }).strict();

  it('answers every contact endpoint with exactly the documented shape', async () => {
    const { caller } = await aMember(t.app);
    const company = await caller.post('/api/companies', { name: 'Shape Co' });
    const created = await caller.post('/api/contacts', { ...fullContact, companyId: company.json.id, address: null, customFields: {} });
    const bare = await caller.post('/api/contacts', { emails: [{ address: 'bare@example.com' }] });
    const answers = [
      created,
      bare,
      await caller.get(`/api/contacts/${created.json.id}`),
      await caller.patch(`/api/contacts/${bare.json.id}`, { jobTitle: 'Bare', emailConsent: 'denied' }),
    ];
    await caller.delete(`/api/contacts/${bare.json.id}`);
    answers.push(await caller.post(`/api/contacts/${bare.json.id}/restore`));
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      expect(exactContact.parse(answer.json)).toEqual(answer.json);
    }
    for (const query of ['', '?limit=1', '?q=grace', '?q=gr', '?q=hopper&sort=-createdAt', '?deleted=true']) {
      const page = await caller.get(`/api/contacts${query}`);
      expect(exactPage.parse(page.json), query).toEqual(page.json);
    }
    expect(created.json).toMatchObject({ companyName: 'Shape Co', address: null, emailConsentAt: new Date(t.clock.now).toISOString() });
  });

  it('writes times exactly as Date.prototype.toISOString does, to the millisecond', async () => {
    const { caller } = await aMember(t.app);
    // Later than now, within the session's life: the next whole second plus
    // 1 ms, its 999th ms, and an ordinary time some days on.
    const second = Math.ceil(t.clock.now / 1000) * 1000;
    for (const ms of [second + 1, second + 999, second + 20 * 86_400_000 + 45_123]) {
      t.clock.now = ms;
      const created = await caller.post('/api/contacts', aContact({ emailConsent: 'granted' }));
      expect(created.json).toMatchObject({ createdAt: new Date(ms).toISOString(), emailConsentAt: new Date(ms).toISOString() });
    }
  });
});
