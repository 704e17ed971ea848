import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog } from '../../db/schema';
import { aContact, aMember, Caller, type TestApp } from '../fixtures/app';
import { testAppWithLatency } from '../fixtures/latency';

let t: TestApp;
beforeAll(async () => {
  t = await testAppWithLatency();
});
afterAll(() => t.close());

describe('API keys', () => {
  it('shows the key once, stores only its hash, and lists its prefix', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/api-keys', { name: 'Zapier', scope: 'write' });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^rk_/);
    expect(created.json.key.startsWith(created.json.prefix)).toBe(true);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, created.json.id));
    expect(JSON.stringify(row)).not.toContain(created.json.key);
    const list = await caller.get('/api/api-keys');
    expect(list.json.data).toEqual([expect.objectContaining({ id: created.json.id, prefix: created.json.prefix })]);
    expect(JSON.stringify(list.json)).not.toContain(created.json.key);
  });

  it('a write key creates contacts in its workspace; a read key only reads', async () => {
    const { caller, workspaceId } = await aMember(t.app);
    const write = new Caller(t.app, (await caller.post('/api/api-keys', { name: 'w', scope: 'write' })).json.key);
    const read = new Caller(t.app, (await caller.post('/api/api-keys', { name: 'r', scope: 'read' })).json.key);
    const created = await write.post('/api/contacts', aContact({ firstName: 'Keyed' }));
    expect(created.status).toBe(201);
    expect((await read.get(`/api/contacts/${created.json.id}`)).json.firstName).toBe('Keyed');
    expect((await read.post('/api/contacts', aContact())).status).toBe(403);
    expect((await write.get('/api/members')).status).toBe(403);
    expect((await write.post('/api/api-keys', { name: 'escalate', scope: 'write' })).status).toBe(403);
    expect(workspaceId).toMatch(/^ws_/);
  });

  it('a revoked key stops working and records when it was last used', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/api-keys', { name: 'temp', scope: 'read' });
    const tool = new Caller(t.app, created.json.key);
    expect((await tool.get('/api/contacts')).status).toBe(200);
    expect((await caller.get('/api/api-keys')).json.data[0].lastUsedAt).toBe(new Date(t.clock.now).toISOString());
    expect((await caller.delete(`/api/api-keys/${created.json.id}`)).status).toBe(204);
    const res = await tool.get('/api/contacts');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('invalid_api_key');
  });
});

describe('DELETE /api/api-keys/:id', () => {
  it('revokes once when two requests revoke at once: one 204, one 404, one audit row', async () => {
    const { caller } = await aMember(t.app);
    const created = await caller.post('/api/api-keys', { name: 'twice', scope: 'read' });
    const answers = await Promise.all([1, 2].map(() => caller.delete(`/api/api-keys/${created.json.id}`)));
    expect(answers.map((r) => r.status).sort()).toEqual([204, 404]);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, created.json.id), eq(auditLog.action, 'revoke')));
    expect(audits).toHaveLength(1);
  });
});
