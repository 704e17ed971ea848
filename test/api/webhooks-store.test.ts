import { eq } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { webhookEvents } from '../../db/schema';
import { createApp } from '../../functions/app';
import { queueMessages } from '../../db/schema/queue';
import { createNodeQueue, sendInBatch } from '../../functions/node/queue';
import { CONSUMER_DEFAULTS } from '../../functions/node/wrangler-config';
import { consumeBatch } from '../../functions/jobs/consumers';
import { coalescingStore } from '../../functions/services/webhooks/store';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// The Node host's store of verified webhooks (services/webhooks/store.ts):
// requests verified together are written in one insert and queued in one
// sendBatch, and each still hears its own answer.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('coalescingStore', () => {
  it('stores requests that arrive together in one insert and one sendBatch; a resend among them is a duplicate of the first', async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const queues = { send: vi.fn(t.deps.queues.send), sendBatch: vi.fn(t.deps.queues.sendBatch) };
    const insert = vi.spyOn(t.db, 'insert');
    // A window wide enough that a loaded test machine still gathers them all.
    const app = createApp({ ...t.deps, queues, storeWebhookEvent: coalescingStore({ db: t.db, queues }, { gatherMs: 200 }) });
    const request = (id: string) => {
      const body = JSON.stringify({ type: 'form.submitted', data: { email: `${id}@example.com` } });
      const at = new Date(t.clock.now);
      const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign(id, at, body) };
      return app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers, body });
    };

    const ids = Array.from({ length: 12 }, (_, i) => `msg_together_${i}`);
    const replies = await Promise.all([...ids, 'msg_together_0'].map(request));
    const answers = (await Promise.all(replies.map((r) => r.json()))) as { id: string; duplicate: boolean }[];
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(12);
    expect(answers[12]).toEqual({ id: answers[0]!.id, duplicate: true });
    expect(insert.mock.calls.filter(([table]) => table === webhookEvents)).toHaveLength(1);
    insert.mockRestore();
    expect(queues.sendBatch).toHaveBeenCalledTimes(1);
    expect(queues.sendBatch.mock.calls[0]![1]).toHaveLength(12);

    const rows = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(rows.map((r) => r.eventKey).sort()).toEqual([...ids].sort());
  });

  it('fails every request of a group whose write fails, and keeps nothing of it', async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const queues = { send: t.deps.queues.send, sendBatch: () => Promise.reject(new Error('queue unavailable')) };
    const broken = { ...t.db, insert: () => ({ values: () => ({ onConflictDoNothing: () => ({ returning: () => Promise.reject(new Error('database unavailable')) }) }) }) };
    const app = createApp({ ...t.deps, queues, storeWebhookEvent: coalescingStore({ db: broken as unknown as typeof t.db, queues }) });
    const body = JSON.stringify({ type: 'form.submitted', data: { email: 'x@example.com' } });
    const replies = await Promise.all(
      ['msg_a', 'msg_b'].map((id) =>
        app.request(`http://localhost/webhooks/${source.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body) },
          body,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([500, 500]);
    expect(await t.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(0);
  });

  it("on the Node host writes a group's events and their messages in one transaction; a resend's message finds nothing and is acked", async () => {
    const m = await aMember(t.app);
    const source = await created<{ id: string; secret: string }>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const batch = vi.spyOn(t.db, 'batch');
    const queues = { send: vi.fn(t.deps.queues.send), sendBatch: vi.fn(t.deps.queues.sendBatch) };
    const store = coalescingStore({ db: t.db, queues, sendInBatch: sendInBatch(t.db, () => t.clock.now) }, { gatherMs: 200 });
    const app = createApp({ ...t.deps, queues, storeWebhookEvent: store });
    const request = (id: string) => {
      const body = JSON.stringify({ type: 'form.submitted', data: { email: `${id}@example.com` } });
      const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body) };
      return app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers, body });
    };
    await request('msg_once_0');
    batch.mockClear();

    const replies = await Promise.all(['msg_once_1', 'msg_once_2', 'msg_once_0'].map(request));
    const answers = (await Promise.all(replies.map((r) => r.json()))) as { id: string; duplicate: boolean }[];
    expect(answers.map((a) => a.duplicate)).toEqual([false, false, true]);
    expect(batch).toHaveBeenCalledTimes(1);
    batch.mockRestore();
    expect(queues.sendBatch).not.toHaveBeenCalled();
    const messages = (await t.db.select().from(queueMessages)).map((row) => JSON.parse(row.body) as { eventId: string });
    expect(messages.map((body) => body.eventId)).toEqual(expect.arrayContaining([answers[0]!.id, answers[1]!.id]));

    const events = createNodeQueue({ db: t.db, now: () => t.clock.now, settings: { events: { ...CONSUMER_DEFAULTS, deadLetterQueue: 'events-dlq' } }, consumers: { events: (b) => consumeBatch({ ...t.deps, undoWindowMs: 0 }, b) } });
    await events.drain();
    expect(await t.db.$count(queueMessages)).toBe(0);
    const rows = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(rows.map((r) => [r.eventKey, r.status]).sort()).toEqual([['msg_once_0', 'applied'], ['msg_once_1', 'applied'], ['msg_once_2', 'applied']]);
  });
});
