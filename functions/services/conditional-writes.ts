import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema';
import { newId } from '../domain/ids';
import type { Scope } from './scope';

// Writes that must happen only if another write in the same batch did: a
// claimed invitation seats one person, a revocation is audited once. A batch
// is one transaction and one round trip, with no way to branch between its
// statements (libSQL over HTTP has no savepoints and no batch inside an
// interactive transaction), so the branch lives in SQL: `INSERT … SELECT
// <the row> WHERE <condition>` writes nothing when the condition is false.

// Every column's value comes from `row` (a missing one is NULL): SQL
// defaults do not apply here. A value may be SQL, read as the statement
// runs (an audit row's "from", the row as it is when the write happens).
export function insertWhere<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert'], condition: SQL | undefined) {
  const values = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = (row as Record<string, unknown>)[key];
    return is(value, SQL) ? value : sql.param(value ?? null, column);
  });
  return db.insert(table).select(sql`select ${sql.join(values, sql`, `)} where ${condition ?? sql`1`}`);
}

// `changes` is JSON, or SQL that builds it as the batch runs.
export type Audit = { action: string; entityType: string; entityId: string; changes?: Record<string, unknown> | SQL };

// The audit row of a change that may lose a race: put it before the change
// in the batch, under the same condition the change's WHERE states, so both
// happen or neither does.
export function auditWhere(scope: Scope, condition: SQL | undefined, entry: Audit & { id?: string }) {
  return insertWhere(
    scope.db,
    auditLog,
    {
      id: entry.id ?? newId('audit', scope.now),
      workspaceId: scope.ws.workspaceId,
      actorId: scope.actor.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: (entry.changes ?? null) as Record<string, unknown> | null,
      at: scope.now,
    },
    condition,
  );
}
