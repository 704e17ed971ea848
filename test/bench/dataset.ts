import { existsSync } from 'node:fs';
import type { Client } from '@libsql/client';
import { createDb } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { seedWorkspace } from '../../db/seed';
import { openDatabase } from '../../functions/node/database';
import { mergeSearchIndexStep } from '../../functions/services/search-index';
import { elapsedMs } from './stats';

export const OWNER = { email: 'bench-owner@relate.local', password: 'relate-bench-2026' };
export const OTHER_OWNER = { email: 'bench-other@relate.local', password: 'relate-bench-2026' };

export type DatasetOptions = {
  contacts: number;
  companies: number;
  otherContacts: number;
  otherCompanies: number;
};

export type Dataset = DatasetOptions & { workspaceId: string; otherWorkspaceId: string; seededMs: number | null };

// The database as the Node host opens it (functions/node/database.ts).
export function openClient(path: string): Promise<Client> {
  return openDatabase(`file:${path}`);
}

async function workspaceOf(client: Client, email: string): Promise<string | null> {
  const rs = await client.execute({
    sql: 'select m.workspace_id from users u join memberships m on m.user_id = u.id where u.email = ?',
    args: [email],
  });
  return (rs.rows[0]?.[0] as string | undefined) ?? null;
}

async function countContacts(client: Client, workspaceId: string): Promise<number> {
  const rs = await client.execute({ sql: 'select count(*) from contacts where workspace_id = ?', args: [workspaceId] });
  return Number(rs.rows[0]?.[0] ?? 0);
}

// Migrates and seeds the file: the measured workspace, plus a small second
// workspace whose rows share the table and the full-text index, so every
// query's tenant filter has rows to reject. A file that already holds the
// same dataset (BENCH_DB) is reused as is.
export async function prepareDataset(path: string, options: DatasetOptions, log: (line: string) => void): Promise<Dataset> {
  const reuse = existsSync(path);
  const client = await openClient(path);
  try {
    const db = createDb(client);
    if (reuse) {
      const workspaceId = await workspaceOf(client, OWNER.email);
      const otherWorkspaceId = await workspaceOf(client, OTHER_OWNER.email);
      if (!workspaceId || !otherWorkspaceId) throw new Error(`${path} exists but is not a bench database; delete it or pick another BENCH_DB`);
      const [n, m] = [await countContacts(client, workspaceId), await countContacts(client, otherWorkspaceId)];
      if (n !== options.contacts || m !== options.otherContacts) {
        throw new Error(`${path} holds ${n} + ${m} contacts, not ${options.contacts} + ${options.otherContacts}; delete it to reseed`);
      }
      log(`Reusing ${path} (${n.toLocaleString('en')} + ${m.toLocaleString('en')} contacts)`);
      return { ...options, workspaceId, otherWorkspaceId, seededMs: null };
    }

    const start = process.hrtime.bigint();
    await applyMigrations(db);
    log(`Seeding ${options.contacts.toLocaleString('en')} contacts and ${options.companies.toLocaleString('en')} companies…`);
    let lastReport = 0;
    const main = await seedWorkspace(db, {
      workspaceName: 'Bench workspace',
      ownerEmail: OWNER.email,
      ownerPassword: OWNER.password,
      contacts: options.contacts,
      companies: options.companies,
      seed: 42,
      onProgress(done, total) {
        if (done - lastReport >= 10_000 || done === total) {
          lastReport = done;
          log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} contacts (${(elapsedMs(start) / 1000).toFixed(1)} s)`);
        }
      },
    });
    log(`Seeding the second workspace: ${options.otherContacts.toLocaleString('en')} contacts…`);
    const other = await seedWorkspace(db, {
      workspaceName: 'Other workspace',
      ownerEmail: OTHER_OWNER.email,
      ownerPassword: OTHER_OWNER.password,
      contacts: options.otherContacts,
      companies: options.otherCompanies,
      seed: 7,
    });
    // As a deployment has it after its first night: the nightly maintenance
    // merges the full-text index that the seeding wrote in 500-row segments
    // (functions/services/search-index.ts).
    log('Merging the full-text index, as the nightly maintenance does…');
    let starting = true;
    while (await mergeSearchIndexStep(db, { starting })) starting = false;
    // Checkpoint so the measured runs do not start with a large WAL.
    await client.execute('pragma wal_checkpoint(truncate)');
    const seededMs = elapsedMs(start);
    log(`Seeded in ${(seededMs / 1000).toFixed(1)} s`);
    return { ...options, workspaceId: main.workspaceId, otherWorkspaceId: other.workspaceId, seededMs };
  } finally {
    client.close();
  }
}
