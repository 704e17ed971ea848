import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, sessions, users, workspaces } from '../../db/schema';
import { aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { expectErrorReply } from '../fixtures/requests';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('POST /api/auth/sign-up', () => {
  it('creates the user, a workspace they own and a session cookie', async () => {
    const caller = new Caller(t.app);
    const res = await caller.post('/api/auth/sign-up', {
      email: 'Founder@Example.com',
      password: 'a long passphrase',
      name: 'Founder',
      workspaceName: 'Founders Inc',
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/relate_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = await caller.get('/api/auth/session');
    expect(session.json.user.email).toBe('founder@example.com');
    expect(session.json.workspace).toMatchObject({ name: 'Founders Inc', role: 'owner' });
  });

  it('stores a PBKDF2 hash, never the password', async () => {
    const { email } = await aMember(t.app);
    const [user] = await t.db.select().from(users).where(eq(users.email, email));
    expect(user!.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(user!.passwordHash).not.toContain('correct horse');
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const { email } = await aMember(t.app);
    const res = await new Caller(t.app).post('/api/auth/sign-up', {
      email: email.toUpperCase(),
      password: 'another passphrase',
      name: 'Copy',
      workspaceName: 'Copy',
    });
    expect(res.status).toBe(409);
  });

  it('answers concurrent sign-ups with one email with one 201 and 409s, and writes one account', async () => {
    const email = `racer-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const attempts = await Promise.all(
      [1, 2, 3].map((i) =>
        new Caller(t.app).post('/api/auth/sign-up', { email, password: 'a long passphrase', name: `Racer ${i}`, workspaceName: `Race ${i}` }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const loser of attempts.filter((r) => r.status === 409)) expectErrorReply(loser, 409, 'conflict');
    expect(await t.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    const winner = attempts.find((r) => r.status === 201)!;
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, winner.json.userId))).toHaveLength(1);
    expect(await t.db.select().from(workspaces).where(like(workspaces.name, 'Race _'))).toHaveLength(1);
  });

  it('refuses a password under 8 characters', async () => {
    const res = await new Caller(t.app).post('/api/auth/sign-up', {
      email: 'short@example.com',
      password: 'short',
      name: 'S',
      workspaceName: 'S',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe('password');
  });
});

describe('POST /api/auth/sign-in', () => {
  it('signs in with the right password and not with a wrong one', async () => {
    const { email } = await aMember(t.app);
    const wrong = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_credentials');
    const caller = new Caller(t.app);
    const right = await caller.post('/api/auth/sign-in', { email, password: 'correct horse battery' });
    expect(right.status).toBe(200);
    expect((await caller.get('/api/auth/session')).status).toBe(200);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const res = await new Caller(t.app).post('/api/auth/sign-in', { email: 'nobody@example.com', password: 'whatever1' });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('invalid_credentials');
  });

  it('locks an email out after 5 failures, even for the right password, until the window passes', async () => {
    const { email } = await aMember(t.app);
    for (let i = 0; i < 5; i++) {
      const res = await new Caller(t.app).post('/api/auth/sign-in', { email, password: `wrong-${i}-guess` }, {
        headers: { 'x-test-client-address': `10.0.0.${i}` },
      });
      expect(res.status).toBe(401);
    }
    const locked = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'correct horse battery' }, {
      headers: { 'x-test-client-address': '10.0.1.1' },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    t.clock.now += 16 * 60_000;
    const later = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'correct horse battery' }, {
      headers: { 'x-test-client-address': '10.0.1.1' },
    });
    expect(later.status).toBe(200);
  });
});

describe('sign-in throttling per client address', () => {
  it('locks out an address that fails across many accounts, and a forged X-Forwarded-For does not get round it', async () => {
    const victims = await Promise.all([1, 2, 3].map(() => aMember(t.app)));
    const from = { 'x-test-client-address': '203.0.113.9' };
    for (let i = 0; i < 5; i++) {
      const email = victims[i % 3]!.email;
      const res = await new Caller(t.app).post('/api/auth/sign-in', { email, password: `spray-${i}-guess` }, { headers: from });
      expect(res.status).toBe(401);
    }
    const blocked = await new Caller(t.app).post(
      '/api/auth/sign-in',
      { email: victims[0]!.email, password: 'correct horse battery' },
      { headers: { ...from, 'x-forwarded-for': '198.51.100.1' } },
    );
    expect(blocked.status).toBe(429);
    const elsewhere = await new Caller(t.app).post(
      '/api/auth/sign-in',
      { email: victims[1]!.email, password: 'correct horse battery' },
      { headers: { 'x-test-client-address': '198.51.100.2' } },
    );
    expect(elsewhere.status).toBe(200);
  });
});

describe('POST /api/auth/sign-out', () => {
  it('ends the session server-side, so the old cookie stops working', async () => {
    const { caller } = await aMember(t.app);
    const before = await t.db.select().from(sessions);
    expect((await caller.post('/api/auth/sign-out')).status).toBe(204);
    expect((await t.db.select().from(sessions)).length).toBe(before.length - 1);
    expect((await caller.get('/api/auth/session')).status).toBe(401);
  });

  it('needs the CSRF token like every cookie-authenticated change', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/auth/sign-out', undefined, { headers: { 'x-csrf-token': 'forged' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('csrf_failed');
    expect((await caller.get('/api/auth/session')).status).toBe(200);
  });
});

describe('POST /api/auth/switch-workspace', () => {
  it('moves the session to another workspace the user belongs to, and refuses one they do not', async () => {
    const owner = await aMember(t.app, { workspaceName: 'Second' });
    const invite = await owner.caller.post('/api/invitations', { role: 'sales' });
    const member = await aMember(t.app, { workspaceName: 'First' });
    expect((await member.caller.post('/api/invitations/accept', { token: invite.json.token })).status).toBe(200);
    await member.caller.refreshCsrf();
    const session = await member.caller.get('/api/auth/session');
    expect(session.json.workspaces.map((w: { name: string }) => w.name).sort()).toEqual(['First', 'Second']);
    expect(session.json.workspace.name).toBe('Second');

    expect((await member.caller.post('/api/auth/switch-workspace', { workspaceId: member.workspaceId })).status).toBe(204);
    expect((await member.caller.get('/api/auth/session')).json.workspace).toMatchObject({ name: 'First', role: 'owner' });

    const stranger = await aMember(t.app);
    const res = await member.caller.post('/api/auth/switch-workspace', { workspaceId: stranger.workspaceId });
    expect(res.status).toBe(404);
  });
});

describe('cross-site requests', () => {
  it('refuses a sign-in posted from another origin (login CSRF)', async () => {
    const { email } = await aMember(t.app);
    const res = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'correct horse battery' }, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('accepts the same origin', async () => {
    const { email } = await aMember(t.app);
    const res = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'correct horse battery' }, {
      headers: { origin: 'http://localhost' },
    });
    expect(res.status).toBe(200);
  });
});
