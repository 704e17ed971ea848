import { and, count, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client';

type ScopedTable = SQLiteTable & { workspaceId: SQLiteColumn };

// The only way routes, jobs and services reach business rows: every
// statement built here carries `workspace_id = ?` for the workspace it was
// created for, so no caller can forget the tenant.
export function workspaceData(db: Db, workspaceId: string) {
  const scope = (table: ScopedTable, where?: SQL) => and(eq(table.workspaceId, workspaceId), where) as SQL;
  return {
    workspaceId,
    scope,
    select<T extends ScopedTable>(table: T, where?: SQL) {
      return db
        .select()
        .from(table as SQLiteTable)
        .where(scope(table, where))
        .$dynamic() as unknown as SelectOf<T>;
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
    update<T extends ScopedTable>(table: T, set: Partial<Omit<T['$inferInsert'], 'workspaceId'>>, where: SQL) {
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
