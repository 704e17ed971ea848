import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { isEmpty, seedWorkspace } from '../../db/seed';
import { verifyPassword } from '../domain/passwords';
import { randomToken } from '../domain/tokens';
import { runSegmentation } from '../jobs/segmentation';
import { createProducer } from './queue';

// The demo workspace `npm start` seeds into an empty database, so a
// newcomer has something to look at. Its password is random per install
// (96 bits): one printed in the README or the code would open every
// install that is reachable from elsewhere.
//
// Later starts show the same sign-in again. The password is kept in a file
// beside the database, readable by its owner only: whoever can read that
// file can read the database itself, so it gives nobody anything new, and
// it is the password of a demo account, not of a person. The file is only
// believed while the password in it still signs in.
export const DEMO_EMAIL = 'demo@relate.local';

export type DemoSettings = {
  db: Db;
  databaseUrl: string;
  // The Node host's listening address.
  host: string;
  // 'true' seeds on any listener, 'false' never; unset seeds only on a
  // loopback listener, which nobody else can reach.
  seedDemo?: 'true' | 'false';
  log?: (line: string) => void;
};

export async function prepareDemo({ db, databaseUrl, host, seedDemo, log = console.log }: DemoSettings) {
  if (seedDemo === 'false') return;
  const passwordFile = demoPasswordFile(databaseUrl);
  if (seedDemo === undefined && !isLoopback(host)) {
    if (await isEmpty(db)) {
      log(`Not seeding the demo workspace: HOST=${host} can be reached from other machines. Set SEED_DEMO=true to seed it anyway.`);
    }
    return;
  }
  if (await isEmpty(db)) {
    const password = randomToken(12);
    const { workspaceId } = await seedWorkspace(db, {
      workspaceName: 'Demo workspace',
      ownerEmail: DEMO_EMAIL,
      ownerPassword: password,
      contacts: 250,
      companies: 25,
      notes: 60,
      shop: true,
    });
    if (passwordFile) {
      rmSync(passwordFile, { force: true });
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
    }
    // Scored at once, as the night would, so the insights page and the
    // contacts' scores have something to show on the first visit.
    const now = Date.now();
    await runSegmentation({ db, now: Date.now, queues: createProducer(db, Date.now) }, { type: 'nightly', workspaceId, date: new Date(now).toISOString().slice(0, 10) });
    log('Demo workspace seeded.');
    log(`Demo sign-in: ${DEMO_EMAIL} / ${password}`);
    return;
  }
  const [demo] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, DEMO_EMAIL));
  if (!demo) return;
  const kept = passwordFile ? readKept(passwordFile) : null;
  if (kept && (await verifyPassword(kept, demo.passwordHash))) {
    log(`Demo sign-in: ${DEMO_EMAIL} / ${kept}`);
  } else {
    log(`Demo sign-in: ${DEMO_EMAIL} (its password was shown when the demo workspace was created)`);
  }
}

// 127.0.0.0/8, ::1 and localhost; any other address or name may be
// reachable from elsewhere.
export function isLoopback(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

// Beside a database file, like its -wal and -shm files; none for a remote
// or in-memory database.
export function demoPasswordFile(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('file:')) return null;
  const path = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  return path && path !== ':memory:' ? `${path}-demo-password` : null;
}

function readKept(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}
