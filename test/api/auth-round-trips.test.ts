import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aMember, Caller, testApp, type TestApp } from '../fixtures/app';
import { anotherInstance, sameBrowser } from '../fixtures/instances';
import { countingDb } from '../fixtures/statement-count';

// In the Worker every statement is one HTTP round trip to the database, and
// a batch is one: the auth paths take the fewest. Counted at the libSQL
// client of an app instance whose auth cache starts empty.
let t: TestApp;
let counted: ReturnType<typeof countingDb>;
let app: TestApp['app'];
beforeAll(async () => {
  t = await testApp();
  counted = countingDb(t.db);
  app = anotherInstance(t, counted.db);
});
afterAll(() => t.close());

async function roundTrips(request: () => Promise<{ status: number }>, expectedStatus: number) {
  counted.counter.reset();
  const res = await request();
  expect(res.status).toBe(expectedStatus);
  return counted.counter.calls.length;
}

describe('round trips per auth request', () => {
  it('GET /api/auth/session: the session lookup and one statement, then one while the session is cached', async () => {
    const { caller } = await aMember(t.app);
    const browser = sameBrowser(app, caller);
    expect(await roundTrips(() => browser.get('/api/auth/session'), 200)).toBe(2);
    expect(await roundTrips(() => browser.get('/api/auth/session'), 200)).toBe(1);
  });

  it('sign-up and sign-in: two each, the checks then the writes', async () => {
    const email = `trips-${Date.now()}@example.com`;
    const body = { email, password: 'a long passphrase', name: 'Trips', workspaceName: 'Trips' };
    expect(await roundTrips(() => new Caller(app).post('/api/auth/sign-up', body), 201)).toBe(2);
    expect(await roundTrips(() => new Caller(app).post('/api/auth/sign-in', { email, password: body.password }), 200)).toBe(2);
    expect(await roundTrips(() => new Caller(app).post('/api/auth/sign-in', { email, password: 'not it at all' }), 401)).toBe(1);
  });

  it('switching workspace, accepting an invitation and signing out: one statement each past the cached session, two to accept', async () => {
    const owner = await aMember(t.app);
    const { token } = (await owner.caller.post('/api/invitations', { role: 'sales' })).json;
    const { caller } = await aMember(t.app);
    const browser = sameBrowser(app, caller);
    await browser.get('/api/auth/session');
    expect(await roundTrips(() => browser.post('/api/invitations/accept', { token }), 200)).toBe(2);
    const home = (await caller.get('/api/auth/session')).json.workspaces.find((w: { role: string }) => w.role === 'owner').id;
    await browser.get('/api/auth/session');
    expect(await roundTrips(() => browser.post('/api/auth/switch-workspace', { workspaceId: home }), 204)).toBe(1);
    await browser.get('/api/auth/session');
    expect(await roundTrips(() => browser.post('/api/auth/sign-out'), 204)).toBe(1);
  });

  it('an API key: one lookup, stamping its last use in the same round trip, then none while cached', async () => {
    const { caller } = await aMember(t.app);
    const { key } = (await caller.post('/api/api-keys', { name: 'counted', scope: 'read' })).json;
    const tool = new Caller(app, key);
    expect(await roundTrips(() => tool.get('/api/workspace'), 200)).toBe(2);
    expect(await roundTrips(() => tool.get('/api/workspace'), 200)).toBe(1);
  });
});
