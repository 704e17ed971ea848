import { and, eq, lt, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Cursor } from '../domain/cursor';
import { encodeCursor } from '../domain/cursor';

// Records leave the database as the JSON the API answers with: SQLite builds
// each object (json_object), so no row is turned into JS values and back, and
// the route sends the text as it is. The shape is the OpenAPI schema's; the
// api suites parse every answer with that schema made strict.

// JSON text that parses to a T. The brand only carries the type from the
// service that built the text to the route that sends it.
export type JsonText<T> = string & { readonly __parsesTo?: T };

// Epoch milliseconds as `new Date(ms).toISOString()` writes them (years
// 0000–9999, which is what the API accepts); NULL stays NULL. SQLite rounds
// ms/1000.0 back to whole milliseconds, so no digit is lost.
export const isoTime = (ms: SQLWrapper) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;

// A column holding JSON text, embedded as JSON rather than as a string.
export const embedded = (column: SQLWrapper) => sql`json(${column})`;

const KEY = /^[A-Za-z]+$/;

// json_object over exactly the keys of T: a key the view lacks or one it
// does not have fails to compile.
export function jsonObject<T>(fields: { [K in keyof T]-?: SQLWrapper }): SQL<JsonText<T>> {
  const pairs = Object.entries(fields as Record<string, SQLWrapper>).map(([key, value]) => {
    if (!KEY.test(key)) throw new Error(`not a JSON key for SQL: ${key}`);
    return sql`'${sql.raw(key)}', ${value}`;
  });
  return sql<JsonText<T>>`json_object(${sql.join(pairs, sql`, `)})`;
}

export type Page<T> = { data: T[]; nextCursor: string | null };

// A page from the rows of a keyset query that asked for one row more than
// the limit: that extra row only says a next page exists.
// Where a newest-first page (ordered by `at` then `id`, both descending)
// carries on after `cursor`, the last row of the page before.
export const olderThan = (at: SQLiteColumn, id: SQLiteColumn, cursor: Cursor | undefined) =>
  cursor ? or(lt(at, Number(cursor.v)), and(eq(at, Number(cursor.v)), lt(id, cursor.id))) : undefined;

export function pageOf<T>(rows: { json: JsonText<T>; v: string | number; id: string }[], limit: number): JsonText<Page<T>> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next: Cursor | null = rows.length > limit && last ? { v: last.v, id: last.id } : null;
  return `{"data":[${page.map((r) => r.json).join(',')}],"nextCursor":${next ? `"${encodeCursor(next)}"` : 'null'}}`;
}
