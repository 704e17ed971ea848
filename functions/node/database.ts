import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { createNativeClient } from '../../db/native-client';

// The Node host's database: a file opened with the native client (prepared
// statements kept, db/native-client.ts), in WAL mode so the host's processes
// read while one of them writes, each waiting up to the client's busy
// timeout for the write lock instead of failing. Any other libSQL URL (a
// sqld server) goes through @libsql/client.
export async function openDatabase(url: string): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url });
  mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  const client = createNativeClient({ url });
  await client.execute('pragma journal_mode = wal');
  return client;
}
