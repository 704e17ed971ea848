import { and, count, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client';
import { insertWhere } from './conditional-writes';

type ScopedTable = SQLiteTable & { workspaceId: SQLiteColumn };
export type Scoper = (table: ScopedTable, where?: SQL) => SQL;

const scopedTo =
  (workspace: string | Placeholder): Scoper =>
  (table, where) =>
    and(eq(table.workspaceId, workspace), where) as SQL;

// Reads on the hot path are built once per database and shape, not once per
// request: building a statement with drizzle costs about as much as running
// it. The workspace is a placeholder in them, bound from the data layer on
// every execution (workspaceData().read), so a prepared statement can no
// more forget the tenant than a built one. Their rows are read as the driver
// returns them and named here by the select's keys: drizzle's own mapping
// costs ~1.5 µs a row (~80 µs of a page of 50), more than our reads need,
// as their columns are plain values and JSON text.
type Query<Row> = {
  _: { selectedFields: object; result: Row[] };
  prepare(): { values(values: Record<string, unknown>): Promise<unknown[]> };
};
type Prepared<Row> = { keys: (keyof Row)[]; statement: ReturnType<Query<Row>['prepare']> };
const WORKSPACE = sql.placeholder('workspaceId');
// Shapes are few (a list's filters and sort); the bound only keeps a client
// that tries every combination from growing the cache without end.
const MAX_SHAPES = 256;

export type PreparedReads<Shape, Row> = (db: Db, shape: Shape) => Prepared<Row>;

export function preparedReads<Shape, Row>(
  build: (db: Db, scope: Scoper, shape: Shape) => Query<Row>,
  keyOf: (shape: Shape) => string = () => '',
): PreparedReads<Shape, Row> {
  const byDb = new WeakMap<Db, Map<string, Prepared<Row>>>();
  return (db, shape) => {
    let cache = byDb.get(db);
    if (!cache) byDb.set(db, (cache = new Map()));
    const key = keyOf(shape);
    let prepared = cache.get(key);
    if (!prepared) {
      if (cache.size >= MAX_SHAPES) cache.clear();
      const query = build(db, scopedTo(WORKSPACE), shape);
      prepared = { keys: Object.keys(query._.selectedFields) as (keyof Row)[], statement: query.prepare() };
      cache.set(key, prepared);
    }
    return prepared;
  };
}

// A driver row (readable by index) as an object keyed like the select.
function named<Row>(keys: (keyof Row)[], row: ArrayLike<unknown>): Row {
  const out = {} as Row;
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = row[i] as Row[keyof Row];
  return out;
}

// The only way routes, jobs and services reach business rows: every
// statement built here carries `workspace_id = ?` for the workspace it was
// created for, so no caller can forget the tenant.
export function workspaceData(db: Db, workspaceId: string) {
  const scope = scopedTo(workspaceId);
  return {
    workspaceId,
    scope,
    async read<Shape, Row>(statements: PreparedReads<Shape, Row>, shape: Shape, values: Record<string, unknown>): Promise<Row[]> {
      const { keys, statement } = statements(db, shape);
      const rows = (await statement.values({ ...values, workspaceId })) as ArrayLike<unknown>[];
      return rows.map((row) => named(keys, row));
    },
    select<T extends ScopedTable>(table: T, where?: SQL) {
      return db
        .select()
        .from(table as SQLiteTable)
        .where(scope(table, where))
        .$dynamic() as unknown as SelectOf<T>;
    },
    exists<T extends ScopedTable>(table: T, where: SQL | undefined): SQL {
      return sql`exists (select 1 from ${table} where ${scope(table, where)})`;
    },
    async count<T extends ScopedTable>(table: T, where?: SQL): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(table as SQLiteTable)
        .where(scope(table, where));
      return row?.n ?? 0;
    },
    insert<T extends ScopedTable>(table: T, values: Omit<T['$inferInsert'], 'workspaceId'>) {
      return db.insert(table).values({ ...values, workspaceId } as T['$inferInsert']);
    },
    // Written only if the condition holds when the statement runs, which a
    // check read earlier cannot promise (services/conditional-writes.ts).
    insertWhere<T extends ScopedTable>(table: T, values: Omit<T['$inferInsert'], 'workspaceId'>, condition: SQL | undefined) {
      return insertWhere(db, table, { ...values, workspaceId } as T['$inferInsert'], condition);
    },
    update<T extends ScopedTable>(table: T, set: Omit<SQLiteUpdateSetSource<T>, 'workspaceId'>, where: SQL) {
      return db.update(table).set(set as never).where(scope(table, where));
    },
    delete<T extends ScopedTable>(table: T, where: SQL) {
      return db.delete(table).where(scope(table, where));
    },
    batch: db.batch.bind(db),
  };
}

export type WorkspaceData = ReturnType<typeof workspaceData>;

// Enough of drizzle's dynamic select to order, page and await rows of T.
type SelectOf<T extends ScopedTable> = PromiseLike<T['$inferSelect'][]> & {
  orderBy(...columns: (SQLiteColumn | SQL)[]): SelectOf<T>;
  limit(n: number): SelectOf<T>;
  offset(n: number): SelectOf<T>;
  get(): Promise<T['$inferSelect'] | undefined>;
};
