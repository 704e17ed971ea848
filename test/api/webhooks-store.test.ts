import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { webhookEvents, webhookSources } from '../../db/schema';
import { queueMessages } from '../../db/schema/queue';
import { createApp } from '../../functions/app';
import { consumeBatch } from '../../functions/jobs/consumers';
import { eventGroupWriter } from '../../functions/node/event-group';
import { connectEventWriter, startEventWriter, type EventWriterHost } from '../../functions/node/event-writer';
import type { WriteRequest } from '../../functions/node/event-writer-thread';
import { createNodeQueue } from '../../functions/node/queue';
import { CONSUMER_DEFAULTS } from '../../functions/node/wrangler-config';
import { MAX_WEBHOOK_BODY_BYTES, readSource } from '../../functions/services/webhooks/ingest';
import { rememberedSources, type SourceLookup } from '../../functions/services/webhooks/source-cache';
import { writerStore, type NewEvent, type StoreEvent, type VersionedEvent, type WebhookIntake } from '../../functions/services/webhooks/store';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// The Node host's store of verified webhooks: one writer thread for the
// whole host (functions/node/event-writer.ts) commits each group of
// requests with their `events` messages, reached over a Unix socket; and
// the body read straight from Node's request stream, with its limit.

let t: TestApp;
let writer: EventWriterHost;
beforeAll(async () => {
  t = await testApp();
  writer = await startEventWriter(`file:${t.dbPath}`);
});
afterAll(async () => {
  await writer.stop();
  t.close();
});

// A request for the writer, verified against the source as it is now.
async function versioned(row: NewEvent): Promise<VersionedEvent> {
  const [source] = await t.db.select({ version: webhookSources.updatedAt }).from(webhookSources).where(eq(webhookSources.id, row.sourceId));
  return { ...row, sourceVersion: source!.version };
}

const eventRow = (sourceId: string, workspaceId: string, key: string, id = `whe_${key}`): NewEvent => ({
  id,
  workspaceId,
  sourceId,
  kind: 'standard',
  eventKey: key,
  receivedAt: t.clock.now,
  headers: { 'content-type': 'application/json' },
  contentType: 'application/json',
  body: '{"type":"form.submitted","data":{"email":"a@example.com"}}',
  verifiedWith: 0,
  type: 'form',
  status: 'pending',
  attempts: 0,
  result: null,
  error: null,
  appliedAt: null,
});

function signedRequest(app: { request: (url: string, init: RequestInit) => Response | Promise<Response> }, source: { id: string; secret: string }, id: string) {
  const body = JSON.stringify({ type: 'form.submitted', data: { email: `${id}@example.com` } });
  const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body) };
  return app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers, body });
}

