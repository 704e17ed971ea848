import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../db/client';
import { describeError, logError } from '../../functions/log';

afterEach(() => vi.restoreAllMocks());

describe('error logs', () => {
  it('name the failed statement and the driver error beneath it, without the parameters', async () => {
    const db = createDb(createClient({ url: ':memory:' }));
    const failure = await db.run(sql`insert into nowhere (email) values (${'ada@example.com'})`).catch((e: unknown) => e);
    const summary = describeError(failure);
    expect(summary).toMatchObject({ name: 'DrizzleQueryError', query: 'insert into nowhere (email) values (?)' });
    expect(summary.cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_ERROR/), message: expect.stringContaining('no such table') });

    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    logError({ requestId: 'req-1' }, failure);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('ada@example.com');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', requestId: 'req-1', error: { query: expect.any(String) } });
  });

  it('follow a cause chain (a refused connection under a fetch failure)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });
    const summary = describeError(new TypeError('fetch failed', { cause: refused }));
    expect(summary).toEqual({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:8080', code: 'ECONNREFUSED' },
    });
  });
});
