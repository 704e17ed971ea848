import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships } from '../../db/schema';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { anApiKey, created, expectErrorReply } from '../fixtures/requests';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
let counter = 0;

// A colleague of the owner's workspace in the given role, signed in there.
async function aColleague(owner: Member, role: string) {
  const { token } = await created(owner.caller.post('/api/invitations', { role }));
  const caller = new Caller(t.app);
  counter += 1;
  const res = await caller.post('/api/auth/sign-up', {
    email: `colleague${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'correct horse battery',
    name: `Colleague ${counter}`,
    invitationToken: token,
  });
  expect(res.status, res.text).toBe(201);
  await caller.refreshCsrf();
  return caller;
}

const checklist = async (caller: Caller) => {
  const res = await caller.get('/api/onboarding');
  expect(res.status, res.text).toBe(200);
  return res.json as { steps: { id: string; done: boolean }[]; complete: boolean; dismissed: boolean };
};
const done = (list: Awaited<ReturnType<typeof checklist>>) => Object.fromEntries(list.steps.map((s) => [s.id, s.done]));

describe('GET /api/onboarding', () => {
  it("gives a new workspace's owner three steps, none done", async () => {
    const owner = await aMember(t.app);
    expect(await checklist(owner.caller)).toEqual({
      steps: [
        { id: 'add-people', done: false },
        { id: 'invite-colleague', done: false },
        { id: 'create-api-key', done: false },
      ],
      complete: false,
      dismissed: false,
    });
  });

  it('ticks each step off as the workspace does it, and is complete after the last', async () => {
    const owner = await aMember(t.app);
    await created(owner.caller.post('/api/contacts', aContact()));
    expect(done(await checklist(owner.caller))).toEqual({ 'add-people': true, 'invite-colleague': false, 'create-api-key': false });

    await created(owner.caller.post('/api/invitations', { role: 'sales' }));
    expect(done(await checklist(owner.caller))).toEqual({ 'add-people': true, 'invite-colleague': true, 'create-api-key': false });

    await anApiKey(t.app, owner.caller, 'read');
    expect(await checklist(owner.caller)).toMatchObject({ complete: true, dismissed: false });
  });

  it('keeps a step done when what did it is gone: a contact in the trash, a revoked invitation or key', async () => {
    const owner = await aMember(t.app);
    const contact = await created(owner.caller.post('/api/contacts', aContact()));
    await created(owner.caller.delete(`/api/contacts/${contact.id}`));
    const invitation = await created(owner.caller.post('/api/invitations', { role: 'viewer' }));
    await created(owner.caller.delete(`/api/invitations/${invitation.id}`));
    const key = await anApiKey(t.app, owner.caller, 'write');
    await created(owner.caller.delete(`/api/api-keys/${key.id}`));
    expect(await checklist(owner.caller)).toMatchObject({ complete: true });
  });

  it('counts a colleague who joined as the invitation step, for every member', async () => {
    const owner = await aMember(t.app);
    const manager = await aColleague(owner, 'manager');
    // The manager may add people and invite, not make API keys.
    expect(done(await checklist(manager))).toEqual({ 'add-people': false, 'invite-colleague': true });
  });

  it('offers each role only the steps it may take: sales adds people, a viewer gets nothing to do', async () => {
    const owner = await aMember(t.app);
    const sales = await aColleague(owner, 'sales');
    const viewer = await aColleague(owner, 'viewer');
    expect((await checklist(sales)).steps.map((s) => s.id)).toEqual(['add-people']);
    expect(await checklist(viewer)).toEqual({ steps: [], complete: true, dismissed: false });
  });

  it("counts only the caller's own workspace", async () => {
    const busy = await aMember(t.app);
    await created(busy.caller.post('/api/contacts', aContact()));
    await created(busy.caller.post('/api/invitations', { role: 'sales' }));
    await anApiKey(t.app, busy.caller, 'read');
    const fresh = await aMember(t.app);
    expect(done(await checklist(fresh.caller))).toEqual({ 'add-people': false, 'invite-colleague': false, 'create-api-key': false });
  });

  it('is for people signed in: an API key and an anonymous caller are refused', async () => {
    const owner = await aMember(t.app);
    const key = await anApiKey(t.app, owner.caller, 'write');
    expectErrorReply(await key.caller.get('/api/onboarding'), 401);
    expectErrorReply(await new Caller(t.app).get('/api/onboarding'), 401);
  });
});

describe('POST /api/onboarding/dismiss', () => {
  it("puts the checklist away for this member only, and a second dismissal keeps the first one's time", async () => {
    const owner = await aMember(t.app);
    const admin = await aColleague(owner, 'admin');
    expect((await owner.caller.post('/api/onboarding/dismiss')).status).toBe(204);
    expect(await checklist(owner.caller)).toMatchObject({ dismissed: true, complete: false });
    expect(await checklist(admin)).toMatchObject({ dismissed: false });

    const when = async () =>
      (await t.db.select().from(memberships).where(and(eq(memberships.workspaceId, owner.workspaceId), eq(memberships.userId, owner.userId))))[0]!
        .checklistDismissedAt;
    const first = await when();
    t.clock.now += 60_000;
    expect((await owner.caller.post('/api/onboarding/dismiss')).status).toBe(204);
    expect(await when()).toBe(first);
  });

  it('needs the CSRF token like every other change made with a session cookie', async () => {
    const owner = await aMember(t.app);
    owner.caller.csrf = '';
    expectErrorReply(await owner.caller.post('/api/onboarding/dismiss'), 403, 'csrf_failed');
    owner.caller.csrf = (await owner.caller.refreshCsrf()).json.csrfToken;
    expect(await checklist(owner.caller)).toMatchObject({ dismissed: false });
  });
});
