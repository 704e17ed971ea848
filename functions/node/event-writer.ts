import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VersionedEvent, WriteEvents } from '../services/webhooks/store';
import type { WriteReply, WriteRequest } from './event-writer-thread';

// Where the Node host commits verified webhook requests: one thread for
// the whole host (event-writer-thread.ts), started by the process that
// prepares the database, which every serving process reaches over a Unix
// socket in a directory only this user can enter.
//
// Why a thread: SQLite runs synchronously, so a commit on the thread that
// answers HTTP holds every request behind it for the whole fsync (a
// quarter of that thread's time under a stream of webhooks, measured).
// Why one: a writer in each process fought the others for the write lock,
// and each lost its page cache whenever another wrote; two processes then
// stored fewer requests than one (810/s against 2,200/s, measured).
//
// A thread that dies fails the requests it held (their senders hear a 500
// and send again) and is started again.

export type EventWriterHost = {
  socketPath: string;
  stop(): Promise<void>;
  // Ends the thread as a crash would; another is started (for tests).
  terminateThread(): Promise<void>;
};

const THREAD = new URL(`./event-writer-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

// Run from TypeScript (tsx, vitest), the thread loads its module through
// tsx's API: on Node 20 a worker does not take the loader hooks of
// `--import tsx`, in its execArgv or inherited.
function spawnThread(workerData: unknown): Worker {
  if (!THREAD.pathname.endsWith('.ts')) return new Worker(THREAD, { workerData });
  const load = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(THREAD.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(load, { eval: true, workerData });
}

export async function startEventWriter(databaseUrl: string, log: (line: string) => void = console.error): Promise<EventWriterHost> {
  const dir = mkdtempSync(join(tmpdir(), 'relate-events-'));
  const socketPath = join(dir, 'writer.sock');
  let stopping = false;
  let thread: Worker;

  const start = () =>
    new Promise<Worker>((resolve, reject) => {
      rmSync(socketPath, { force: true });
      const worker = spawnThread({ databaseUrl, socketPath });
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
      worker.once('exit', (code) => {
        reject(new Error(`the webhook event writer exited (code ${code}) before it listened`));
        if (stopping || thread !== worker) return;
        log(`the webhook event writer stopped (exit code ${code}); starting another`);
        start().then(
          (next) => (thread = next),
          (error: Error) => log(`the webhook event writer could not start again: ${error.message}`),
        );
      });
    });

  thread = await start();
  return {
    socketPath,
    async terminateThread() {
      await thread.terminate();
    },
    async stop() {
      stopping = true;
      await thread.terminate();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// How long a request waits for its group's commit: past the writer's own
// wait for the write lock (5 s), inside the 15 s a sender such as Svix
// gives an answer. A writer stuck longer fails its requests, which their
// senders send again; one it commits after all is then a duplicate.
export const WRITE_TIMEOUT_MS = 8_000;

// A serving process's end of the socket: connected on the first write and
// again after the writer went away.
export function connectEventWriter(socketPath: string, { timeoutMs = WRITE_TIMEOUT_MS } = {}): { write: WriteEvents; close(): void } {
  let socket: Socket | null = null;
  let seq = 0;
  const pending = new Map<number, { resolve: (ids: string[]) => void; reject: (error: Error) => void }>();

  const open = () => {
    const opened = connect(socketPath);
    let buffered = '';
    opened.setEncoding('utf8');
    opened.setNoDelay(true);
    opened.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const reply = JSON.parse(buffered.slice(0, end)) as WriteReply;
        buffered = buffered.slice(end + 1);
        const waiter = pending.get(reply.seq);
        pending.delete(reply.seq);
        if ('error' in reply) waiter?.reject(new Error(`storing webhook events failed: ${reply.error}`));
        else waiter?.resolve(reply.inserted);
      }
    });
    const lost = (error?: Error) => {
      if (socket === opened) socket = null;
      for (const { reject } of pending.values()) reject(new Error(`the webhook event writer went away${error ? `: ${error.message}` : ''}`));
      pending.clear();
    };
    opened.on('error', lost);
    opened.on('close', () => lost());
    return opened;
  };

  return {
    write(rows: VersionedEvent[]) {
      socket ??= open();
      const message: WriteRequest = { seq: ++seq, rows };
      return new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(message.seq);
          reject(new Error(`the webhook event writer did not answer in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(message.seq, {
          resolve: (ids) => {
            clearTimeout(timer);
            resolve(ids);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        socket!.write(`${JSON.stringify(message)}\n`);
      });
    },
    close() {
      socket?.end();
      socket = null;
    },
  };
}
