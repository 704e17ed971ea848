import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIGHTLY } from '../../functions/jobs/cron';
import { PUBLIC_URL } from './harness';
import { isolatedWorker, type IsolatedWorker } from './isolated';

// The Worker's settings come from wrangler.toml [vars] and secrets; a deployer who forgets one
// must be told which, by the response and by the log, while what needs no database still works.

describe('a Worker deployed without LIBSQL_URL', () => {
  let worker: IsolatedWorker;
  beforeAll(async () => {
    worker = await isolatedWorker({ PUBLIC_URL, UNDO_WINDOW_DAYS: '30' });
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('answers API calls with a 503 that names the missing setting, and logs it', async () => {
    for (const [path, init] of [
      ['/api/contacts', undefined],
      ['/api/auth/session', undefined],
      ['/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.co","password":"x"}' }],
    ] as const) {
      const res = await worker.request(path, init);
      expect(res.status, path).toBe(503);
      expect(res.json.error, path).toMatchObject({ code: 'not_configured', requestId: expect.any(String) });
      expect(res.json.error.message, path).toMatch(/LIBSQL_URL is not set/);
    }
    const logged = worker.errors();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toMatchObject({ level: 'error', error: { message: expect.stringMatching(/LIBSQL_URL is not set/) } });
  });

  it('still serves the OpenAPI document and the API reference, which need no database', async () => {
    const doc = await worker.request('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const page = await worker.request('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
  });

  it('retries queue batches instead of losing them, and fails the cron invocation', async () => {
    const message = { id: randomUUID(), timestamp: new Date(), attempts: 1, body: { type: 'purge-deleted', workspaceId: 'ws_x' } };
    const batch = await worker.worker.queue('maintenance', [message]);
    expect(batch.explicitAcks).toEqual([]);
    expect(batch.ackAll).toBe(false);
    expect(batch.retryBatch.retry).toBe(true);
    const cron = await worker.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() });
    expect(cron.outcome).toBe('exception');
    expect(worker.errors().some((line) => /LIBSQL_URL is not set/.test(JSON.stringify(line)))).toBe(true);
  });
});

describe('a Worker deployed with settings that cannot work', () => {
  it('refuses the placeholder PUBLIC_URL that wrangler.toml ships with, saying to set it', async () => {
    const worker = await isolatedWorker({ LIBSQL_URL: 'http://127.0.0.1:9', PUBLIC_URL: 'https://relate.example.com', UNDO_WINDOW_DAYS: '30' });
    try {
      const res = await worker.request('/api/contacts');
      expect(res.status).toBe(503);
      expect(res.json.error.message).toMatch(/PUBLIC_URL .*placeholder.*set it/i);
    } finally {
      await worker.dispose();
    }
  });

  it('names every unusable setting at once: a file: LIBSQL_URL and a missing PUBLIC_URL', async () => {
    const worker = await isolatedWorker({ LIBSQL_URL: 'file:data/relate.db' });
    try {
      const res = await worker.request('/api/contacts');
      expect(res.status).toBe(503);
      expect(res.json.error.message).toMatch(/LIBSQL_URL must be/);
      expect(res.json.error.message).toMatch(/PUBLIC_URL is not set/);
    } finally {
      await worker.dispose();
    }
  });

  it('refuses a LIBSQL_URL the libSQL client rejects, without quoting it (a URL can carry a token)', async () => {
    const worker = await isolatedWorker({ LIBSQL_URL: 'libsql://db-org.turso.io?tls=secret-ish', PUBLIC_URL, UNDO_WINDOW_DAYS: '30' });
    try {
      const res = await worker.request('/api/contacts');
      expect(res.status).toBe(503);
      expect(res.json.error.message).toMatch(/LIBSQL_URL is not a URL the libSQL client accepts \(URL_INVALID\)/);
      expect(JSON.stringify(worker.errors())).not.toContain('secret-ish');
    } finally {
      await worker.dispose();
    }
  });
});
