import type { Context } from 'hono';
import type { Db } from '../db/client';
import type { AppConfig } from './config';
import type { Queues } from './jobs/queues';

// Everything runtime-specific reaches the app through here: the hosts
// (worker.ts, node.ts) build it, tests build their own.
export type Deps = {
  db: Db;
  queues: Queues;
  config: AppConfig;
  now: () => number;
  // Where a request came from, as the host knows it (Cloudflare's
  // CF-Connecting-IP, the Node socket): sign-in throttling keys on it, so it
  // must not be a header any client can set.
  clientAddress: (c: Context) => string;
};
