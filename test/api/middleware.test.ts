import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../db/schema';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';

// What every /api request passes before its route (functions/app.ts): the
// guards stay whole however cheap their common case is made.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const NUL_REFUSED = { code: 'invalid_request', message: 'Text may not contain NUL (U+0000) characters' };

describe('NUL characters in a request', () => {
  it('refuses one in any occurrence of a repeated query parameter, naming it', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.get('/api/contacts?tag=v%00ip&tag=vip');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ ...NUL_REFUSED, details: [{ path: 'tag', message: 'contains a NUL character' }] });
  });

  it('refuses one in a query parameter name', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.get('/api/contacts?li%00mit=5');
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject(NUL_REFUSED);
  });

  it('refuses one anywhere in a JSON body, naming every field, and writes nothing', async () => {
    const { caller } = await aMember(t.app);
    const before = await t.db.$count(contacts);
    const res = await caller.post('/api/contacts', aContact({ firstName: 'Ada\u0000', tags: ['ok', 'v\u0000ip'], softData: { notes: 'a\u0000b' } }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject(NUL_REFUSED);
    expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['firstName', 'softData.notes', 'tags.1']);
    expect(await t.db.$count(contacts)).toBe(before);
  });

  it('keeps a backslash followed by "u0000" as the text it is', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.post('/api/contacts', aContact({ firstName: 'C:\\u0000' }));
    expect(res.status).toBe(201);
    expect(res.json.firstName).toBe('C:\\u0000');
  });

  it('leaves a body that is not JSON to the validator', async () => {
    const { caller } = await aMember(t.app);
    const res = await caller.request('POST', '/api/contacts', { rawBody: '{"firstName": "Ada\\u0000' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('malformed_request');
  });
});

describe('request body size', () => {
  const overLimit = () => JSON.stringify(aContact({ jobTitle: 'x'.repeat(1024 * 1024) }));

  it('refuses a body over 1 MiB sent without a Content-Length, and writes nothing', async () => {
    const { caller } = await aMember(t.app);
    const before = await t.db.$count(contacts);
    const bytes = new TextEncoder().encode(overLimit());
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const res = await t.app.request('http://localhost/api/contacts', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: caller.sessionCookie, 'x-csrf-token': caller.csrf },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect(await t.db.$count(contacts)).toBe(before);
  });

  it('refuses an edit over 1 MiB too', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/contacts', aContact());
    const res = await caller.request('PATCH', `/api/contacts/${created.json.id}`, { rawBody: overLimit() });
    expect(res.status).toBe(413);
    expect((await caller.get(`/api/contacts/${created.json.id}`)).json.jobTitle).toBe(created.json.jobTitle);
  });
});

describe('security headers on the API', () => {
  it('go out with answers, refusals and unknown routes alike', async () => {
    const { caller } = await aMember(t.app);
    const signedOut = await t.app.request('http://localhost/api/contacts');
    const answers = [await caller.get('/api/contacts'), signedOut, await caller.get('/api/no-such-thing')];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404]);
    for (const { headers } of answers) {
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(headers.get('x-request-id')).toBeTruthy();
    }
  });
});
