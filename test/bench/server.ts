import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createDb } from '../../db/client';
import { createApp } from '../../functions/app';
import type { Deps } from '../../functions/deps';
import { openClient } from './dataset';

// The bench's API server, run as its own process (like `npm start`) so the
// load generator does not share its event loop. Same app, same libSQL file
// driver and pragmas as functions/node.ts; queues only count what was sent
// (the measured routes send nothing) and there is no cron or static web.
const path = process.env.BENCH_DB_PATH;
if (!path || !process.send) throw new Error('server.ts is started by test/bench/run.ts');

const client = await openClient(path);
let queued = 0;
const deps: Deps = {
  db: createDb(client),
  config: { publicUrl: 'http://127.0.0.1', undoWindowMs: 30 * 86_400_000 },
  now: Date.now,
  clientAddress: () => '127.0.0.1',
  queues: {
    async send() {
      queued += 1;
    },
    async sendBatch(_queue, bodies) {
      queued += bodies.length;
    },
  },
};
const app = new Hono().route('/', createApp(deps));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send!({ type: 'listening', port: info.port });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    process.send!({ type: 'cpu', usage: process.cpuUsage(), queued });
  } else if (message.type === 'stop') {
    server.close(() => {
      client.close();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
