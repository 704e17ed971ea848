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
};
