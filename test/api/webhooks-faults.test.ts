import type { Client } from '@libsql/client';
import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';
import { contactEmails, contactTouches, emailDeliverability, emailEvents, webhookEvents } from '../../db/schema';
import { queueMessages } from '../../db/schema/queue';
import { applyEmailEvent, NOTHING_KNOWN, type Deliverability } from '../../functions/domain/deliverability';
import type { EmailEvent } from '../../functions/domain/webhooks/email-events';
import { consumers } from '../../functions/jobs/consumers';
import { EVERY_FIVE_MINUTES, runCron } from '../../functions/jobs/cron';
import { runEvents } from '../../functions/jobs/events';
import type { QueueBatch } from '../../functions/jobs/queues';
import { SWEEP_AFTER_MS, SWEEP_LIMIT } from '../../functions/jobs/sweep';
import { createNodeQueue } from '../../functions/node/queue';
import { CONSUMER_DEFAULTS } from '../../functions/node/wrangler-config';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// The `events` consumer when things break under it: the database failing
// for some statements of a 20-message batch (before or after they take
// effect), or the process dying with part of a batch applied. The Node
// host's own queue redelivers; afterwards each event is applied exactly
// once. And an event whose message was lost is found by the */5 sweep.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;
type Source = { id: string; secret: string };