describe('the event writer', () => {
  it("stores each request once with its message, from several processes' connections at once; a resend is a duplicate of the first", async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const connections = [connectEventWriter(writer.socketPath), connectEventWriter(writer.socketPath)];
    const apps = connections.map((c) => createApp({ ...t.deps, webhookIntake: { store: writerStore({ db: t.db, queues: t.deps.queues }, c.write) } }));
    const ids = Array.from({ length: 30 }, (_, i) => `msg_writer_${i}`);
    const replies = await Promise.all([...ids, 'msg_writer_0', 'msg_writer_7'].map((id, i) => signedRequest(apps[i % 2]!, source, id)));
    const answers = (await Promise.all(replies.map((r) => r.json()))) as { id: string; duplicate: boolean }[];
    connections.forEach((c) => c.close());
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(answers.slice(0, 30).every((a) => !a.duplicate)).toBe(true);
    expect(answers.slice(30)).toEqual([
      { id: answers[0]!.id, duplicate: true },
      { id: answers[7]!.id, duplicate: true },
    ]);
    const rows = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(rows.map((r) => r.eventKey).sort()).toEqual([...ids].sort());
    expect(rows[0]!.headers).toMatchObject({ 'content-type': 'application/json' });
    const messages = (await t.db.select().from(queueMessages).where(eq(queueMessages.queue, 'events'))).map((r) => (JSON.parse(r.body) as { eventId: string }).eventId);
    expect(messages).toEqual(expect.arrayContaining(answers.slice(0, 30).map((a) => a.id)));

    // Each stored once, applied once: the resends' messages find nothing.
    // (The writer dates its messages by the real clock.)
    const events = createNodeQueue({ db: t.db, now: Date.now, settings: { events: { ...CONSUMER_DEFAULTS, deadLetterQueue: 'events-dlq' } }, consumers: { events: (b) => consumeBatch({ ...t.deps, undoWindowMs: 0 }, b) } });
    await events.drain();
    expect(await t.db.$count(queueMessages)).toBe(0);
    const applied = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(applied.every((r) => r.status === 'applied')).toBe(true);
  });

  it('writes a group and its messages in one transaction: a failure keeps neither', async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const write = eventGroupWriter(t.client, t.db, () => t.clock.now);
    const before = await t.db.$count(queueMessages);
    // The second row has no body: the group's insert fails.
    await expect(write([await versioned(eventRow(source.id, m.workspaceId, 'k1', 'whe_first')), await versioned({ ...eventRow(source.id, m.workspaceId, 'k2', 'whe_second'), body: null as unknown as string })])).rejects.toThrow(/NOT NULL/);
    expect(await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(0);
    expect(await t.db.$count(queueMessages)).toBe(before);
    expect(await write([await versioned(eventRow(source.id, m.workspaceId, 'k1', 'whe_one')), await versioned(eventRow(source.id, m.workspaceId, 'k1', 'whe_two'))])).toEqual(['whe_one']);
  });

  it('fails the requests a dead writer held with a 503, keeps nothing of them, and is started again', async () => {
    const own = await startEventWriter(`file:${t.dbPath}`, () => {});
    try {
      const m = await aMember(t.app);
      const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
      const connection = connectEventWriter(own.socketPath);
      const app = createApp({ ...t.deps, webhookIntake: { store: writerStore({ db: t.db, queues: t.deps.queues }, connection.write) } });
      expect((await signedRequest(app, source, 'msg_before')).status).toBe(200);
      await own.terminateThread();
      const whileDown = await signedRequest(app, source, 'msg_while_down');
      expect(whileDown.status).toBe(503);
      expect(whileDown.headers.get('retry-after')).toBe('1');
      await expect.poll(async () => (await signedRequest(app, source, 'msg_after')).status, { timeout: 15_000, interval: 200 }).toBe(200);
      connection.close();
      const keys = (await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id))).map((r) => r.eventKey).sort();
      expect(keys.filter((k) => k !== 'msg_while_down')).toEqual(['msg_after', 'msg_before']);
    } finally {
      await own.stop();
    }
  });

  it('fails a request the writer holds past its deadline with a 503 at the deadline, and drops the late answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relate-stuck-writer-'));
    const socketPath = join(dir, 'writer.sock');
    let received = 0;
    // A writer that answers its first request late and the rest at once.
    const fake = createServer((socket) => {
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const request = JSON.parse(buffered.slice(0, end)) as WriteRequest;
          buffered = buffered.slice(end + 1);
          const reply = () => socket.write(`${JSON.stringify({ seq: request.seq, inserted: request.rows.map((row) => row.id) })}\n`);
          if (++received === 1) setTimeout(reply, 500);
          else reply();
        }
      });
    });
    await new Promise<void>((resolve) => fake.listen(socketPath, resolve));
    const connection = connectEventWriter(socketPath, { timeoutMs: 150 });
    try {
      const m = await aMember(t.app);
      const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
      const app = createApp({ ...t.deps, webhookIntake: { store: writerStore({ db: t.db, queues: t.deps.queues }, connection.write) } });
      const started = Date.now();
      const held = await signedRequest(app, source, 'msg_held');
      expect(held.status).toBe(503);
      expect(held.headers.get('retry-after')).toBe('1');
      expect(Date.now() - started).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await signedRequest(app, source, 'msg_next')).status).toBe(200);
      expect(received).toBe(2);
    } finally {
      connection.close();
      fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('remembered sources (the Node host)', () => {
  // As functions/node.ts wires it: sources remembered by the serving
  // process, the writer checking each request's against the database.
  async function nodeHostApp() {
    const connection = connectEventWriter(writer.socketPath);
    const app = createApp({ ...t.deps, webhookIntake: { store: writerStore({ db: t.db, queues: t.deps.queues }, connection.write), sources: rememberedSources(readSource(t.db)) } });
    return { app, close: () => connection.close() };
  }
  const keysOf = async (sourceId: string) => (await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, sourceId))).map((r) => [r.eventKey, r.verifiedWith]).sort();

  it('refuses everything once a remembered source is off or removed, keeping nothing', async () => {
    const host = await nodeHostApp();
    try {
      const m = await aMember(t.app);
      const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
      expect((await signedRequest(host.app, source, 'msg_on')).status).toBe(200);
      await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: false }));
      expect((await signedRequest(host.app, source, 'msg_off')).status).toBe(401);
      await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: true }));
      expect((await signedRequest(host.app, source, 'msg_on_again')).status).toBe(200);
      expect((await m.caller.delete(`/api/webhook-sources/${source.id}`)).status).toBe(204);
      expect((await signedRequest(host.app, source, 'msg_removed')).status).toBe(401);
      expect(await keysOf(source.id)).toEqual([['msg_on', 0], ['msg_on_again', 0]]);
    } finally {
      host.close();
    }
  });

  it('takes a rotated secret at once, and the previous one only during its grace, from processes that remembered the source before the rotation', async () => {
    const [first, second] = [await nodeHostApp(), await nodeHostApp()];
    try {
      const m = await aMember(t.app);
      const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
      expect((await signedRequest(first.app, source, 'msg_before_1')).status).toBe(200);
      expect((await signedRequest(second.app, source, 'msg_before_2')).status).toBe(200);
      const rotated = await created<{ secret: string }>(m.caller.post(`/api/webhook-sources/${source.id}/rotate-secret`, { graceHours: 1 }));
      // The first verifies the old secret as current; the writer finds the
      // source moved on, and it is verified again as the previous secret.
      expect((await signedRequest(first.app, source, 'msg_old')).status).toBe(200);
      // The second's remembered source refuses the new secret; read again, it verifies.
      expect((await signedRequest(second.app, { id: source.id, secret: rotated.secret }, 'msg_new')).status).toBe(200);
      t.clock.now += 3_600_001;
      expect((await signedRequest(first.app, source, 'msg_late')).status).toBe(401);
      // verifiedWith: 0 the current secret, 1 the previous.
      expect(await keysOf(source.id)).toEqual([['msg_before_1', 0], ['msg_before_2', 0], ['msg_new', 0], ['msg_old', 1]]);
    } finally {
      first.close();
      second.close();
    }
  });

  it("stores no request verified against a source's earlier version, nor queues it", async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const write = eventGroupWriter(t.client, t.db, () => t.clock.now);
    const current = await versioned(eventRow(source.id, m.workspaceId, 'k_current', 'whe_current'));
    const earlier = { ...eventRow(source.id, m.workspaceId, 'k_earlier', 'whe_earlier'), sourceVersion: current.sourceVersion - 1 };
    const messagesBefore = await t.db.$count(queueMessages);
    expect(await write([earlier, current])).toEqual(['whe_current']);
    expect(await t.db.$count(queueMessages)).toBe(messagesBefore + 1);
    await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: false }));
    expect(await write([await versioned(eventRow(source.id, m.workspaceId, 'k_off', 'whe_off'))])).toEqual([]);
    expect((await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id))).map((r) => r.id)).toEqual(['whe_current']);
  });

  it('answers 503 with Retry-After when the source changes again while a request is stored, and keeps nothing', async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const stores: number[] = [];
    const alwaysMoved: StoreEvent = async (_row, version) => (stores.push(version), { outcome: 'stale' });
    const app = createApp({ ...t.deps, webhookIntake: { store: alwaysMoved, sources: rememberedSources(readSource(t.db)) } });
    const reply = await signedRequest(app, source, 'msg_moving');
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('1');
    expect(stores).toHaveLength(2);
    expect(await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(0);
  });

  it('takes remembered sources only with a store that checks their version', () => {
    // A type assertion, checked by npm run typecheck: remembered sources
    // without the writer's version check would let a disabled source in.
    expectTypeOf<{ sources: SourceLookup }>().not.toMatchTypeOf<WebhookIntake>();
    expectTypeOf<{ store: StoreEvent; sources: SourceLookup }>().toMatchTypeOf<WebhookIntake>();
  });

  it('moves a source\'s version forward with every change, two in one millisecond included', async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const version = async () => (await versioned(eventRow(source.id, m.workspaceId, 'k'))).sourceVersion;
    const versions = [await version()];
    await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { name: 'Forms, renamed' }));
    versions.push(await version());
    await created(m.caller.post(`/api/webhook-sources/${source.id}/rotate-secret`, { graceHours: 0 }));
    versions.push(await version());
    await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: false }));
    versions.push(await version());
    // The test clock stood still throughout.
    expect(versions).toEqual([t.clock.now, t.clock.now + 1, t.clock.now + 2, t.clock.now + 3]);
  });
});

