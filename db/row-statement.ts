import type { InStatement, InValue } from '@libsql/client';
import { getTableColumns, getTableName, is, Param, Placeholder, sql, type InferInsertModel } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

// A write of one row as a plain libSQL statement, its SQL built once by
// drizzle from the schema (`query` gets a placeholder per column) and each
// row's values encoded by that column (JSON, booleans, dates). For a write
// that runs thousands of times a second: drizzle builds a multi-row insert
// afresh on every call (measured, a third of the time of storing a group
// of webhooks), and with a new SQL text for every group size, while the
// native client keeps one prepared statement per text.
//
// A column left undefined is NULL; one with a default must be given, since
// the statement names every column.

type Built = { toSQL(): { sql: string; params: unknown[] } };

export function rowStatement<T extends SQLiteTable>(table: T, query: (values: Record<keyof T['$inferInsert'], Placeholder>) => Built) {
  const columns = getTableColumns(table);
  const name = getTableName(table);
  const placeholders = Object.fromEntries(Object.keys(columns).map((key) => [key, sql.placeholder(key)])) as Record<keyof T['$inferInsert'], Placeholder>;
  const { sql: text, params } = query(placeholders).toSQL();
  const encoders = params.map((param) => {
    // drizzle hands a value's placeholder back inside a Param with its column.
    const placeholder = is(param, Param) ? param.value : param;
    if (!is(placeholder, Placeholder)) throw new TypeError(`rowStatement: ${name} got a value, not a placeholder`);
    const key = placeholder.name;
    const column = columns[key];
    if (!column) throw new TypeError(`rowStatement: ${name} has no column ${key}`);
    return (row: Record<string, unknown>) => {
      const value = row[key];
      if (value === undefined && column.hasDefault) throw new TypeError(`rowStatement: ${name}.${key} has a default, so it must be given`);
      return value === undefined || value === null ? null : (column.mapToDriverValue(value) as InValue);
    };
  });
  return (row: InferInsertModel<T>): InStatement => ({ sql: text, args: encoders.map((encode) => encode(row as Record<string, unknown>)) });
}
