import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlError, type Client, type ResultSet } from '@libsql/client';
import { DrizzleQueryError, eq, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { createNativeClient } from '../../db/native-client';
import { seedWorkspace } from '../../db/seed';

// The Node host's client (db/native-client.ts) against @libsql/client's file
// driver, the one it replaces: every operation runs on both, each over its
// own copy of the same database, and the outcomes must be the same.

const SCHEMA = `
  create table teams (id integer primary key, name text not null);
  create table people (
    id integer primary key,
    email text not null unique,
    name text,
    score real,
    born integer,
    photo blob,
    active integer,
    team_id integer references teams(id)
  );
  insert into teams (id, name) values (1, 'Engines'), (2, 'Looms');
  insert into people (id, email, name, score, born, team_id) values
    (1, 'ada@example.com', 'Ada', 9.5, -4165603200000, 1),
    (2, 'grace@example.com', 'Grace', 8.25, -2006726400000, 2),
    (3, 'alan@example.com', null, null, null, null);
`;

const teams = sqliteTable('teams', { id: integer('id').primaryKey(), name: text('name').notNull() });
const people = sqliteTable('people', {
  id: integer('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name'),
  teamId: integer('team_id'),
});

let dir: string;
let theirs: Client;
let ours: Client;

function open(name: string) {
  return { theirs: createClient({ url: `file:${join(dir, `${name}-theirs.db`)}` }), ours: createNativeClient({ url: `file:${join(dir, `${name}-ours.db`)}` }) };
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relate-native-'));
  ({ theirs, ours } = open('main'));
  await theirs.executeMultiple(SCHEMA);
  await ours.executeMultiple(SCHEMA);
});
afterEach(() => {
  theirs.close();
  ours.close();
  rmSync(dir, { recursive: true, force: true });
});

// Runs the same operation on both clients; resolves to [theirs, ours].
async function both<T>(run: (client: Client) => Promise<T>): Promise<[T, T]> {
  return [await run(theirs), await run(ours)];
}

async function outcome<T>(run: () => Promise<T>): Promise<{ ok: T } | { error: ReturnType<typeof errorShape> }> {
  try {
    return { ok: await run() };
  } catch (error) {
    return { error: errorShape(error) };
  }
}

function errorShape(error: unknown) {
  const e = error as Error & { code?: string; rawCode?: number };
  const cause = e.cause as (Error & { code?: string; rawCode?: number }) | undefined;
  return {
    class: e instanceof LibsqlError ? 'LibsqlError' : e instanceof DrizzleQueryError ? 'DrizzleQueryError' : e.constructor.name,
    code: e.code,
    rawCode: e.rawCode,
    message: e.message,
    cause: cause && { class: cause instanceof LibsqlError ? 'LibsqlError' : cause.constructor.name, code: cause.code, rawCode: cause.rawCode },
  };
}

const show = (value: unknown) => (value instanceof ArrayBuffer ? `ArrayBuffer(${Buffer.from(value).toString('hex')})` : value);

// Everything a caller can observe of a result set.
function shape(rs: ResultSet) {
  return {
    columns: rs.columns,
    columnTypes: rs.columnTypes,
    rowsAffected: rs.rowsAffected,
    lastInsertRowid: rs.lastInsertRowid,
    byIndex: rs.rows.map((row) => Array.prototype.slice.call(row).map(show)),
    length: rs.rows.map((row) => row.length),
    byName: rs.rows.map((row) => Object.fromEntries(Object.keys(row).map((k) => [k, show(row[k])]))),
    json: JSON.stringify(rs),
    rowJson: rs.rows.map((row) => JSON.stringify(row)),
  };
}

