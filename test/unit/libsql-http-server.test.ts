import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, LibsqlError, type Client } from '@libsql/client/web';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startLibsqlHttpServer,
  type LibsqlHttpServer,
  type LibsqlHttpServerOptions,
} from '../../functions/node/libsql-http-server';

type StreamResult =
  | { type: 'ok'; response: Record<string, unknown> }
  | { type: 'error'; error: { message: string; code: string } };

interface PipelineBody {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}

let dir: string;
let path: string;
let server: LibsqlHttpServer;
const cleanups: (() => unknown)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'libsql-http-test-'));
  path = join(dir, 'test.db');
  server = await startLibsqlHttpServer({ path });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(url = server.url): Client {
  const client = createClient({ url, intMode: 'bigint' });
  cleanups.push(() => client.close());
  return client;
}

async function start(options: LibsqlHttpServerOptions): Promise<LibsqlHttpServer> {
  const started = await startLibsqlHttpServer(options);
  cleanups.push(() => started.close());
  return started;
}

async function count(client: Client, table = 't'): Promise<bigint> {
  const { rows } = await client.execute(`SELECT count(*) AS n FROM ${table}`);
  return rows[0]?.n as bigint;
}

function post(route: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function pipeline(baton: string | null, requests: unknown[]): Promise<PipelineBody> {
  const response = await post('/v3/pipeline', { baton, requests });
  expect(response.status).toBe(200);
  return (await response.json()) as PipelineBody;
}

const execute = (sql: string) => ({ type: 'execute', stmt: { sql } });

describe('@libsql/client/web against the Hrana server', () => {
  it('round-trips every value type with positional and named arguments', async () => {
    const client = connect();
    await client.execute('CREATE TABLE vals (i INTEGER, f REAL, s TEXT, b BLOB, n)');
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    await client.execute({
      sql: 'INSERT INTO vals VALUES (?, ?, ?, ?, ?)',
      args: [2n ** 63n - 1n, 0.1, 'héllo ☃', bytes, null],
    });
    await client.execute({
      sql: 'INSERT INTO vals VALUES (:i, @f, $s, :b, :n)',
      args: { ':i': -(2n ** 63n), '@f': -2.5e-300, s: '', b: new Uint8Array(), n: null },
    });

    const result = await client.execute('SELECT * FROM vals ORDER BY rowid');

    expect(result.columns).toEqual(['i', 'f', 's', 'b', 'n']);
    expect(result.columnTypes).toEqual(['INTEGER', 'REAL', 'TEXT', 'BLOB', '']);
    const [first, second] = result.rows;
    expect([first?.i, first?.f, first?.s, first?.n]).toEqual([9223372036854775807n, 0.1, 'héllo ☃', null]);
    expect(new Uint8Array(first?.b as ArrayBuffer)).toEqual(bytes);
    expect([second?.i, second?.f, second?.s, second?.n]).toEqual([-9223372036854775808n, -2.5e-300, '', null]);
    expect((second?.b as ArrayBuffer).byteLength).toBe(0);
  });

  it('binds JS numbers as REAL and bigints as INTEGER, as the protocol encodes them', async () => {
    const { rows } = await connect().execute({
      sql: 'SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, typeof(?) AS d, typeof(?) AS e, ? + 1 AS big',
      args: [2, 2n, 'x', new Uint8Array([1]), null, 2n ** 53n + 1n],
    });

    expect(rows[0]).toMatchObject({ a: 'real', b: 'integer', c: 'text', d: 'blob', e: 'null', big: 2n ** 53n + 2n });
  });

  it('reports rowsAffected and lastInsertRowid like sqld', async () => {
    const client = connect();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');

    const single = await client.execute({ sql: 'INSERT INTO t (v) VALUES (?)', args: ['a'] });
    const huge = await client.execute({ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', args: [2n ** 62n + 1n, 'b'] });
    const multi = await client.execute("INSERT INTO t (id, v) VALUES (10, 'c'), (11, 'd')");
    const updated = await client.execute("UPDATE t SET v = v || '!'");
    const selected = await client.execute('SELECT * FROM t');
    const returning = await client.execute("INSERT INTO t (v) VALUES ('e') RETURNING id");
    const deleted = await client.execute('DELETE FROM t WHERE id >= 10 AND id < 12');

    expect(single).toMatchObject({ rowsAffected: 1, lastInsertRowid: 1n });
    expect(huge).toMatchObject({ rowsAffected: 1, lastInsertRowid: 4611686018427387905n });
    expect(multi).toMatchObject({ rowsAffected: 2, lastInsertRowid: 11n });
    expect(updated).toMatchObject({ rowsAffected: 4, lastInsertRowid: undefined });
    expect(selected).toMatchObject({ rowsAffected: 0, lastInsertRowid: undefined });
    expect(returning).toMatchObject({ rowsAffected: 1, lastInsertRowid: 4611686018427387906n });
    expect(returning.rows[0]?.id).toBe(4611686018427387906n);
    expect(deleted.rowsAffected).toBe(2);
  });

  it('surfaces SQL errors as LibsqlError with the SQLite primary code', async () => {
    const client = connect();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    await client.execute('INSERT INTO t VALUES (1)');

    const missingTable = client.execute('SELECT * FROM nope');
    await expect(missingTable).rejects.toBeInstanceOf(LibsqlError);
    await expect(missingTable).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringContaining('no such table: nope'),
    });
    await expect(client.execute('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    await expect(client.execute('SELECT ?, ?', [1n])).rejects.toMatchObject({ code: 'ARGS_INVALID' });
    await expect(client.execute('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });
  });

  it('runs a write batch atomically: a failing statement rolls back the earlier ones', async () => {
    const client = connect();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const insert = (id: bigint) => ({ sql: 'INSERT INTO t VALUES (?)', args: [id] });

    const failing = client.batch([insert(1n), insert(2n), insert(1n)], 'write');
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(await count(client)).toBe(0n);

    const results = await client.batch([insert(1n), insert(2n), 'SELECT count(*) AS n FROM t'], 'write');
    expect(results.map((result) => result.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]?.rows[0]?.n).toBe(2n);
    expect(await count(client)).toBe(2n);
  });

  it('commits and rolls back interactive transactions, isolated from other clients until commit', async () => {
    const client = connect();
    const other = connect();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');

    const committed = await client.transaction('write');
    await committed.execute('INSERT INTO t VALUES (1)');
    expect((await committed.execute('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(1n);
    expect(await count(other)).toBe(0n);
    await committed.commit();
    expect(await count(other)).toBe(1n);

    const rolledBack = await client.transaction('write');
    await rolledBack.execute('INSERT INTO t VALUES (2)');
    await rolledBack.rollback();
    expect(await count(other)).toBe(1n);
  });

  it('makes a concurrent writer wait for an open write transaction instead of failing with SQLITE_BUSY', async () => {
    const client = connect();
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const transaction = await client.transaction('write');
    await transaction.execute('INSERT INTO t VALUES (1)');

    const waiting = connect().execute('INSERT INTO t VALUES (2)');
    await sleep(100);
    await transaction.commit();

    await expect(waiting).resolves.toMatchObject({ rowsAffected: 1 });
    expect(await count(client)).toBe(2n);
  });

  it('stores data in the real file, visible to a second server and to a direct libsql connection', async () => {
    await connect().batch(['CREATE TABLE t (v TEXT)', "INSERT INTO t VALUES ('persisted')"], 'write');

    const second = await start({ path });
    const { rows } = await connect(second.url).execute('SELECT v FROM t');
    const direct = new Database(path);
    cleanups.push(() => direct.close());

    expect(rows.map((row) => row.v)).toEqual(['persisted']);
    expect(direct.prepare('SELECT v FROM t').all()).toEqual([{ v: 'persisted' }]);
  });

  it('runs executeMultiple as a sequence, keeping trigger bodies whole and stopping at the first failure', async () => {
    const client = connect();
    await client.executeMultiple(`
      CREATE TABLE src (x INTEGER);
      CREATE TABLE log (x INTEGER); -- a comment; with a semicolon
      CREATE TRIGGER copy AFTER INSERT ON src BEGIN
        INSERT INTO log VALUES (new.x);
        INSERT INTO log VALUES (new.x * 10);
      END;
      INSERT INTO src VALUES (1);
    `);
    expect(await count(client, 'log')).toBe(2n);

    const failing = client.executeMultiple(
      'INSERT INTO src VALUES (2); INSERT INTO nope VALUES (0); INSERT INTO src VALUES (3);',
    );
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    const { rows } = await client.execute('SELECT x FROM src ORDER BY x');
    expect(rows.map((row) => row.x)).toEqual([1n, 2n]);
  });

  it("shares one ':memory:' database between all streams", async () => {
    const memory = await start({ path: ':memory:' });
    const client = connect(memory.url);
    await client.execute('CREATE TABLE t (id INTEGER)');
    const transaction = await client.transaction('write');
    await transaction.execute('INSERT INTO t VALUES (1)');
    await transaction.commit();

    expect(await count(connect(memory.url))).toBe(1n);
  });

  it('expires an idle stream, rolling its transaction back and reporting STREAM_EXPIRED', async () => {
    const expiring = await start({ path, idleTimeoutMs: 50 });
    const client = connect(expiring.url);
    await client.execute('CREATE TABLE t (id INTEGER)');
    const transaction = await client.transaction('write');
    await transaction.execute('INSERT INTO t VALUES (1)');

    await sleep(200);

    await expect(transaction.commit()).rejects.toMatchObject({ code: 'STREAM_EXPIRED' });
    await expect(client.execute('INSERT INTO t VALUES (2)')).resolves.toMatchObject({ rowsAffected: 1 });
    expect(await count(client)).toBe(1n);
  });
});

describe('raw Hrana protocol', () => {
  it('advertises Hrana 2 and 3 over JSON but not over Protobuf', async () => {
    const responses = await Promise.all(['/v2', '/v3', '/v3-protobuf'].map((route) => fetch(`${server.url}${route}`)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 404]);

  });

  it('hands out a fresh baton per response and evaluates get_autocommit and batch conditions', async () => {
    const opened = await pipeline(null, [
      execute('BEGIN'),
      { type: 'get_autocommit' },
      {
        type: 'batch',
        batch: {
          steps: [
            { stmt: { sql: 'CREATE TABLE t (id INTEGER)' } },
            { condition: { type: 'not', cond: { type: 'is_autocommit' } }, stmt: { sql: 'SELECT 1 AS one' } },
            { condition: { type: 'is_autocommit' }, stmt: { sql: 'SELECT 2' } },
            { condition: { type: 'error', step: 0 }, stmt: { sql: 'SELECT 3' } },
            {
              condition: {
                type: 'or',
                conds: [
                  { type: 'ok', step: 2 },
                  { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'ok', step: 1 }] },
                ],
              },
              stmt: { sql: 'SELECT * FROM nope' },
            },
          ],
        },
      },
    ]);

    expect(opened.baton).toEqual(expect.any(String));
    expect(opened.results[1]).toEqual({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } });
    expect(opened.results[2]).toMatchObject({
      type: 'ok',
      response: {
        result: {
          step_results: [
            { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null },
            { cols: [{ name: 'one', decltype: null }], rows: [[{ type: 'integer', value: '1' }]] },
            null,
            null,
            null,
          ],
          step_errors: [null, null, null, null, { code: 'SQLITE_ERROR', message: 'SQLite error: no such table: nope' }],
        },
      },
    });

    const closed = await pipeline(opened.baton, [execute('ROLLBACK'), { type: 'get_autocommit' }, { type: 'close' }]);
    expect(closed.results[1]).toMatchObject({ response: { is_autocommit: true } });
    expect(closed.baton).toBeNull();

    const reused = await post('/v3/pipeline', { baton: opened.baton, requests: [execute('SELECT 1')] });
    expect(reused.status).toBe(400);
  });

  it('rejects Hrana 3 features on the v2 endpoint with a protocol error', async () => {
    const response = await post('/v2/pipeline', { baton: null, requests: [{ type: 'get_autocommit' }] });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('only supported in protocol version hrana3');
  });

  it('executes stored SQL texts by id until they are closed', async () => {
    const stored = await pipeline(null, [
      { type: 'store_sql', sql_id: 7, sql: 'SELECT ? * 2 AS twice' },
      { type: 'execute', stmt: { sql_id: 7, args: [{ type: 'integer', value: '21' }] } },
      { type: 'close_sql', sql_id: 7 },
    ]);

    expect(stored.results[1]).toMatchObject({ response: { result: { rows: [[{ type: 'integer', value: '42' }]] } } });
    const afterClose = await post('/v3/pipeline', {
      baton: stored.baton,
      requests: [{ type: 'execute', stmt: { sql_id: 7 } }],
    });
    expect(afterClose.status).toBe(400);
  });

  it('describes parameters, columns and whether a statement writes', async () => {
    const { results } = await pipeline(null, [
      execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'),
      { type: 'describe', sql: 'SELECT id AS key, ?2 + :n FROM t WHERE v = ?' },
      { type: 'describe', sql: 'INSERT INTO t (v) VALUES (@v)' },
      { type: 'describe', sql: 'EXPLAIN SELECT 1' },
    ]);

    expect(results[1]).toMatchObject({
      response: {
        result: {
          params: [{ name: null }, { name: '?2' }, { name: ':n' }, { name: null }],
          cols: [{ name: 'key', decltype: 'INTEGER' }, { name: '?2 + :n', decltype: null }],
          is_explain: false,
          is_readonly: true,
        },
      },
    });
    expect(results[2]).toMatchObject({ response: { result: { params: [{ name: '@v' }], is_readonly: false } } });
    expect(results[3]).toMatchObject({ response: { result: { is_explain: true, is_readonly: true } } });
  });

  it('commits at once on a stream that also ran EXPLAIN and describe', async () => {
    const open = await pipeline(null, [
      execute('CREATE TABLE t (id INTEGER)'),
      execute('EXPLAIN INSERT INTO t VALUES (1)'),
      { type: 'describe', sql: 'INSERT INTO t VALUES (1)' },
      execute('INSERT INTO t VALUES (2)'),
    ]);

    expect(open.results.map((result) => result.type)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(await count(connect())).toBe(1n);
    await pipeline(open.baton, [{ type: 'close' }]);
  });

  it('streams cursor entries as JSON lines on v3/cursor', async () => {
    const response = await post('/v3/cursor', {
      baton: null,
      batch: {
        steps: [
          { stmt: { sql: 'SELECT 1 AS n UNION ALL SELECT 2' } },
          { stmt: { sql: 'SELECT * FROM nope' } },
          { condition: { type: 'ok', step: 1 }, stmt: { sql: 'SELECT 3' } },
        ],
      },
    });
    const text = await response.text();
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(lines).toEqual([
      { baton: expect.any(String), base_url: null },
      { type: 'step_begin', step: 0, cols: [{ name: 'n', decltype: null }] },
      { type: 'row', row: [{ type: 'integer', value: '1' }] },
      { type: 'row', row: [{ type: 'integer', value: '2' }] },
      { type: 'step_end', affected_row_count: 0, last_insert_rowid: null },
      { type: 'step_error', step: 1, error: { message: 'SQLite error: no such table: nope', code: 'SQLITE_ERROR' } },
    ]);
    const closed = await pipeline(lines[0]?.baton as string, [{ type: 'close' }]);
    expect(closed.baton).toBeNull();
  });
});
