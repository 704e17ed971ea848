import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { decodeCursorText } from '../../functions/domain/cursor';
import { isoTime, jsonObject, pageOf, type JsonText } from '../../functions/services/json-views';

const client = createClient({ url: ':memory:' });
const db = createDb(client);
afterAll(() => client.close());

describe('isoTime (SQL)', () => {
  it('writes every time as Date.prototype.toISOString does, across the range the API accepts', async () => {
    const times = [
      0,
      1,
      -1,
      999,
      1_700_000_000_123,
      Date.UTC(1969, 6, 20, 20, 17, 40, 500),
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(1900, 0, 1),
      Date.parse('0001-01-01T00:00:00.000Z'),
      Date.parse('9999-12-31T23:59:59.999Z'),
    ];
    // 200 more spread over years 0001 to 9999, with odd milliseconds.
    const first = Date.parse('0001-01-01T00:00:00.000Z');
    const span = Date.parse('9999-12-31T23:59:59.999Z') - first;
    for (let i = 0; i < 200; i++) times.push(first + Math.floor((span / 200) * i) + (i * 7919) % 1000);
    for (const ms of times) {
      const [row] = await db.all<{ iso: string }>(sql`select ${isoTime(sql`${ms}`)} as iso`);
      expect(row!.iso, String(ms)).toBe(new Date(ms).toISOString());
    }
    const [none] = await db.all<{ iso: string | null }>(sql`select ${isoTime(sql`${null}`)} as iso`);
    expect(none!.iso).toBeNull();
  });
});

describe('jsonObject', () => {
  it('builds an object whose keys are the view’s, embedding JSON as JSON', async () => {
    type View = { name: string; tags: string[]; missing: null };
    const view = jsonObject<View>({ name: sql`'Ada'`, tags: sql`json('["a","b"]')`, missing: sql`null` });
    const [row] = await db.all<{ json: string }>(sql`select ${view} as json`);
    expect(JSON.parse(row!.json)).toEqual({ name: 'Ada', tags: ['a', 'b'], missing: null });
  });

  it('refuses a key that would need quoting in SQL', () => {
    expect(() => jsonObject<{ "a'b": string }>({ "a'b": sql`1` })).toThrow();
  });
});

describe('pageOf', () => {
  const row = (id: string, v: number) => ({ json: JSON.stringify({ id }) as JsonText<{ id: string }>, v, id });

  it('keeps the limit and points the cursor at the last row kept when one more row came back', () => {
    const page = JSON.parse(pageOf([row('a', 1), row('b', 2), row('c', 3)], 2));
    expect(page.data).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursorText(page.nextCursor)).toEqual([2, 'b']);
  });

  it('has no cursor on the last page, and an empty page is valid JSON', () => {
    expect(JSON.parse(pageOf([row('a', 1)], 2))).toEqual({ data: [{ id: 'a' }], nextCursor: null });
    expect(JSON.parse(pageOf([], 2))).toEqual({ data: [], nextCursor: null });
  });
});