let n = 0;
async function send(source: Source, payload: unknown) {
  const body = JSON.stringify(payload);
  const id = `msg_fault_${++n}`;
  const signature = new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body);
  const res = await t.app.request(`http://localhost/webhooks/${source.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': signature },
    body,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

const takeEventMessages = () => {
  const bodies = t.sent.filter((s) => s.queue === 'events').map((s) => s.body);
  t.sent.length = 0;
  return bodies;
};

// A client whose statements numbered in `faults` fail: before they run
// (nothing written) or after (written, but the caller hears an error, as
// when a connection drops before the answer).
function faultyClient(client: Client, faults: Set<number>, after: boolean): Client {
  let count = 0;
  const inject = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const failing = faults.has(++count);
      if (failing && !after) throw new Error('database unavailable (injected)');
      const result = await call(...args);
      if (failing) throw new Error('connection lost after the write (injected)');
      return result;
    };
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'execute' || prop === 'batch') return inject((value as (...a: unknown[]) => Promise<unknown>).bind(target));
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const TYPES = { delivered: 'email.delivered', bounced: 'email.bounced', complained: 'email.complained', opened: 'email.opened', clicked: 'email.clicked', unsubscribed: 'email.unsubscribed' } as const;
type Fill = { kind: 'form'; who: number };
type Mail = { kind: 'email'; type: keyof typeof TYPES; soft: boolean; to: number; at: number };
const aFill = fc.record({ kind: fc.constant('form' as const), who: fc.integer({ min: 0, max: 3 }) });
const aMail = fc.record({ kind: fc.constant('email' as const), type: fc.constantFrom(...(Object.keys(TYPES) as (keyof typeof TYPES)[])), soft: fc.boolean(), to: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 0, max: 30 }) });
const AT = Date.UTC(2026, 10, 1);

async function deliverabilityOf(m: Member, address: string): Promise<Deliverability> {
  const [row] = await t.db.select().from(emailDeliverability).where(and(eq(emailDeliverability.workspaceId, m.workspaceId), eq(emailDeliverability.address, address)));
  if (!row) return NOTHING_KNOWN;
  return { suppression: row.suppression, suppressedAt: row.suppressedAt, latest: row.latestStatus === null ? null : { at: row.latestAt!, status: row.latestStatus }, lastOpenedAt: row.lastOpenedAt, lastClickedAt: row.lastClickedAt };
}

describe('the events consumer under faults (property)', () => {
  it('applies each event of a 20-message batch exactly once after the retries, wherever the faults land', async () => {
    const client = (t.db as unknown as { $client: Client }).$client;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(aFill, aMail), { minLength: 20, maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 80 }), { maxLength: 6 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 19 }), { nil: null }),
        async (events: (Fill | Mail)[], faults, after, diesAfter) => {
          const m = await aMember(t.app);
          const source = await created<Source>(m.caller.post('/api/webhook-sources', { name: 'Tools', kind: 'standard' }));
          const person = (who: number) => `person${who}.${m.workspaceId.slice(-8).toLowerCase()}@example.com`;
          const address = (to: number) => `reader${to}.${m.workspaceId.slice(-8).toLowerCase()}@example.com`;
          const ids: string[] = [];
          for (const e of events) {
            ids.push(
              await send(
                source,
                e.kind === 'form'
                  ? { type: 'form.submitted', data: { email: person(e.who), name: 'Someone Else' } }
                  : { type: TYPES[e.type], created_at: new Date(AT + e.at * 60_000).toISOString(), data: { to: [address(e.to)], ...(e.type === 'bounced' ? { bounce: { type: e.soft ? 'Transient' : 'Permanent' } } : {}) } },
              ),
            );
          }
          const jobDeps = { db: createDb(faultyClient(client, new Set(faults), after)), now: () => t.clock.now, queues: t.deps.queues, undoWindowMs: 1 };
          const events_ = consumers(jobDeps).events!;
          let died = diesAfter === null;
          // The process dies with `diesAfter` events applied: nothing of the
          // batch was acked, so all of it comes back.
          const consumer = async (batch: QueueBatch) => {
            if (died) return events_(batch);
            died = true;
            for (const message of batch.messages.slice(0, diesAfter! + 1)) await runEvents({ db: t.db, now: () => t.clock.now }, message.body);
            throw new Error('process died (injected)');
          };
          const queue = createNodeQueue({
            db: t.db,
            now: () => t.clock.now,
            settings: { events: { ...CONSUMER_DEFAULTS, maxBatchSize: 20, maxRetries: 10, deadLetterQueue: 'events-dlq' } },
            consumers: { events: consumer },
            log: () => {},
          });
          await queue.queues.sendBatch('events', takeEventMessages());
          for (let round = 0; round < 15 && (await t.db.$count(queueMessages, eq(queueMessages.queue, 'events'))) > 0; round++) {
            await queue.drain();
            t.clock.now += 3_600_000;
          }
          expect(await t.db.$count(queueMessages, inArray(queueMessages.queue, ['events', 'events-dlq']))).toBe(0);

          const stored = await t.db.select().from(webhookEvents).where(inArray(webhookEvents.id, ids));
          expect(stored.filter((e) => e.status !== 'applied')).toEqual([]);
          const fills = events.flatMap((e, i) => (e.kind === 'form' ? [{ ...e, id: ids[i]! }] : []));
          for (const who of new Set(fills.map((f) => f.who))) {
            expect(await t.db.$count(contactEmails, and(eq(contactEmails.workspaceId, m.workspaceId), eq(contactEmails.address, person(who))))).toBe(1);
          }
          const touches = await t.db.select({ id: contactTouches.id }).from(contactTouches).where(eq(contactTouches.workspaceId, m.workspaceId));
          expect(touches.map((x) => x.id).sort()).toEqual(fills.map((f) => f.id).sort());
          const mails = events.filter((e): e is Mail => e.kind === 'email');
          expect(await t.db.$count(emailEvents, eq(emailEvents.workspaceId, m.workspaceId))).toBe(mails.length);
          for (const to of new Set(mails.map((e) => e.to))) {
            const expected = mails
              .filter((e) => e.to === to)
              .map((e): Pick<EmailEvent, 'type' | 'bounce' | 'at'> => ({ type: e.type, bounce: e.type === 'bounced' ? (e.soft ? 'soft' : 'hard') : null, at: AT + e.at * 60_000 }))
              .reduce(applyEmailEvent, NOTHING_KNOWN);
            expect(await deliverabilityOf(m, address(to))).toEqual(expected);
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 180_000);
});

describe('the */5 sweep of events whose message was lost', () => {
  it('queues again what was stored and never tried, once it is a few minutes old, and only that', async () => {
    const m = await aMember(t.app);
    const source = await created<Source>(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const lost = await send(source, { type: 'form.submitted', data: { email: 'lost@example.com', name: 'Lost Message' } });
    takeEventMessages();
    const cron = { db: t.db, queues: t.deps.queues, now: () => t.clock.now };
    // The sweep reads every workspace; this one's messages are the test's.
    const ours = () => takeEventMessages().filter((body) => (body as { workspaceId: string }).workspaceId === m.workspaceId);

    // Too young: its message may still be on its way.
    await runCron(cron, EVERY_FIVE_MINUTES);
    expect(ours()).toEqual([]);

    t.clock.now += SWEEP_AFTER_MS + 1;
    const tried = await send(source, { type: 'form.submitted', data: { email: 'tried@example.com', name: 'Tried Once' } });
    const young = ours();
    t.clock.now += SWEEP_AFTER_MS + 1;
    // Tried (and failed) is the queue's retries' business, and applied is done.
    await t.db.update(webhookEvents).set({ attempts: 1 }).where(eq(webhookEvents.id, tried));
    const result = await runCron(cron, EVERY_FIVE_MINUTES);
    const swept = ours();
    expect(swept).toEqual([{ type: 'webhook-event', workspaceId: m.workspaceId, eventId: lost }]);
    expect(result).toMatchObject({ webhookEvents: { requeued: expect.any(Number) } });
    expect(young).toHaveLength(1);

    for (const body of swept) await runEvents({ db: t.db, now: () => t.clock.now }, body);
    expect((await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, lost)))[0]).toMatchObject({ status: 'applied', attempts: 1 });
    await runCron(cron, EVERY_FIVE_MINUTES);
    expect(ours()).toEqual([]);
  });

  it(`takes at most ${SWEEP_LIMIT} a run, in batches Cloudflare accepts`, async () => {
    const m = await aMember(t.app);
    const rows = Array.from({ length: SWEEP_LIMIT + 20 }, (_, i) => ({
      id: `whe_SWEEP${String(i).padStart(21, '0')}`,
      workspaceId: m.workspaceId,
      sourceId: 'whs_gone',
      kind: 'standard' as const,
      eventKey: `k${i}`,
      receivedAt: t.clock.now - SWEEP_AFTER_MS - 1_000_000 + i,
      headers: {},
      contentType: 'application/json',
      body: '{}',
      verifiedWith: 0,
      type: 'form',
      status: 'pending' as const,
      attempts: 0,
    }));
    for (let i = 0; i < rows.length; i += 100) await t.db.insert(webhookEvents).values(rows.slice(i, i + 100));
    const batches: number[] = [];
    const queues = { send: async () => {}, sendBatch: async (_q: string, bodies: unknown[]) => void batches.push(bodies.length) };
    expect(await runCron({ db: t.db, queues, now: () => t.clock.now }, EVERY_FIVE_MINUTES)).toMatchObject({ webhookEvents: { requeued: SWEEP_LIMIT } });
    expect(batches.every((size) => size <= 100)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(SWEEP_LIMIT);
    await t.db.delete(webhookEvents).where(eq(webhookEvents.sourceId, 'whs_gone'));
  });
});
