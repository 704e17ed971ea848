import { createServer, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { LibsqlError } from '@libsql/client';
import { createDb } from '../../db/client';
import type { VersionedEvent, WriteEvents } from '../services/webhooks/store';
import { openDatabase } from './database';
import { eventGroupWriter } from './event-group';
import { groupCommits } from './group-commit';

// The thread behind functions/node/event-writer.ts: the one connection on
// which the host's processes write verified webhook requests, each group
// with its `events` messages (event-group.ts), the requests that arrive
// while one is being written going in the next (group-commit.ts). The
// processes reach it over a Unix socket, a JSON line each way per request.

export type WriteRequest = { seq: number; rows: VersionedEvent[] };
export type WriteReply = { seq: number; inserted: string[] } | { seq: number; error: string };

// Some other connection holding the write lock (a queue consumer) is
// waited for here, a try every 100 µs, not in SQLite's busy handler, which
// sleeps 1, 2, 5, 10… ms between tries.
const BUSY_TIMEOUT_MS = 5_000;
const RETRY_MS = 0.1;
const pause = new Int32Array(new SharedArrayBuffer(4));

function waitingForTheLock(write: WriteEvents): WriteEvents {
  return async (rows) => {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    for (;;) {
      try {
        return await write(rows);
      } catch (error) {
        if (!(error instanceof LibsqlError && error.code === 'SQLITE_BUSY') || Date.now() > deadline) throw error;
        Atomics.wait(pause, 0, 0, RETRY_MS);
      }
    }
  };
}

const { databaseUrl, socketPath } = workerData as { databaseUrl: string; socketPath: string };
const client = await openDatabase(databaseUrl, { busyTimeoutMs: 0 });
const write = groupCommits(waitingForTheLock(eventGroupWriter(client, createDb(client), Date.now)));

function serve(socket: Socket) {
  let buffered = '';
  const reply = (message: WriteReply) => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      let request: WriteRequest;
      try {
        request = JSON.parse(line) as WriteRequest;
      } catch {
        return void socket.destroy();
      }
      const { seq, rows } = request;
      write(rows).then(
        (inserted) => reply({ seq, inserted }),
        (error: unknown) => reply({ seq, error: error instanceof Error ? error.message : String(error) }),
      );
    }
  });
  socket.on('error', () => socket.destroy());
}

const server = createServer(serve);
server.listen(socketPath, () => parentPort!.postMessage('listening'));
