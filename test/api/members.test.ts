import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, invitations, memberships } from '../../db/schema';
import { aContact, aMember, Caller, type TestApp } from '../fixtures/app';
import { testAppWithLatency } from '../fixtures/latency';
import { expectErrorReply, tableRowCounts } from '../fixtures/requests';

let t: TestApp;
beforeAll(async () => {
  t = await testAppWithLatency();
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

const signUpWith = (token: string, name: string) =>
  new Caller(t.app).post('/api/auth/sign-up', {
    email: `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'a long passphrase',
    name,
    invitationToken: token,
  });

async function invitationRow(id: string) {
  const [row] = await t.db.select().from(invitations).where(eq(invitations.id, id));
  return row!;
}

// One more person in the workspace, one more session, one join in the audit
// log; nothing else, whoever else tried.
async function expectOneSeatTaken(before: Record<string, number>) {
  const grown = await growth(before);
  expect(grown.memberships).toBe(1);
  expect(grown.audit_log).toBe(1);
  expect(grown.sessions).toBeLessThanOrEqual(1);
}

async function growth(before: Record<string, number>) {
  const after = await tableRowCounts(t.db);
  return Object.fromEntries(Object.entries(after).map(([table, n]) => [table, n - (before[table] ?? 0)]));
}

describe('a single-use invitation under concurrent use', () => {
  it('seats one of three people signing up with the same link at once; the others get a 404 and no rows', async () => {
    const owner = await aMember(t.app);
    const { token, id } = await invite(owner, 'sales');
    const before = await tableRowCounts(t.db);
    const attempts = await Promise.all(['Ann', 'Bob', 'Cy'].map((name) => signUpWith(token, name)));
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 404, 404]);
    for (const loser of attempts.filter((r) => r.status === 404)) expectErrorReply(loser, 404, 'not_found');
    expect(await growth(before)).toMatchObject({ users: 1, sessions: 1 });
    await expectOneSeatTaken(before);
    const winner = attempts.find((r) => r.status === 201)!;
    expect(await invitationRow(id)).toMatchObject({ acceptedBy: winner.json.userId });
  });

  it('seats one person when a sign-up races an accept', async () => {
    const owner = await aMember(t.app);
    const { token, id } = await invite(owner, 'viewer');
    const member = await aMember(t.app);
    const before = await tableRowCounts(t.db);
    const [accepted, signedUp] = await Promise.all([
      member.caller.post('/api/invitations/accept', { token }),
      signUpWith(token, 'Dee'),
    ]);
    expect([accepted.status, signedUp.status].sort()).toEqual([200, 404]);
    await expectOneSeatTaken(before);
    const seated = accepted.status === 200 ? member.userId : signedUp.json.userId;
    expect(await invitationRow(id)).toMatchObject({ acceptedBy: seated });
  });
});

describe('POST /api/invitations/accept when already a member', () => {
  it('answers 409 naming the current role, keeps it, and leaves the invitation unused', async () => {
    const owner = await aMember(t.app);
    const member = await aMember(t.app);
    await member.caller.post('/api/invitations/accept', { token: (await invite(owner, 'sales')).token });
    await member.caller.refreshCsrf();
    const second = await invite(owner, 'admin');
    const res = await member.caller.post('/api/invitations/accept', { token: second.token });
    expectErrorReply(res, 409, 'already_member');
    expect(res.json.error.message).toMatch(/sales/);
    expect(res.json.error.details).toEqual({ role: 'sales' });
    const [row] = await t.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, owner.workspaceId), eq(memberships.userId, member.userId)));
    expect(row!.role).toBe('sales');
    expect(await invitationRow(second.id)).toMatchObject({ acceptedAt: null, acceptedBy: null });
    const newcomer = await aMember(t.app);
    expect((await newcomer.caller.post('/api/invitations/accept', { token: second.token })).status).toBe(200);
  });

  it('seats a person once when they accept two invitations to one workspace at once, and leaves the other unused', async () => {
    const owner = await aMember(t.app);
    const [first, second] = [await invite(owner, 'sales'), await invite(owner, 'support')];
    const person = await aMember(t.app);
    const before = await tableRowCounts(t.db);
    const answers = await Promise.all([first, second].map(({ token }) => person.caller.post('/api/invitations/accept', { token })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expectErrorReply(answers.find((r) => r.status === 409)!, 409, 'already_member');
    await expectOneSeatTaken(before);
    const rows = await Promise.all([first, second].map(({ id }) => invitationRow(id)));
    expect(rows.filter((r) => r.acceptedBy === person.userId)).toHaveLength(1);
    expect(rows.filter((r) => r.acceptedAt === null)).toHaveLength(1);
  });
});

describe('DELETE /api/invitations/:id', () => {
  it('follows the rank rule of inviting: a manager cannot revoke an admin invitation, but can revoke a sales one', async () => {
    const owner = await aMember(t.app);
    const manager = await aMember(t.app);
    await manager.caller.post('/api/invitations/accept', { token: (await invite(owner, 'manager')).token });
    await manager.caller.refreshCsrf();
    const forAdmin = await invite(owner, 'admin');
    const refused = await manager.caller.delete(`/api/invitations/${forAdmin.id}`);
    expectErrorReply(refused, 403, 'forbidden');
    expect(await invitationRow(forAdmin.id)).toMatchObject({ revokedAt: null });
    const forSales = await invite(owner, 'sales');
    expect((await manager.caller.delete(`/api/invitations/${forSales.id}`)).status).toBe(204);
  });

  it('revokes once when two requests revoke at once: one 204, one 404, one audit row', async () => {
    const owner = await aMember(t.app);
    const { id } = await invite(owner, 'viewer');
    const answers = await Promise.all([1, 2].map(() => owner.caller.delete(`/api/invitations/${id}`)));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 404]);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'revoke')));
    expect(audits).toHaveLength(1);
  });
});

describe('the last owner, under concurrent changes', () => {
  async function twoOwners() {
    const first = await aMember(t.app);
    const second = await aMember(t.app);
    await second.caller.post('/api/invitations/accept', { token: (await invite(first, 'owner')).token });
    await second.caller.refreshCsrf();
    return { first, second, workspaceId: first.workspaceId };
  }
  const ownersOf = async (workspaceId: string) =>
    t.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')));

  it('lets one of two owners leaving at once go, and keeps the other', async () => {
    const { first, second, workspaceId } = await twoOwners();
    const answers = await Promise.all([first, second].map((o) => o.caller.post('/api/members/leave')));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(await ownersOf(workspaceId)).toHaveLength(1);
  });

  it('lets one of two owners demoting each other at once succeed, and keeps the other an owner', async () => {
    const { first, second, workspaceId } = await twoOwners();
    const answers = await Promise.all([
      first.caller.patch(`/api/members/${second.userId}`, { role: 'admin' }),
      second.caller.patch(`/api/members/${first.userId}`, { role: 'admin' }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
    expect(await ownersOf(workspaceId)).toHaveLength(1);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, 'change-role')));
    expect(audits).toHaveLength(1);
  });
});