describe('native client: reads, as @libsql/client reads', () => {
  it('returns the same columns, types and rows, by index and by name', async () => {
    const [a, b] = await both((c) => c.execute('select * from people order by id'));
    expect(shape(b)).toEqual(shape(a));
    expect(shape(b).byName[0]).toEqual({ id: 1, email: 'ada@example.com', name: 'Ada', score: 9.5, born: -4165603200000, photo: null, active: null, team_id: 1 });
  });

  it('keeps every value of columns that share a name by index, and the first by name', async () => {
    const query = 'select p.id, p.name, t.id, t.name from people p join teams t on t.id = p.team_id order by p.id';
    const [a, b] = await both((c) => c.execute(query));
    expect(shape(b)).toEqual(shape(a));
    expect(shape(b).byIndex).toEqual([
      [1, 'Ada', 1, 'Engines'],
      [2, 'Grace', 2, 'Looms'],
    ]);
    expect(Object.keys(b.rows[0]!)).toEqual(['id', 'name']);
  });

  it('reads rows whose column names look like indices or shadow a row property', async () => {
    const [a, b] = await both((c) => c.execute('select 7, 8 as "0", 9 as length, 10 as "__proto__", 11 as constructor'));
    expect(shape(b)).toEqual(shape(a));
    expect(shape(b).byIndex).toEqual([[7, 8, 9, 10, 11]]);
  });

  it('gives drizzle the same typed selects, joins included', async () => {
    const [a, b] = await both((c) =>
      createDb(c)
        .select({ person: people.id, name: people.name, team: teams.id, teamName: teams.name })
        .from(people)
        .leftJoin(teams, eq(teams.id, people.teamId))
        .orderBy(people.id),
    );
    expect(b).toEqual(a);
    expect(b).toEqual([
      { person: 1, name: 'Ada', team: 1, teamName: 'Engines' },
      { person: 2, name: 'Grace', team: 2, teamName: 'Looms' },
      { person: 3, name: null, team: null, teamName: null },
    ]);
  });

  it('gives drizzle the same raw selects: plain objects keyed by column name', async () => {
    const [a, b] = await both((c) => createDb(c).all(sql`select id, name, score from people where id <= ${2} order by id`));
    expect(b).toEqual(a);
    expect(b).toEqual([
      { id: 1, name: 'Ada', score: 9.5 },
      { id: 2, name: 'Grace', score: 8.25 },
    ]);
    const [x, y] = await both((c) => createDb(c).get(sql`select count(*) as n from people`));
    expect(y).toEqual(x);
  });

  it('refuses an integer a number cannot hold, instead of rounding it', async () => {
    const [a, b] = await both((c) => outcome(() => c.execute('select 9007199254740993 as big')));
    expect(b).toEqual(a);
    expect(b).toMatchObject({ error: { class: 'RangeError' } });
    const [x, y] = await both((c) => c.execute('select 9007199254740991 as big, -9007199254740991 as small'));
    expect(shape(y)).toEqual(shape(x));
  });

  it('reads a blob as an ArrayBuffer of exactly its bytes', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]).buffer;
    const [a, b] = await both(async (c) => {
      await c.execute({ sql: 'update people set photo = ? where id = 1', args: [bytes] });
      return c.execute('select photo, length(photo) as n from people where id = 1');
    });
    expect(shape(b)).toEqual(shape(a));
    expect(b.rows[0]![0]).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(b.rows[0]![0] as ArrayBuffer)).toEqual(Buffer.from([0, 1, 2, 250, 255]));
  });
});

describe('native client: writes and arguments', () => {
  it('reports rowsAffected and lastInsertRowid as @libsql/client does, RETURNING included', async () => {
    for (const statement of [
      { sql: 'insert into people (email, name) values (?, ?)', args: ['joan@example.com', 'Joan'] },
      { sql: 'update people set score = score + 1 where score is not null', args: [] },
      { sql: 'delete from people where id = ?', args: [3] },
      { sql: 'update people set name = upper(name) where id = ? returning id, name', args: [1] },
      { sql: 'insert into teams (name) values (?) returning id', args: ['Gears'] },
    ]) {
      const [a, b] = await both((c) => c.execute(statement));
      expect(shape(b), statement.sql).toEqual(shape(a));
    }
  });

  it('binds positional and named arguments, with or without their prefix', async () => {
    const [a, b] = await both((c) =>
      Promise.all([
        c.execute('select ? as one, ? as two', [1, 'two']),
        c.execute({ sql: 'select :a as a, @b as b, $c as c', args: { a: 1, b: 'b', c: null } }),
        c.execute({ sql: 'select :a as a, @b as b, $c as c', args: { ':a': 1, '@b': 'b', $c: 2.5 } }),
      ]),
    );
    expect(b.map(shape)).toEqual(a.map(shape));
  });

  it('converts booleans, Dates, bigints and ArrayBuffers as @libsql/client does', async () => {
    const when = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const [a, b] = await both((c) =>
      c.execute({
        sql: 'select ? as yes, ? as no, ? as at, ? as big, typeof(?) as blob',
        args: [true, false, when, 9007199254740991n, new Uint8Array([1]).buffer],
      }),
    );
    expect(shape(b)).toEqual(shape(a));
    expect(shape(b).byIndex).toEqual([[1, 0, when.getTime(), 9007199254740991, 'blob']]);
  });

  it('refuses undefined, non-finite numbers and out-of-range bigints, writing nothing', async () => {
    for (const bad of [undefined, Number.NaN, Number.POSITIVE_INFINITY, 2n ** 63n]) {
      const [a, b] = await both((c) => outcome(() => c.execute({ sql: 'insert into teams (name) values (?)', args: [bad as never] })));
      expect(b).toEqual(a);
      expect(b).toHaveProperty('error');
    }
    const [x, y] = await both((c) => c.execute('select count(*) from teams'));
    expect(shape(y)).toEqual(shape(x));
  });
});

