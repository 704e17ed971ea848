import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { auditLog, contacts } from '../../db/schema';
import { NIGHTLY } from '../../functions/jobs/cron';
import { startEdgeDev, type EdgeDev } from '../../functions/node/dev-edge';
import { HttpCaller } from '../fixtures/app';
import { DAY, eventually } from './harness';
import { freePort } from '../fixtures/ports';

// `npm run dev:edge` as a developer runs it: the real `wrangler dev` (with wrangler.toml as
// shipped: static assets, queues, crons) over a local libSQL file served by this repository's
// Hrana server. Ports are free ones and wrangler's state lives in a temp dir, so other test runs
// and a developer's own dev session are left alone.
let edge: EdgeDev;
let dir: string;
let db: ReturnType<typeof createDb>;
let closeDb: () => void;
const output: string[] = [];


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relate-dev-edge-'));
  const env = { PORT: String(await freePort()), INSPECTOR_PORT: String(await freePort()), DATABASE_URL: `file:${join(dir, 'edge.db')}` };
  edge = await startEdgeDev(env, ['--persist-to', join(dir, 'state')], (text) => void output.push(text));
  const client = createClient({ url: `file:${join(dir, 'edge.db')}` });
  db = createDb(client);
  closeDb = () => client.close();
});
afterAll(async () => {
  await edge?.stop();
  closeDb?.();
  rmSync(dir, { recursive: true, force: true });
});

const browser = () => new HttpCaller((url, init) => fetch(url, init), edge.url);

async function signUp() {
  const caller = browser();
  const res = await caller.post('/api/auth/sign-up', {
    email: `edge-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: 'correct horse battery',
    name: 'Edge Developer',
    workspaceName: 'Edge Workspace',
  });
  expect(res.status, res.text).toBe(201);
  await caller.refreshCsrf();
  return { caller, workspaceId: res.json.workspaceId as string };
}

describe('npm run dev:edge', () => {
  it('serves the SPA from static assets with the security headers of build/_headers, deep links included', async () => {
    for (const path of ['/', '/contacts/con_01JD5X9Q2M7R4T8V6W3Y0Z1A2B']) {
      const res = await fetch(`${edge.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div style="display: contents">');
      expect(res.headers.get('content-security-policy'), path).toMatch(/script-src 'self' 'sha256-[\w+/=]+'.*frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('runs the Worker against the local libSQL file: a sign-up and a contact land in it', async () => {
    const { caller, workspaceId } = await signUp();
    const created = await caller.post('/api/contacts', { firstName: 'Local', lastName: 'Edge' });
    expect(created.status, created.text).toBe(201);
    const rows = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, workspaceId));
    expect(rows).toEqual([{ id: created.json.id }]);
  });

  it('runs the nightly cron from GET /__scheduled, and its queue consumer purges expired trash', async () => {
    const { caller, workspaceId } = await signUp();
    const created = await caller.post('/api/contacts', { firstName: 'Expired', lastName: 'Edge' });
    expect((await caller.delete(`/api/contacts/${created.json.id}`)).status).toBe(204);
    await db.update(contacts).set({ deletedAt: Date.now() - 31 * DAY }).where(eq(contacts.id, created.json.id));

    const trigger = await fetch(`${edge.url}/__scheduled?cron=${encodeURIComponent(NIGHTLY)}`);
    expect(trigger.status).toBe(200);
    expect(await trigger.text()).toBe('Ran scheduled event');

    // The cron's message reaches the consumer after the queue's max_batch_timeout.
    const purged = await eventually(async () => (await db.select().from(contacts).where(eq(contacts.id, created.json.id))).length === 0, 30_000);
    expect(purged, output.join('')).toBe(true);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, created.json.id), eq(auditLog.action, 'purge')));
    expect(audit).toMatchObject([{ workspaceId, actorId: 'system' }]);
  });
});
