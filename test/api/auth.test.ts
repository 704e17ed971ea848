import { eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { memberships, sessions, users, workspaces } from '../../db/schema';
import { aMember, Caller, type TestApp } from '../fixtures/app';
import { testAppWithLatency } from '../fixtures/latency';
import { expectErrorReply, tableRowCounts } from '../fixtures/requests';

let t: TestApp;
beforeAll(async () => {
  t = await testAppWithLatency();
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

  it('refuses a password under 12 characters', async () => {
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

  it('counts an IPv6 client by its /64: failures from five of its addresses lock out a sixth', async () => {
    const victim = await aMember(t.app);
    for (let i = 1; i <= 5; i++) {
      const res = await new Caller(t.app).post('/api/auth/sign-in', { email: `nobody${i}@example.com`, password: 'guess-guess' }, {
        headers: { 'x-test-client-address': `2001:db8:77:1::${i}` },
      });
      expect(res.status).toBe(401);
    }
    const sixth = await new Caller(t.app).post('/api/auth/sign-in', { email: victim.email, password: 'correct horse battery' }, {
      headers: { 'x-test-client-address': '2001:db8:77:1:ffff:1:2:3' },
    });
    expectErrorReply(sixth, 429, 'too_many_attempts');
    const neighbour = await new Caller(t.app).post('/api/auth/sign-in', { email: victim.email, password: 'correct horse battery' }, {
      headers: { 'x-test-client-address': '2001:db8:77:2::1' },
    });
    expect(neighbour.status).toBe(200);
  });

  it('counts an IPv4 client the same whether its socket reports it as IPv4 or IPv4-mapped IPv6', async () => {
    for (let i = 0; i < 5; i++) {
      const address = i % 2 ? '192.0.2.44' : '::ffff:192.0.2.44';
      const res = await new Caller(t.app).post('/api/auth/sign-in', { email: `ghost${i}@example.com`, password: 'guess-guess' }, {
        headers: { 'x-test-client-address': address },
      });
      expect(res.status).toBe(401);
    }
    const res = await new Caller(t.app).post('/api/auth/sign-in', { email: 'ghost9@example.com', password: 'guess-guess' }, {
      headers: { 'x-test-client-address': '::ffff:c000:22c' },
    });
    expect(res.status).toBe(429);
  });

  it('lets no more guesses through than the limit when they arrive all at once', async () => {
    const { email } = await aMember(t.app);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        new Caller(t.app).post('/api/auth/sign-in', { email, password: `parallel-${i}-guess` }, {
          headers: { 'x-test-client-address': `10.9.${i}.1` },
        }),
      ),
    );
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(5);
  });
});

describe('sign-up throttling', () => {
  const signUp = (email: string, from: string) =>
    new Caller(t.app).post('/api/auth/sign-up', { email, password: 'a long passphrase', name: 'Prober', workspaceName: 'Probe' }, {
      headers: { 'x-test-client-address': from },
    });
  // PBKDF2 runs through Web Crypto's deriveBits; counting its calls tells
  // whether a request cost a password hash.
  const hashes = () => vi.spyOn(crypto.subtle, 'deriveBits');
  afterEach(() => vi.restoreAllMocks());

  it('answers 20 attempts with a registered email with a few 409s, then 429s, and hashes no password for any', async () => {
    const { email } = await aMember(t.app);
    const derive = hashes();
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await signUp(email, `172.16.${i}.1`));
    // The account's own sign-up was the email's first attempt.
    expect(answers.slice(0, 4).map((r) => r.status)).toEqual([409, 409, 409, 409]);
    for (const refused of answers.slice(4)) {
      expectErrorReply(refused, 429, 'too_many_attempts');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(derive).not.toHaveBeenCalled();
  });

  it('lets 20 sign-ups through from one client network per window, then refuses without hashing, and forgets after the window', async () => {
    const net = '2001:db8:5:5::';
    for (let i = 0; i < 20; i++) expect((await signUp(`batch${i}-${Date.now()}@example.com`, `${net}${i + 1}`)).status).toBe(201);
    const derive = hashes();
    const refused = await signUp(`late-${Date.now()}@example.com`, `${net}abcd`);
    expectErrorReply(refused, 429, 'too_many_attempts');
    expect(derive).not.toHaveBeenCalled();
    const counts = await tableRowCounts(t.db);
    expect((await signUp(`elsewhere-${Date.now()}@example.com`, '2001:db8:5:6::1')).status).toBe(201);
    expect((await tableRowCounts(t.db)).users).toBe(counts.users! + 1);
    t.clock.now += 16 * 60_000;
    expect((await signUp(`later-${Date.now()}@example.com`, `${net}abcd`)).status).toBe(201);
  });

  it('counts attempts that arrive all at once exactly', async () => {
    const email = `rush-${Date.now()}@example.com`;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(email, `10.77.${i}.1`)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 429, 429, 429]);
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

describe('the signed-in hint cookie beside the session', () => {
  const cookies = (res: { headers: Headers }) => res.headers.getSetCookie();

  it('is set with the session at sign-up and sign-in, readable by the page, and holds no secret', async () => {
    const caller = new Caller(t.app);
    const email = `hint-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const up = await caller.post('/api/auth/sign-up', { email, password: 'a long passphrase', name: 'Hint', workspaceName: 'Hints' });
    const [session, hint] = cookies(up);
    expect(session).toMatch(/^relate_session=[\w-]{20,};.*HttpOnly/i);
    expect(hint).toMatch(/^relate_signed_in=1;/);
    expect(hint).not.toMatch(/HttpOnly/i);
    expect(hint).toMatch(/SameSite=Lax/i);
    expect(hint).toMatch(/Max-Age=2592000/);

    const signIn = await new Caller(t.app).post('/api/auth/sign-in', { email, password: 'a long passphrase' });
    expect(cookies(signIn).map((c) => c.split('=')[0])).toEqual(['relate_session', 'relate_signed_in']);
  });

  it('is cleared with the session at sign-out', async () => {
    const { caller } = await aMember(t.app);
    const out = await caller.post('/api/auth/sign-out');
    expect(out.status).toBe(204);
    expect(cookies(out)).toEqual([expect.stringMatching(/^relate_session=;.*Max-Age=0/), expect.stringMatching(/^relate_signed_in=;.*Max-Age=0/)]);
  });

  it('is cleared when the page asks who is signed in and the session is gone', async () => {
    const { caller } = await aMember(t.app);
    const cookie = caller.sessionCookie;
    await caller.post('/api/auth/sign-out');
    const res = await t.app.request('http://localhost/api/auth/session', { headers: { cookie: `${cookie}; relate_signed_in=1` } });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().map((c) => c.split(';')[0])).toEqual(['relate_session=', 'relate_signed_in=']);
  });
});
