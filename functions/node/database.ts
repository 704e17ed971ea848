import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { createNativeClient } from '../../db/native-client';

// The Node host's database: a file opened with the native client (prepared
// statements kept, db/native-client.ts), in WAL mode so the host's processes
// read while one of them writes, each waiting up to the client's busy
// timeout for the write lock instead of failing. Any other libSQL URL (a
// sqld server) goes through @libsql/client.
//
// SQLite's default page cache is 2 MB per connection. The pages a page of
// search results touches (the trigram index's doclists, the rows, their
// companies) outgrow it at about 100k contacts, and every miss is a read
// from the OS: measured on the bench's database, a search statement costs
// 0.83 ms with the default and 0.43 ms with 64 MiB. The cache fills only as
// pages are read, so a small database costs no more than before.
export const CONNECTION_PRAGMAS = ['journal_mode = wal', 'cache_size = -65536'] as const;

export async function openDatabase(url: string, { busyTimeoutMs }: { busyTimeoutMs?: number } = {}): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url });
  mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  return createNativeClient({ url, pragmas: CONNECTION_PRAGMAS, busyTimeoutMs });
}
