import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_CACHE } from '../../functions/services/auth/cache';
import { SESSION_TTL_MS } from '../../functions/services/auth/sessions';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { anotherInstance, sameBrowser } from '../fixtures/instances';
import { anApiKey, created } from '../fixtures/requests';

// Each app instance (a Worker isolate, a Node process) keeps resolved
// sessions and API keys for AUTH_CACHE.ttlMs. A change takes effect at once
// in the instance that made it; another instance may honour the old
// credential until its cached copy is that old, never longer.
let t: TestApp;
let other: TestApp['app'];
beforeAll(async () => {
  t = await testApp();
  other = anotherInstance(t);
});
afterAll(() => t.close());

const almostTheBound = AUTH_CACHE.ttlMs - 1;

async function joined(owner: Awaited<ReturnType<typeof aMember>>, role: string) {
  const { token } = await created(owner.caller.post('/api/invitations', { role }));
  const member = await aMember(t.app);
  await created(member.caller.post('/api/invitations/accept', { token }));
  await member.caller.refreshCsrf();
  return member;
}

describe('the auth cache across app instances', () => {
  it('a revoked API key is refused at once where it was revoked, and elsewhere once the bound has passed', async () => {
    const { caller } = await aMember(t.app);
    const key = await anApiKey(t.app, caller, 'read');
    const elsewhere = new Caller(other, key.key);
    expect((await elsewhere.get('/api/contacts')).status).toBe(200);
    expect((await key.caller.get('/api/contacts')).status).toBe(200);

    await created(caller.delete(`/api/api-keys/${key.id}`));
    expect((await key.caller.get('/api/contacts')).status).toBe(401);
    t.clock.now += almostTheBound;
    expect((await elsewhere.get('/api/contacts')).status).toBe(200);
    t.clock.now += 1;
    expect((await elsewhere.get('/api/contacts')).status).toBe(401);
  });

  it('a signed-out session is refused at once where it signed out, and elsewhere once the bound has passed', async () => {
    const { caller } = await aMember(t.app);
    const elsewhere = sameBrowser(other, caller);
    expect((await elsewhere.get('/api/auth/session')).status).toBe(200);

    const cookie = caller.sessionCookie;
    expect((await caller.post('/api/auth/sign-out')).status).toBe(204);
    const again = new Caller(t.app);
    expect((await again.get('/api/auth/session', { headers: { cookie } })).status).toBe(401);
    t.clock.now += almostTheBound;
    expect((await elsewhere.get('/api/auth/session')).status).toBe(200);
    t.clock.now += 1;
    expect((await elsewhere.get('/api/auth/session')).status).toBe(401);
  });

  it('a removed member is refused at once in the instance that removed them, and elsewhere once the bound has passed', async () => {
    const owner = await aMember(t.app);
    const member = await joined(owner, 'sales');
    const elsewhere = sameBrowser(other, member.caller);
    // The workspace a request acts in; removal moves the member's session
    // to the workspace they still belong to.
    const actingIn = async (browser: { get: Caller['get'] }) => (await browser.get('/api/workspace')).json.id;
    expect(await actingIn(member.caller)).toBe(owner.workspaceId);
    expect(await actingIn(elsewhere)).toBe(owner.workspaceId);

    await created(owner.caller.delete(`/api/members/${member.userId}`));
    expect(await actingIn(member.caller)).toBe(member.workspaceId);
    t.clock.now += almostTheBound;
    expect(await actingIn(elsewhere)).toBe(owner.workspaceId);
    t.clock.now += 1;
    expect(await actingIn(elsewhere)).toBe(member.workspaceId);
  });

  it('a demotion applies at once in the instance that made it, and elsewhere once the bound has passed', async () => {
    const owner = await aMember(t.app);
    const member = await joined(owner, 'sales');
    const elsewhere = sameBrowser(other, member.caller);
    expect((await member.caller.post('/api/contacts', aContact())).status).toBe(201);
    expect((await elsewhere.post('/api/contacts', aContact())).status).toBe(201);

    await created(owner.caller.patch(`/api/members/${member.userId}`, { role: 'viewer' }));
    expect((await member.caller.post('/api/contacts', aContact())).status).toBe(403);
    t.clock.now += almostTheBound;
    expect((await elsewhere.post('/api/contacts', aContact())).status).toBe(201);
    t.clock.now += 1;
    expect((await elsewhere.post('/api/contacts', aContact())).status).toBe(403);
  });

  it('a member who leaves, switches workspace or accepts an invitation acts in the new place at once', async () => {
    const owner = await aMember(t.app);
    const traveller = await joined(owner, 'sales');
    const inWorkspace = async () => (await traveller.caller.get('/api/workspace')).json.id;
    expect(await inWorkspace()).toBe(owner.workspaceId);
    await created(traveller.caller.post('/api/auth/switch-workspace', { workspaceId: traveller.workspaceId }));
    expect(await inWorkspace()).toBe(traveller.workspaceId);
    await created(traveller.caller.post('/api/auth/switch-workspace', { workspaceId: owner.workspaceId }));
    expect(await inWorkspace()).toBe(owner.workspaceId);
    await created(traveller.caller.post('/api/members/leave'));
    expect(await inWorkspace()).toBe(traveller.workspaceId);
    const { token } = await created(owner.caller.post('/api/invitations', { role: 'viewer' }));
    await created(traveller.caller.post('/api/invitations/accept', { token }));
    expect(await inWorkspace()).toBe(owner.workspaceId);
  });

  it('ends a cached session exactly when it expires', async () => {
    const { caller } = await aMember(t.app);
    const session = await caller.get('/api/auth/session');
    expect(session.status).toBe(200);
    // Sessions last SESSION_TTL_MS from sign-up; cache it a moment before.
    t.clock.now += SESSION_TTL_MS - 2;
    expect((await caller.get('/api/auth/session')).status).toBe(200);
    t.clock.now += 1;
    expect((await caller.get('/api/auth/session')).status).toBe(200);
    t.clock.now += 1;
    expect((await caller.get('/api/auth/session')).status).toBe(401);
  });

  it('keeps stamping an API key’s last use while it is served from the cache', async () => {
    const { caller } = await aMember(t.app);
    const key = await anApiKey(t.app, caller, 'read');
    const lastUsed = async () => (await caller.get('/api/api-keys')).json.data.find((k: { id: string }) => k.id === key.id).lastUsedAt;
    expect((await key.caller.get('/api/contacts')).status).toBe(200);
    const first = await lastUsed();
    expect(first).toBe(new Date(t.clock.now).toISOString());
    for (let i = 0; i < 8; i++) {
      t.clock.now += 10_000;
      expect((await key.caller.get('/api/contacts')).status).toBe(200);
    }
    const later = await lastUsed();
    expect(Date.parse(later)).toBeGreaterThan(Date.parse(first));
    expect(t.clock.now - Date.parse(later)).toBeLessThanOrEqual(60_000 + AUTH_CACHE.ttlMs);
  });
});
