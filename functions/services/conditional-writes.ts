import { exists, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
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
// defaults do not apply here.
export function insertWhere<T extends SQLiteTable>(db: Db, table: T, row: T['$inferInsert'], condition: SQL) {
  const values = Object.entries(getTableColumns(table)).map(([key, column]) =>
    sql.param((row as Record<string, unknown>)[key] ?? null, column),
  );
  return db.insert(table).select(sql`select ${sql.join(values, sql`, `)} where ${condition}`);
}

// `EXISTS (a row of this workspace's table matching where)`, for conditions.
export function rowExists(scope: Scope, table: SQLiteTable & { workspaceId: SQLiteColumn }, where?: SQL) {
  return exists(
    scope.db
      .select({ one: sql`1` })
      .from(table)
      .where(scope.ws.scope(table, where)),
  );
}

// The audit row of a change that may lose a race: put it before the change
// in the batch, under the same condition the change's WHERE states, so both
// happen or neither does.
export function auditWhere(
  scope: Scope,
  condition: SQL,
  entry: { action: string; entityType: string; entityId: string; changes?: Record<string, unknown> },
) {
  return insertWhere(
    scope.db,
    auditLog,
    {
      id: newId('audit', scope.now),
      workspaceId: scope.ws.workspaceId,
      actorId: scope.actor.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: entry.changes ?? null,
      at: scope.now,
    },
    condition,
  );
}
