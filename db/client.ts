import type { Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as schema from './schema';

export type Db = LibSQLDatabase<typeof schema>;

// The hosts create the libSQL client (native file driver on Node, HTTP in a
// Worker) and hand it here, so nothing below knows which runtime it is on.
export function createDb(client: Client): Db {
  return drizzle(client, { schema });
}
