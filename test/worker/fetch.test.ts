import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, users } from '../../db/schema';
import { startStack, signUp, type Stack } from './harness';

// The real Worker entry in workerd, answering HTTP through mf.dispatchFetch, over a real libSQL
// file reached through Hrana over HTTP.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.dispose();
});

const contactsOf = (workspaceId: string) =>
  stack.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId));

describe('auth in workerd', () => {
  it('signs up with a PBKDF2-SHA256 hash of 100,000 iterations (the workerd cap) and a session cookie', async () => {
    const browser = stack.browser();
    const email = `ada-${Date.now()}@example.com`;
    const res = await browser.post('/api/auth/sign-up', {
      email,
      password: 'correct horse battery',
      name: 'Ada',
      workspaceName: 'Analytical Engines',
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ userId: expect.stringMatching(/^usr_/), workspaceId: expect.stringMatching(/^ws_/) });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^relate_session=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const [user] = await stack.db.select().from(users).where(eq(users.email, email));
    expect(user!.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);

    const session = await browser.refreshCsrf();
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({
      user: { id: res.json.userId, email, name: 'Ada' },
      workspace: { id: res.json.workspaceId, name: 'Analytical Engines', role: 'owner' },
      csrfToken: expect.any(String),
    });
    expect(session.json.csrfToken.length).toBeGreaterThanOrEqual(20);
  });

  it('verifies the password inside workerd: right one signs in, wrong one is refused', async () => {
    const { browser, email } = await signUp(stack);
    expect((await browser.post('/api/auth/sign-out')).status).toBe(204);
    expect((await browser.get('/api/auth/session')).status).toBe(401);

    const wrong = await stack.browser().post('/api/auth/sign-in', { email, password: 'wrong horse battery' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_credentials');

    const again = stack.browser();
    const right = await again.post('/api/auth/sign-in', { email, password: 'correct horse battery' });
    expect(right.status).toBe(200);
    expect((await again.refreshCsrf()).json.user.email).toBe(email);
  });
});

describe('API keys in workerd', () => {
  it('a tool with a write key creates and reads contacts with no cookie and no CSRF token; a revoked key is refused', async () => {
    const { browser, workspaceId } = await signUp(stack);
    const created = await browser.post('/api/api-keys', { name: 'Zapier', scope: 'write' });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^rk_/);
    const tool = { authorization: `Bearer ${created.json.key}` };

    const contact = await stack.browser().post('/api/contacts', { firstName: 'Keyed' }, { headers: tool });
    expect(contact.status).toBe(201);
    const read = await stack.browser().get(`/api/contacts/${contact.json.id}`, { headers: tool });
    expect(read.json).toMatchObject({ id: contact.json.id, firstName: 'Keyed' });
    expect((await contactsOf(workspaceId)).map((r) => r.id)).toEqual([contact.json.id]);

    expect((await browser.delete(`/api/api-keys/${created.json.id}`)).status).toBe(204);
    const refused = await stack.browser().get('/api/contacts', { headers: tool });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe('invalid_api_key');
  });
});

describe('contacts in workerd', () => {
  it('creates a contact, lists it, and finds it through the FTS5 trigram index kept by triggers', async () => {
    const { browser, workspaceId, userId } = await signUp(stack);
    const res = await browser.post('/api/contacts', {
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ address: 'grace@navy.example', label: 'work' }],
      tags: ['vip'],
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.stringMatching(/^con_/), firstName: 'Grace', lastName: 'Hopper', ownerId: userId });
    const id = res.json.id as string;

    const list = await browser.get('/api/contacts');
    expect(list.status).toBe(200);
    expect(list.json.data.map((c: { id: string }) => c.id)).toEqual([id]);

    // Trigram search: a fragment inside a word, an email fragment, and two words together.
    for (const q of ['opp', 'navy.exam', 'grace hopper']) {
      const found = await browser.get(`/api/contacts?q=${encodeURIComponent(q)}`);
      expect(found.status, q).toBe(200);
      expect(found.json.data.map((c: { id: string }) => c.id), q).toEqual([id]);
    }
    expect((await browser.get('/api/contacts?q=lovelace')).json.data).toEqual([]);

    // The update trigger re-indexes: the old name is gone from search, the new one is found.
    const renamed = await browser.patch(`/api/contacts/${id}`, { lastName: 'Murray' });
    expect(renamed.status).toBe(200);
    expect((await browser.get('/api/contacts?q=hopper')).json.data).toEqual([]);
    expect((await browser.get('/api/contacts?q=murray')).json.data.map((c: { id: string }) => c.id)).toEqual([id]);

    // Written through the Worker, visible in the file, with its audit row.
    const rows = await contactsOf(workspaceId);
    expect(rows.map((r) => [r.id, r.lastName])).toEqual([[id, 'Murray']]);
    const audit = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'update']);
  });

  it('keeps workspaces apart: another workspace neither lists nor finds the contact', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const created = await a.browser.post('/api/contacts', { firstName: 'Katherine', lastName: 'Johnson' });
    expect(created.status).toBe(201);
    expect((await b.browser.get('/api/contacts?q=johnson')).json.data).toEqual([]);
    expect((await b.browser.get(`/api/contacts/${created.json.id}`)).status).toBe(404);
  });

  it('refuses a state change without the CSRF token, and writes nothing', async () => {
    const { browser, workspaceId } = await signUp(stack);
    const res = await browser.post('/api/contacts', { firstName: 'Eve' }, { headers: { 'x-csrf-token': 'not-the-token' } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('csrf_failed');
    expect(await contactsOf(workspaceId)).toEqual([]);
  });

  it('answers a body that fails validation with a 400 JSON error and writes no row', async () => {
    const { browser, workspaceId } = await signUp(stack);
    const res = await browser.post('/api/contacts', { jobTitle: 'Ghost', emails: [{ address: 'not an email' }] });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json.error).toMatchObject({ code: 'invalid_request', message: expect.any(String) });
    expect(Array.isArray(res.json.error.details)).toBe(true);
    expect(res.json.error.details.length).toBeGreaterThan(0);

    const notJson = await browser.post('/api/contacts', undefined, { rawBody: '{"firstName": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.code).toBe('malformed_request');

    expect(await contactsOf(workspaceId)).toEqual([]);
    const live = await stack.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.workspaceId, workspaceId), isNull(contacts.deletedAt)));
    expect(live).toEqual([]);
    expect(await stack.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId))).toEqual([]);
  });
});

describe('the API surface in workerd', () => {
  it('serves an OpenAPI 3.1 document with the contacts paths, without signing in', async () => {
    const res = await stack.browser().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json.openapi).toBe('3.1.0');
    expect(res.json.info.title).toBe('Relate API');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/api/contacts', '/api/contacts/{id}']));
    expect(Object.keys(res.json.paths['/api/contacts'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(res.json.paths['/api/contacts'].post.requestBody.content['application/json'].schema).toBeDefined();
  });

  it('answers an unknown /api path with a 404 JSON error', async () => {
    const { browser } = await signUp(stack);
    for (const [method, path] of [
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/contacts/con_x/launch'],
    ] as const) {
      const res = await browser.request(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(res.json.error.code, path).toBe('not_found');
    }
  });

  it('answers /__scheduled with a 404: only wrangler dev --test-scheduled runs crons from it', async () => {
    const res = await stack.browser().get('/__scheduled?cron=0+3+*+*+*');
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/scheduled/i);
  });

  it('refuses an unauthenticated API call with a 401 JSON error', async () => {
    const res = await stack.browser().get('/api/contacts');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toEqual(expect.any(String));
  });
});
