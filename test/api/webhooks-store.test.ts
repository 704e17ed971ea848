import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEvents } from '../../db/schema';
import { queueMessages } from '../../db/schema/queue';
import { createApp } from '../../functions/app';
import { consumeBatch } from '../../functions/jobs/consumers';
import { eventGroupWriter } from '../../functions/node/event-group';
import { connectEventWriter, startEventWriter, type EventWriterHost } from '../../functions/node/event-writer';
import type { WriteRequest } from '../../functions/node/event-writer-thread';
import { createNodeQueue } from '../../functions/node/queue';
import { CONSUMER_DEFAULTS } from '../../functions/node/wrangler-config';
import { MAX_WEBHOOK_BODY_BYTES } from '../../functions/services/webhooks/ingest';
import { writerStore, type NewEvent } from '../../functions/services/webhooks/store';
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
    const apps = connections.map((c) => createApp({ ...t.deps, storeWebhookEvent: writerStore({ db: t.db, queues: t.deps.queues }, c.write) }));
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
    await expect(write([eventRow(source.id, m.workspaceId, 'k1', 'whe_first'), { ...eventRow(source.id, m.workspaceId, 'k2', 'whe_second'), body: null as unknown as string }])).rejects.toThrow(/NOT NULL/);
    expect(await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(0);
    expect(await t.db.$count(queueMessages)).toBe(before);
    expect(await write([eventRow(source.id, m.workspaceId, 'k1', 'whe_one'), eventRow(source.id, m.workspaceId, 'k1', 'whe_two')])).toEqual(['whe_one']);
  });

  it('fails the requests a dead writer held with a 503, keeps nothing of them, and is started again', async () => {
    const own = await startEventWriter(`file:${t.dbPath}`, () => {});
    try {
      const m = await aMember(t.app);
      const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
      const connection = connectEventWriter(own.socketPath);
      const app = createApp({ ...t.deps, storeWebhookEvent: writerStore({ db: t.db, queues: t.deps.queues }, connection.write) });
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
      const app = createApp({ ...t.deps, storeWebhookEvent: writerStore({ db: t.db, queues: t.deps.queues }, connection.write) });
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
