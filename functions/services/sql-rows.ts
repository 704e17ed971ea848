import { sql, type SQL } from 'drizzle-orm';

// Many rows in one statement: the rows go in as one JSON array parameter
// and SQLite reads them with json_each, so a chunk of two thousand rows is
// one statement with one bound value (no limit on bound variables to
// mind, one prepare). `->>` gives each member as an SQL value: text,
// number or null; JSON columns travel as text already serialised.
export const rowsParam = (rows: readonly unknown[]) => sql`json_each(${JSON.stringify(rows)})`;

// A member of the row being read (`j`, as `from ${rowsParam(...)} as j`).
export const member = (key: string): SQL => sql`j.value ->> ${`$.${key}`}`;
