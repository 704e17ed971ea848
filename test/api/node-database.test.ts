import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../functions/node/database';

// The Node host's connections (functions/node/database.ts): what people
// enter and what a sender is answered 2xx for is synced at every commit;
// only the queue consumers' connection leaves it to the next synced one.

const dirs: string[] = [];
const clients: Client[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function opened(options?: Parameters<typeof openDatabase>[1]) {
  const dir = mkdtempSync(join(tmpdir(), 'relate-node-db-'));
  dirs.push(dir);
  const client = await openDatabase(`file:${join(dir, 'nested', 'relate.db')}`, options);
  clients.push(client);
  const pragma = async (name: string) => (await client.execute(`pragma ${name}`)).rows[0]![0];
  return { journal: await pragma('journal_mode'), synchronous: await pragma('synchronous') };
}

describe('the Node host database', () => {
  it('syncs every commit of the host connection (synchronous FULL), in WAL mode', async () => {
    expect(await opened()).toEqual({ journal: 'wal', synchronous: 2 });
  });

  it("leaves the consumers' commits to the next synced one (synchronous NORMAL), in WAL mode", async () => {
    expect(await opened({ forJobs: true })).toEqual({ journal: 'wal', synchronous: 1 });
  });
});