describe('native client: errors', () => {
  const cases = [
    ['a unique index', "insert into people (email) values ('ada@example.com')", 'SQLITE_CONSTRAINT_UNIQUE'],
    ['a primary key', "insert into teams (id, name) values (1, 'Again')", 'SQLITE_CONSTRAINT_PRIMARYKEY'],
    ['a NOT NULL column', 'insert into teams (name) values (null)', 'SQLITE_CONSTRAINT_NOTNULL'],
    ['a foreign key', "insert into people (email, team_id) values ('x@example.com', 99)", 'SQLITE_CONSTRAINT_FOREIGNKEY'],
    ['SQL that does not parse', 'selec 1', 'SQLITE_ERROR'],
    ['a missing table', 'select * from nowhere', 'SQLITE_ERROR'],
  ] as const;

  for (const [what, statement, code] of cases) {
    it(`throws the same LibsqlError (${code}) for ${what}`, async () => {
      const [a, b] = await both((c) => outcome(() => c.execute(statement)));
      expect(b).toEqual(a);
      expect(b).toMatchObject({ error: { class: 'LibsqlError', code } });
    });
  }

  it('reaches drizzle as the cause of its DrizzleQueryError, code intact', async () => {
    const [a, b] = await both((c) => outcome(() => createDb(c).insert(people).values({ email: 'ada@example.com' })));
    expect(b).toEqual(a);
    expect(b).toMatchObject({ error: { class: 'DrizzleQueryError', cause: { class: 'LibsqlError', code: 'SQLITE_CONSTRAINT_UNIQUE' } } });
  });

  it('refuses work once closed, with CLIENT_CLOSED', async () => {
    theirs.close();
    ours.close();
    const [a, b] = await both((c) => outcome(() => c.execute('select 1')));
    expect(b).toEqual(a);
    expect(b).toMatchObject({ error: { code: 'CLIENT_CLOSED' } });
  });
});