describe("the body, read from Node's request stream", () => {
  let server: ServerType;
  let port: number;
  let source: { id: string; secret: string };
  beforeAll(async () => {
    const m = await aMember(t.app);
    source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms over HTTP', kind: 'standard' }));
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: createApp(t.deps).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // A POST over a real socket, its body sent in `chunks` (chunked transfer
  // when no Content-Length is given).
  function post(chunks: string[], headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      // A connection each: a body that lied about its length leaves its
      // connection unusable.
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/webhooks/${source.id}`, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
  }
  const signedHeaders = (id: string, body: string) => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(t.clock.now / 1000)),
    'webhook-signature': new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body),
  });

  it('takes a signed body sent whole or in pieces', async () => {
    const body = JSON.stringify({ type: 'form.submitted', data: { email: 'stream@example.com', message: 'é'.repeat(3000) } });
    expect((await post([body], { ...signedHeaders('msg_whole', body), 'content-length': String(Buffer.byteLength(body)) })).status).toBe(200);
    const pieces = [body.slice(0, 10), body.slice(10, 2000), body.slice(2000)];
    expect((await post(pieces, signedHeaders('msg_pieces', body))).status).toBe(200);
    const rows = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(rows.map((r) => [r.eventKey, r.body])).toEqual(expect.arrayContaining([['msg_whole', body], ['msg_pieces', body]]));
  });

  it('refuses a body over the limit with 413, by its Content-Length or as its bytes pass the limit, and keeps nothing', async () => {
    const before = await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id));
    const declared = await post(['{}'], { ...signedHeaders('msg_declared', '{}'), 'content-length': String(MAX_WEBHOOK_BODY_BYTES + 1) });
    expect(declared.status).toBe(413);
    const big = 'x'.repeat(64 * 1024);
    const streamed = await post(Array.from({ length: 6 }, () => big), signedHeaders('msg_streamed', big));
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(before);
  });
});
