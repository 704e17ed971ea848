import { createClient } from '@libsql/client';
import { z } from 'zod';
import { createDb } from './client';
import { applyMigrations } from './migrate';

// `npm run db:migrate`: applies committed migrations to the database named
// by LIBSQL_URL (Turso before a deploy, or a local file), never from a Worker.
const env = z
  .object({ LIBSQL_URL: z.string().min(1), LIBSQL_AUTH_TOKEN: z.string().optional() })
  .parse(process.env);
const client = createClient({ url: env.LIBSQL_URL, authToken: env.LIBSQL_AUTH_TOKEN });
await applyMigrations(createDb(client));
client.close();
console.log(`Migrations applied to ${env.LIBSQL_URL.replace(/\?.*$/, '')}`);
