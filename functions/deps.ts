import type { Context } from 'hono';
import type { Db } from '../db/client';
import type { AppConfig } from './config';
import type { CommonPasswords } from './domain/password-rule';
import type { Queues } from './jobs/queues';
import type { WebhookIntake } from './services/webhooks/store';

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
  // The common-password list a new password is checked against
  // (functions/domain/password-rule.ts), loaded on first use: a file of the
  // web build, kept out of the Worker's code (functions/node/common-passwords.ts).
  commonPasswords: () => Promise<CommonPasswords>;
  // How verified inbound webhooks are stored and their sources looked up;
  // the Node host gathers a turn's worth into one write and remembers
  // sources (services/webhooks/store.ts).
  webhookIntake?: WebhookIntake;
};
