import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import { startStack, type Stack } from './harness';

// Auth through the real Worker in workerd, where libSQL answers over Hrana
// (HTTP) and reports errors its own way.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
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
