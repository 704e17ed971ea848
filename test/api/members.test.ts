import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

async function invite(owner: Awaited<ReturnType<typeof aMember>>, role: string) {
  const res = await owner.caller.post('/api/invitations', { role });
  expect(res.status).toBe(201);
  return res.json as { token: string; url: string; id: string };
}

describe('invitations', () => {
  it('a colleague signs up through the link and joins in the invited role, without a workspace of their own', async () => {
    const owner = await aMember(t.app);
    const { token, url } = await invite(owner, 'support');
    expect(url).toBe(`http://localhost:8787/invite/${token}`);
    const guest = new Caller(t.app);
    const lookup = await guest.post('/api/invitations/lookup', { token });
    expect(lookup.json).toMatchObject({ role: 'support' });
    const res = await guest.post('/api/auth/sign-up', {
      email: 'newbie@example.com',
      password: 'a long passphrase',
      name: 'Newbie',
      invitationToken: token,
    });
    expect(res.status).toBe(201);
    expect(res.json.workspaceId).toBe(owner.workspaceId);
    const session = await guest.get('/api/auth/session');
    expect(session.json.workspaces).toEqual([{ id: owner.workspaceId, name: expect.any(String), role: 'support' }]);
  });

  it('a link works once', async () => {
    const owner = await aMember(t.app);
    const { token } = await invite(owner, 'viewer');
    const first = await aMember(t.app);
    expect((await first.caller.post('/api/invitations/accept', { token })).status).toBe(200);
    const second = await aMember(t.app);
    expect((await second.caller.post('/api/invitations/accept', { token })).status).toBe(404);
  });

  it('a revoked or expired link does not work', async () => {
    const owner = await aMember(t.app);
    const revoked = await invite(owner, 'viewer');
    expect((await owner.caller.delete(`/api/invitations/${revoked.id}`)).status).toBe(204);
    const guest = await aMember(t.app);
    expect((await guest.caller.post('/api/invitations/accept', { token: revoked.token })).status).toBe(404);
    const expiring = await invite(owner, 'viewer');
    t.clock.now += 8 * 86_400_000;
    expect((await guest.caller.post('/api/invitations/accept', { token: expiring.token })).status).toBe(404);
  });

  it('a manager may invite sales but not an admin; a sales rep may not invite at all', async () => {
    const owner = await aMember(t.app);
    const manager = await aMember(t.app);
    await manager.caller.post('/api/invitations/accept', { token: (await invite(owner, 'manager')).token });
    await manager.caller.refreshCsrf();
    expect((await manager.caller.post('/api/invitations', { role: 'sales' })).status).toBe(201);
    expect((await manager.caller.post('/api/invitations', { role: 'admin' })).status).toBe(403);
    const rep = await aMember(t.app);
    await rep.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    expect((await rep.caller.post('/api/invitations', { role: 'viewer' })).status).toBe(403);
  });
});