describe('native client: batches and transactions', () => {
  it('returns one result per statement of a batch', async () => {
    const [a, b] = await both((c) =>
      c.batch([
        { sql: 'insert into teams (name) values (?)', args: ['Gears'] },
        'update teams set name = upper(name)',
        ['select id, name from teams where id > ?', [1]],
      ]),
    );
    expect(b.map(shape)).toEqual(a.map(shape));
  });

  it('rolls a whole batch back when one statement fails, and says why', async () => {
    const [a, b] = await both(async (c) => ({
      result: await outcome(() =>
        c.batch([
          "insert into teams (name) values ('Gears')",
          "insert into people (email) values ('ada@example.com')",
          "insert into teams (name) values ('Pulleys')",
        ]),
      ),
      teams: shape(await c.execute('select * from teams order by id')),
    }));
    expect(b).toEqual(a);
    expect(b.result).toMatchObject({ error: { class: 'LibsqlError', code: 'SQLITE_CONSTRAINT_UNIQUE' } });
    expect(b.teams.byIndex).toEqual([
      [1, 'Engines'],
      [2, 'Looms'],
    ]);
  });

  it('batches through drizzle as @libsql/client does', async () => {
    const [a, b] = await both((c) => {
      const db = createDb(c);
      return db.batch([
        db.insert(teams).values({ name: 'Gears' }).returning(),
        db.update(people).set({ name: 'Ada L.' }).where(eq(people.id, 1)),
        db.select().from(teams).orderBy(teams.id),
      ]);
    });
    expect(b).toEqual(a);
  });

  it('commits and rolls back interactive transactions, through drizzle too', async () => {
    const [a, b] = await both(async (c) => {
      const tx = await c.transaction('write');
      await tx.execute("insert into teams (name) values ('Kept')");
      await tx.commit();
      const closedAfterCommit = tx.closed;
      const undone = await c.transaction('write');
      await undone.execute("insert into teams (name) values ('Undone')");
      await undone.rollback();
      const db = createDb(c);
      const thrown = await outcome(() =>
        db.transaction(async (t) => {
          await t.insert(teams).values({ name: 'Thrown away' });
          throw new Error('changed my mind');
        }),
      );
      return { closedAfterCommit, thrown, teams: shape(await c.execute('select name from teams order by id')) };
    });
    expect(b).toEqual(a);
    expect(b.teams.byIndex.flat()).toEqual(['Engines', 'Looms', 'Kept']);
  });

  it('sets its pragmas on every connection it opens, a transaction\'s own included', async () => {
    const tuned = createNativeClient({ url: `file:${join(dir, 'tuned.db')}`, pragmas: ['cache_size = -4096'] });
    try {
      const main = await tuned.execute('pragma cache_size');
      const tx = await tuned.transaction('write');
      const inTransaction = await tx.execute('pragma cache_size');
      await tx.commit();
      expect([main.rows[0]![0], inTransaction.rows[0]![0]]).toEqual([-4096, -4096]);
      expect((await ours.execute('pragma cache_size')).rows[0]![0]).toBe(-2000);
    } finally {
      tuned.close();
    }
  });

  it('lets a write wait for a transaction open in the same process instead of failing', async () => {
    const db = createDb(ours);
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.insert(teams).values({ name: 'First' });
      inside();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.insert(teams).values({ name: 'Second' });
    });
    await entered;
    await db.insert(teams).values({ name: 'Third' });
    await transaction;
    expect((await db.select({ name: teams.name }).from(teams).orderBy(teams.id)).map((t) => t.name)).toEqual([
      'Engines',
      'Looms',
      'First',
      'Second',
      'Third',
    ]);
  });

  it('fails such a write with SQLITE_BUSY once the busy timeout passes, and writes again after', async () => {
    const client = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}`, busyTimeoutMs: 100 });
    try {
      const tx = await client.transaction('write');
      await tx.execute("insert into teams (name) values ('Held')");
      await expect(client.execute("insert into teams (name) values ('Blocked')")).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await tx.rollback();
      await client.execute("insert into teams (name) values ('After')");
      expect(shape(await client.execute('select name from teams order by id')).byIndex.flat()).toEqual(['Engines', 'Looms', 'After']);
    } finally {
      client.close();
    }
  });

  it("waits for another connection's write lock between turns of the event loop, then writes", async () => {
    const holder = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}` });
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    try {
      const held = await holder.transaction('write');
      await held.execute("insert into teams (name) values ('Held')");
      const single = ours.execute("insert into teams (name) values ('Single')");
      const batch = ours.batch(["insert into teams (name) values ('Batch')", "update teams set name = name || '!' where name = 'Batch'"], 'write');
      // SQLite's busy handler would sleep in this thread: no timer would fire and the lock would never be let go.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ticksWhileHeld = ticks;
      await held.commit();
      await Promise.all([single, batch]);
      expect(ticksWhileHeld).toBeGreaterThanOrEqual(5);
      expect(shape(await ours.execute('select name from teams order by id')).byIndex.flat()).toEqual(['Engines', 'Looms', 'Held', 'Single', 'Batch!']);
    } finally {
      clearInterval(ticking);
      holder.close();
    }
  });

  it("fails with SQLITE_BUSY when another connection's lock outlasts the busy timeout, having written nothing", async () => {
    const impatient = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}`, busyTimeoutMs: 100 });
    const holder = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}` });
    try {
      const held = await holder.transaction('write');
      await held.execute("insert into teams (name) values ('Held')");
      const started = Date.now();
      await expect(impatient.batch(["insert into teams (name) values ('Blocked')"], 'write')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      await held.rollback();
      expect(shape(await impatient.execute('select name from teams order by id')).byIndex.flat()).toEqual(['Engines', 'Looms']);
    } finally {
      impatient.close();
      holder.close();
    }
  });

  it('runs executeMultiple as @libsql/client does', async () => {
    const script = "create table notes (id integer primary key, body text); insert into notes (body) values ('a'), ('b');";
    const [a, b] = await both(async (c) => {
      await c.executeMultiple(script);
      return shape(await c.execute('select * from notes'));
    });
    expect(b).toEqual(a);
  });
});

