import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema';
import { aMember, Caller, type TestApp } from '../fixtures/app';
import { testAppWithLatency } from '../fixtures/latency';
import { anApiKey, expectErrorReply } from '../fixtures/requests';

const PASSWORD = 'correct horse battery';
let t: TestApp;
beforeAll(async () => {
  t = await testAppWithLatency();
});
afterAll(() => t.close());

const unique = () => Math.random().toString(36).slice(2, 8);
const signUpWith = (password: string, extra: Record<string, unknown> = {}) =>
  new Caller(t.app).post('/api/auth/sign-up', { email: `new-${unique()}@example.com`, password, name: 'Grace Hopper', workspaceName: 'Navy Labs', ...extra });

/** Another browser signed in as the same person. */
async function signedInElsewhere(email: string, password = PASSWORD) {
  const caller = new Caller(t.app);
  const res = await caller.post('/api/auth/sign-in', { email, password });
  expect(res.status, res.text).toBe(200);
  await caller.refreshCsrf();
  return caller;
}

describe('the password rule at sign-up', () => {
  it('refuses a common password with 422 weak_password, saying why beside the field, and creates no account', async () => {
    const email = `common-${unique()}@example.com`;
    const res = await new Caller(t.app).post('/api/auth/sign-up', { email, password: 'Password123!', name: 'Ann', workspaceName: 'Ann Co' });
    expectErrorReply(res, 422, 'weak_password');
    expect(res.json.error.details).toEqual([{ path: 'password', code: 'common', message: expect.stringMatching(/most common passwords/) }]);
    expect(await t.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('refuses a short password with the same advice, before anything is read', async () => {
    const res = await signUpWith('short one');
    expectErrorReply(res, 400, 'invalid_request');
    expect(res.json.error.details[0]).toMatchObject({ path: 'password', message: expect.stringMatching(/at least 12 characters/) });
  });

  it("refuses a password made of the person's name or the workspace's", async () => {
    expect((await signUpWith('Grace Hopper 1906')).json.error.details[0].code).toBe('personal');
    expect((await signUpWith('navylabs navylabs')).json.error.details[0].code).toBe('personal');
  });

  it("holds at sign-up through an invitation too, the inviting workspace's name included", async () => {
    const owner = await aMember(t.app, { workspaceName: 'Difference Engines' });
    const { token } = (await owner.caller.post('/api/invitations', { role: 'sales' })).json;
    const refused = await new Caller(t.app).post('/api/auth/sign-up', {
      email: `invited-${unique()}@example.com`,
      password: 'difference engines!',
      name: 'Ada',
      invitationToken: token,
    });
    expectErrorReply(refused, 422, 'weak_password');
    // The link is still good for a better password.
    const joined = await new Caller(t.app).post('/api/auth/sign-up', { email: `invited-${unique()}@example.com`, password: 'analytical loom cards', name: 'Ada', invitationToken: token });
    expect(joined.status, joined.text).toBe(201);
  });
});

describe('PATCH /api/auth/account', () => {
  it('changes the name the person goes by, in the session and the members list', async () => {
    const me = await aMember(t.app);
    const res = await me.caller.patch('/api/auth/account', { name: '  Grace Brewster Hopper ' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: me.userId, email: me.email, name: 'Grace Brewster Hopper' });
    expect((await me.caller.get('/api/auth/session')).json.user.name).toBe('Grace Brewster Hopper');
    const members = (await me.caller.get('/api/members')).json.data;
    expect(members.find((m: { userId: string }) => m.userId === me.userId)).toMatchObject({ name: 'Grace Brewster Hopper' });
  });

  it('is for people, not API keys', async () => {
    const me = await aMember(t.app);
    const key = await anApiKey(t.app, me.caller, 'write');
    expectErrorReply(await key.caller.patch('/api/auth/account', { name: 'Robot' }), 401, 'unauthorized');
  });
});

describe('POST /api/auth/password', () => {
  it('sets the new password, signs out every other session of the person and keeps this one', async () => {
    const me = await aMember(t.app);
    const laptop = await signedInElsewhere(me.email);
    const phone = await signedInElsewhere(me.email);
    // A session in another workspace of the same person goes too.
    const other = await aMember(t.app);
    const { token } = (await other.caller.post('/api/invitations', { role: 'viewer' })).json;
    expect((await phone.post('/api/invitations/accept', { token })).status).toBe(200);

    const res = await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'lighthouse pebble anthem' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ signedOutSessions: 2 });

    expect((await me.caller.get('/api/auth/session')).status).toBe(200);
    expect((await me.caller.post('/api/contacts', { firstName: 'Still', lastName: 'Here' })).status).toBe(201);
    expect((await laptop.get('/api/auth/session')).status).toBe(401);
    expect((await phone.get('/api/auth/session')).status).toBe(401);
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, me.userId))).toHaveLength(1);

    expectErrorReply(await new Caller(t.app).post('/api/auth/sign-in', { email: me.email, password: PASSWORD }), 401, 'invalid_credentials');
    expect((await new Caller(t.app).post('/api/auth/sign-in', { email: me.email, password: 'lighthouse pebble anthem' })).status).toBe(200);
  });

  it('refuses a wrong current password with 403 beside that field, and changes nothing', async () => {
    const me = await aMember(t.app);
    const laptop = await signedInElsewhere(me.email);
    const [before] = await t.db.select().from(users).where(eq(users.id, me.userId));
    const res = await me.caller.post('/api/auth/password', { currentPassword: 'not my password', newPassword: 'lighthouse pebble anthem' });
    expectErrorReply(res, 403, 'wrong_password');
    expect(res.json.error.details).toEqual([{ path: 'currentPassword', message: 'This is not your current password' }]);
    const [after] = await t.db.select().from(users).where(eq(users.id, me.userId));
    expect(after!.passwordHash).toBe(before!.passwordHash);
    expect((await laptop.get('/api/auth/session')).status).toBe(200);
  });

  it('refuses a weak new password, or the same one again, with the reason beside newPassword', async () => {
    const me = await aMember(t.app);
    const weak = await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'qwerty123456' });
    expectErrorReply(weak, 422, 'weak_password');
    expect(weak.json.error.details[0]).toMatchObject({ path: 'newPassword', code: 'common' });
    const same = await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: PASSWORD });
    expectErrorReply(same, 422, 'same_password');
    expect(same.json.error.details[0]).toMatchObject({ path: 'newPassword' });
    const personal = await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: `${me.email.split('@')[0]}!!` });
    expect(personal.json.error.details[0]).toMatchObject({ path: 'newPassword', code: 'personal' });
  });

  it('throttles wrong current passwords like sign-ins, and a refused new password is no wrong guess', async () => {
    const me = await aMember(t.app);
    for (let i = 0; i < 6; i++) {
      expect((await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'password12345' })).status).toBe(422);
    }
    for (let i = 0; i < 5; i++) {
      expect((await me.caller.post('/api/auth/password', { currentPassword: `guess number ${i}`, newPassword: 'lighthouse pebble anthem' })).status).toBe(403);
    }
    const locked = await me.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'lighthouse pebble anthem' });
    expectErrorReply(locked, 429, 'too_many_attempts');
    expect(locked.json.error.message).toMatch(/wrong current passwords/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.json.error.details.retryAfter).toBe(Number(locked.headers.get('retry-after')));
  });

  it('is for people, not API keys', async () => {
    const me = await aMember(t.app);
    const key = await anApiKey(t.app, me.caller, 'write');
    expectErrorReply(await key.caller.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'lighthouse pebble anthem' }), 401, 'unauthorized');
  });
});