describe('members and roles', () => {
  it('an owner changes a role and the change applies to the member at once', async () => {
    const owner = await aMember(t.app);
    const member = await aMember(t.app);
    await member.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    expect((await member.caller.post('/api/contacts', aContact())).status).toBe(201);
    expect((await owner.caller.patch(`/api/members/${member.userId}`, { role: 'viewer' })).status).toBe(204);
    expect((await member.caller.post('/api/contacts', aContact())).status).toBe(403);
    expect((await member.caller.get('/api/contacts')).status).toBe(200);
    const list = await owner.caller.get('/api/members');
    expect(list.json.data.find((m: { userId: string }) => m.userId === member.userId).role).toBe('viewer');
  });

  it('the last owner can neither be demoted nor leave', async () => {
    const owner = await aMember(t.app);
    expect((await owner.caller.patch(`/api/members/${owner.userId}`, { role: 'admin' })).status).toBe(409);
    expect((await owner.caller.post('/api/members/leave')).status).toBe(409);
  });

  it('a removed member loses access immediately', async () => {
    const owner = await aMember(t.app);
    const member = await aMember(t.app);
    await member.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    const { json: secret } = await owner.caller.post('/api/contacts', aContact());
    expect((await member.caller.get(`/api/contacts/${secret.id}`)).status).toBe(200);
    expect((await owner.caller.delete(`/api/members/${member.userId}`)).status).toBe(204);
    expect((await member.caller.get(`/api/contacts/${secret.id}`)).status).toBe(404);
    expect((await member.caller.get('/api/auth/session')).json.workspace.id).toBe(member.workspaceId);
  });

  it('an admin cannot make anyone an owner', async () => {
    const owner = await aMember(t.app);
    const admin = await aMember(t.app);
    await admin.caller.post('/api/invitations/accept', { token: (await invite(owner, 'admin')).token });
    await admin.caller.refreshCsrf();
    const rep = await aMember(t.app);
    await rep.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    expect((await admin.caller.patch(`/api/members/${rep.userId}`, { role: 'owner' })).status).toBe(403);
    expect((await admin.caller.patch(`/api/members/${rep.userId}`, { role: 'manager' })).status).toBe(204);
  });
});

describe('invitations made out to an address', () => {
  it('let only that person join, by sign-up or by accepting', async () => {
    const owner = await aMember(t.app);
    const res = await owner.caller.post('/api/invitations', { role: 'sales', email: 'Named@Example.com' });
    const { token } = res.json;
    const stranger = await aMember(t.app);
    const refused = await stranger.caller.post('/api/invitations/accept', { token });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('wrong_invitee');
    const wrongSignUp = await new Caller(t.app).post('/api/auth/sign-up', {
      email: 'other@example.com',
      password: 'a long passphrase',
      name: 'Other',
      invitationToken: token,
    });
    expect(wrongSignUp.status).toBe(403);
    const named = await new Caller(t.app).post('/api/auth/sign-up', {
      email: 'named@example.com',
      password: 'a long passphrase',
      name: 'Named',
      invitationToken: token,
    });
    expect(named.status).toBe(201);
    expect(named.json.workspaceId).toBe(owner.workspaceId);
  });
});

describe('PATCH /api/workspace', () => {
  it('lets the owner rename the workspace, and nobody else', async () => {
    const owner = await aMember(t.app, { workspaceName: 'Before' });
    const admin = await aMember(t.app);
    await admin.caller.post('/api/invitations/accept', { token: (await invite(owner, 'admin')).token });
    await admin.caller.refreshCsrf();
    expect((await admin.caller.patch('/api/workspace', { name: 'Hijacked' })).status).toBe(403);
    const res = await owner.caller.patch('/api/workspace', { name: 'After' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: owner.workspaceId, name: 'After' });
    expect((await admin.caller.get('/api/workspace')).json.name).toBe('After');
    expect((await owner.caller.patch('/api/workspace', { name: ' ' })).status).toBe(400);
  });
});

describe('POST /api/members/leave', () => {
  it('moves the leaver to another of their workspaces, or signs them out when there is none', async () => {
    const owner = await aMember(t.app);
    const traveller = await aMember(t.app, { workspaceName: 'Home' });
    await traveller.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    await traveller.caller.refreshCsrf();
    expect((await traveller.caller.post('/api/members/leave')).status).toBe(204);
    const session = await traveller.caller.get('/api/auth/session');
    expect(session.json.workspace).toMatchObject({ id: traveller.workspaceId, name: 'Home' });
    expect(session.json.workspaces).toHaveLength(1);

    const loner = new Caller(t.app);
    const { token } = await invite(owner, 'viewer');
    await loner.post('/api/auth/sign-up', { email: 'loner@example.com', password: 'a long passphrase', name: 'Loner', invitationToken: token });
    await loner.refreshCsrf();
    expect((await loner.post('/api/members/leave')).status).toBe(204);
    expect((await loner.get('/api/auth/session')).status).toBe(401);
  });
});
