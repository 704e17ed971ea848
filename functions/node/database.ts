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

// The queue consumers' connection (their work, and what they send on) does
// not sync the log at each commit (synchronous=NORMAL, sqlite.org/
// pragma.html#pragma_synchronous): a commit then costs no fsync, the
// largest part of applying a webhook event (a backlog drained 27% faster,
// measured). What that can lose is only what a power cut catches before the
// next synced commit, and the WAL keeps commits in order, so it loses a
// tail: the queue's settle that acks a batch is synced (it runs on the
// host's own connection, after the work), so acked work is durable and
// unacked work is delivered again. A process that dies loses nothing: the
// commit is in the OS's hands. What people enter, and what is answered 2xx
// to a sender, stays synced at every commit.
const JOB_PRAGMAS = [...CONNECTION_PRAGMAS, 'synchronous = normal'] as const;
// Background work waits its turn for the write lock longer than a request
// does (5 s): under a burst of webhooks the writer thread holds it most of
// the time, and a consumer that gave up would only be retried later.
const JOB_BUSY_TIMEOUT_MS = 30_000;

export async function openDatabase(url: string, { busyTimeoutMs, forJobs = false }: { busyTimeoutMs?: number; forJobs?: boolean } = {}): Promise<Client> {
  if (!url.startsWith('file:')) return createClient({ url });
  mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  return forJobs
    ? createNativeClient({ url, pragmas: JOB_PRAGMAS, busyTimeoutMs: busyTimeoutMs ?? JOB_BUSY_TIMEOUT_MS })
    : createNativeClient({ url, pragmas: CONNECTION_PRAGMAS, busyTimeoutMs });
}
