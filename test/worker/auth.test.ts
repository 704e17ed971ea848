import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import { signUp, startStack, type Stack } from './harness';

// Auth through the real Worker in workerd, where libSQL answers over Hrana
// (HTTP) and reports errors its own way. The pass-through proxy in front of
// the database counts the HTTP requests that reach it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ faultProxy: true });
});

async function httpRequestsToDatabase(request: () => Promise<{ status: number }>, expectedStatus: number) {
  let count = 0;
  stack.proxy!.failRequests(() => {
    count += 1;
    return false;
  });
  const res = await request();
  stack.proxy!.failRequests(undefined);
  expect(res.status).toBe(expectedStatus);
  return count;
}
afterAll(async () => {
  await stack?.dispose();
});

describe('POST /api/auth/sign-up in workerd', () => {
  it('answers concurrent sign-ups with one email with one 201 and 409s (sqld reports only SQLITE_CONSTRAINT)', async () => {
    const email = `racer-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const attempts = await Promise.all(
      [1, 2, 3].map((i) =>
        stack.browser().post('/api/auth/sign-up', { email, password: 'a long passphrase', name: `Racer ${i}`, workspaceName: `Race ${i}` }),
      ),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const loser of attempts.filter((r) => r.status === 409)) expect(loser.json.error.code).toBe('conflict');
    expect(await stack.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });
});

describe('the password rule in workerd', () => {
  it('refuses a common password from the list the Worker fetches from its static assets, and writes no account', async () => {
    const email = `common-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const res = await stack.browser().post('/api/auth/sign-up', { email, password: 'Sunshine2024!', name: 'Sunny', workspaceName: 'Rays' });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'weak_password', details: [{ path: 'password', code: 'common' }] });
    expect(await stack.db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});

describe('GET /api/auth/session in workerd', () => {
  it('costs two round trips to libSQL for a new session (its lookup, one statement) and one while the isolate has it cached', async () => {
    const { email } = await signUp(stack);
    const browser = stack.browser();
    expect(await httpRequestsToDatabase(() => browser.post('/api/auth/sign-in', { email, password: 'correct horse battery' }), 200)).toBe(2);
    expect(await httpRequestsToDatabase(() => browser.get('/api/auth/session'), 200)).toBe(2);
    expect(await httpRequestsToDatabase(() => browser.get('/api/auth/session'), 200)).toBe(1);
  });
});