describe('native client: schema', () => {
  it('applies the migrations to the same schema', async () => {
    const fresh = open('migrated');
    try {
      const [a, b] = await Promise.all(
        [fresh.theirs, fresh.ours].map(async (c) => {
          await applyMigrations(createDb(c));
          return shape(await c.execute("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by name"));
        }),
      );
      expect(b).toEqual(a);
      expect(b!.byName.map((r) => r.name)).toContain('contacts_fts');
    } finally {
      fresh.theirs.close();
      fresh.ours.close();
    }
  });

  it('finds the same contacts through the FTS5 trigram index', async () => {
    const fresh = open('search');
    try {
      const found = await Promise.all(
        [fresh.theirs, fresh.ours].map(async (c) => {
          const db = createDb(c);
          await applyMigrations(db);
          await seedWorkspace(db, { workspaceName: 'W', ownerEmail: 'o@example.com', ownerPassword: 'password-123', contacts: 300, companies: 10, seed: 3, now: Date.UTC(2026, 0, 1) });
          return Promise.all(
            ['"ove"', '"hopp"', '"son"'].map(async (match) =>
              shape(
                await c.execute({
                  sql: `select c.seq, c.first_name, c.last_name from contacts_fts join contacts c on c.seq = contacts_fts.rowid
                        where contacts_fts match ? order by contacts_fts.rowid desc limit 50`,
                  args: [match],
                }),
              ),
            ),
          );
        }),
      );
      expect(found[1]).toEqual(found[0]);
      expect(found[1]!.every((rs) => rs.byIndex.length > 0)).toBe(true);
    } finally {
      fresh.theirs.close();
      fresh.ours.close();
    }
  });

  it('keeps answering right with a statement cache of one, statements alternating', async () => {
    const tiny = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}`, statementCacheSize: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await tiny.execute('select name from teams where id = 1')).rows[0]!.name).toBe('Engines');
        expect((await tiny.execute({ sql: 'select email from people where id = ?', args: [2] })).rows[0]!.email).toBe('grace@example.com');
      }
    } finally {
      tiny.close();
    }
  });

  it('sees a kept statement\'s columns change when it alters a table, or another connection adds one', async () => {
    const other = createNativeClient({ url: `file:${join(dir, 'main-ours.db')}` });
    try {
      expect((await ours.execute('select * from teams where id = 1')).columns).toEqual(['id', 'name']);
      await ours.execute('alter table teams rename column name to title');
      expect(shape(await ours.execute('select * from teams where id = 1')).byName).toEqual([{ id: 1, title: 'Engines' }]);
      await other.execute('alter table teams add column founded integer default 1843');
      expect(shape(await ours.execute('select * from teams where id = 1')).byName).toEqual([{ id: 1, title: 'Engines', founded: 1843 }]);
    } finally {
      other.close();
    }
  });
});

describe('native client: across processes', () => {
  // Another process takes the write lock, writes, and commits after a pause.
  function holdWriteLock(path: string, holdMs: number) {
    const script = `
      const Database = require('libsql');
      const db = new Database(${JSON.stringify(path)});
      db.exec('BEGIN IMMEDIATE');
      db.exec("insert into teams (name) values ('From the other process')");
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});
    `;
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    const locked = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { locked, exited };
  }

  it('lets a batch that only reads go on while another process holds the write lock', async () => {
    await ours.execute('pragma journal_mode = wal');
    const holder = holdWriteLock(join(dir, 'main-ours.db'), 1_000);
    await holder.locked;
    const db = createDb(ours);
    const [counted, names] = await db.batch([db.select({ n: sql<number>`count(*)` }).from(teams), db.select({ name: teams.name }).from(teams)]);
    // The snapshot from before the other process commits: it did not wait.
    expect(counted).toEqual([{ n: 2 }]);
    expect(names).toHaveLength(2);
    expect(await holder.exited).toBe(0);
  });

  it('makes a batch that reads, then writes, wait for another process to commit instead of failing', async () => {
    await ours.execute('pragma journal_mode = wal');
    const holder = holdWriteLock(join(dir, 'main-ours.db'), 300);
    await holder.locked;
    const db = createDb(ours);
    const [counted] = await db.batch([db.select({ n: sql<number>`count(*)` }).from(teams), db.insert(teams).values({ name: 'After the wait' })]);
    expect(await holder.exited).toBe(0);
    expect(counted).toEqual([{ n: 3 }]);
    expect((await db.select({ name: teams.name }).from(teams).orderBy(teams.id)).map((t) => t.name)).toEqual([
      'Engines',
      'Looms',
      'From the other process',
      'After the wait',
    ]);
  });
});
