import { spawn } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDb, type Db } from '../../db/client';
import { createNativeClient } from '../../db/native-client';
import { queueMessages } from '../../db/schema/queue';
import type { QueueBatch } from '../../functions/jobs/queues';
import { createNodeQueue } from '../../functions/node/queue';
import { createTraffic } from '../../functions/node/traffic';
import { CONSUMER_DEFAULTS, type ConsumerSettings } from '../../functions/node/wrangler-config';
import { freshDb } from '../fixtures/db';

type Consumer = (batch: QueueBatch) => Promise<void>;

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
let db: Db;
let dbPath: string;
let closeDb: () => void;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  const fresh = await freshDb();
  db = fresh.db;
  dbPath = fresh.path;
  closeDb = fresh.close;
  clock = T0;
});
afterEach(() => closeDb());

function eventsQueue(consumer: Consumer, settings: Partial<ConsumerSettings> = {}, log = vi.fn()) {
  return createNodeQueue({
    db,
    now,
    settings: { events: { ...CONSUMER_DEFAULTS, deadLetterQueue: 'events-dlq', ...settings } },
    consumers: { events: consumer },
    log,
  });
}

function recording(handle: (batch: QueueBatch) => void = () => {}) {
  const batches: unknown[][] = [];
  const consumer: Consumer = async (batch) => {
    batches.push(batch.messages.map((m) => m.body));
    handle(batch);
  };
  return { consumer, batches, bodies: () => batches.flat() };
}

const allRows = () => db.select().from(queueMessages).orderBy(queueMessages.createdAt, queueMessages.id);

describe('node queue: delivery', () => {
  it('delivers a sent body once and deletes it when acked', async () => {
    const events = recording((batch) => batch.messages.forEach((m) => m.ack()));
    const queue = eventsQueue(events.consumer);
    await queue.queues.send('events', { type: 'bounce', contactId: 'con_1' });

    expect(await queue.drain()).toBe(1);
    expect(await queue.drain()).toBe(0);
    expect(events.bodies()).toEqual([{ type: 'bounce', contactId: 'con_1' }]);
    expect(await allRows()).toEqual([]);
  });

  it('acks implicitly when the consumer returns without acking', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer);
    await queue.queues.sendBatch('events', [{ n: 1 }, { n: 2 }]);

    await queue.drain();
    expect(events.batches).toEqual([[{ n: 1 }, { n: 2 }]]);
    expect(await allRows()).toEqual([]);
  });

  it('hands the consumer Cloudflare-shaped messages: id, timestamp, attempts', async () => {
    const seen: QueueBatch[] = [];
    const queue = eventsQueue(async (batch) => void seen.push(batch));
    await queue.queues.send('events', { n: 1 });
    await queue.drain();

    const message = seen[0]?.messages[0];
    expect(seen[0]?.queue).toBe('events');
    expect(message?.id).toMatch(/^msg_/);
    expect(message?.timestamp.getTime()).toBe(T0);
    expect(message?.attempts).toBe(1);
  });

  it('delays delivery by delaySeconds given on send', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer);
    await queue.queues.send('events', { n: 1 }, { delaySeconds: 120 });

    clock = T0 + 119_000;
    expect(await queue.drain()).toBe(0);
    clock = T0 + 120_000;
    expect(await queue.drain()).toBe(1);
  });

  it('never hands a consumer more than max_batch_size messages', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer, { maxBatchSize: 3 });
    await queue.queues.sendBatch('events', [1, 2, 3, 4, 5, 6, 7]);

    expect(await queue.drain()).toBe(7);
    expect(events.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(events.bodies().sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('node queue: retries', () => {
  it('does not redeliver a message retried with a delay before the delay is over', async () => {
    const events = recording((batch) => batch.messages.forEach((m) => m.retry({ delaySeconds: 60 })));
    const queue = eventsQueue(events.consumer);
    await queue.queues.send('events', { n: 1 });

    expect(await queue.drain()).toBe(1);
    clock = T0 + 59_000;
    expect(await queue.drain()).toBe(0);
    clock = T0 + 60_000;
    expect(await queue.drain()).toBe(1);
    expect((await allRows())[0]).toMatchObject({ attempts: 2, lastError: 'retry requested by the consumer' });
  });

  it('retries every message not acked before the consumer threw, after retry_delay', async () => {
    const queue = eventsQueue(
      async (batch) => {
        batch.messages[0]?.ack();
        throw new Error('provider timed out');
      },
      { retryDelaySeconds: 30 },
    );
    await queue.queues.sendBatch('events', ['a', 'b', 'c']);

    expect(await queue.drain()).toBe(3);
    const rows = await allRows();
    expect(rows.map((r) => JSON.parse(r.body)).sort()).toEqual(['b', 'c']);
    for (const row of rows) {
      expect(row).toMatchObject({ queue: 'events', attempts: 1, availableAt: T0 + 30_000, leaseUntil: null, lastError: 'provider timed out' });
    }
  });

  it('lets the first call on a message win over later message and batch calls', async () => {
    const queue = eventsQueue(async (batch) => {
      const [first, second] = batch.messages;
      first?.retry({ delaySeconds: 10 });
      first?.ack();
      second?.ack();
      second?.retry();
      batch.retryAll({ delaySeconds: 20 });
      batch.ackAll();
    });
    await queue.queues.sendBatch('events', ['first', 'second', 'third']);
    await queue.drain();

    const rows = await allRows();
    expect(rows.map((r) => [JSON.parse(r.body), r.availableAt])).toEqual([
      ['first', T0 + 10_000],
      ['third', T0 + 20_000],
    ]);
  });

  it('moves a message to the dead-letter queue with its body intact after max_retries', async () => {
    const consumer = vi.fn(async () => {
      throw new Error('always fails');
    });
    const log = vi.fn();
    const queue = eventsQueue(consumer, { maxRetries: 2, retryDelaySeconds: 0 }, log);
    const body = { type: 'form', fields: { email: 'ann@example.com', note: 'ünïcode ✓' } };
    await queue.queues.send('events', body);

    expect(await queue.drain()).toBe(3);
    expect(consumer).toHaveBeenCalledTimes(3);
    const [row] = await allRows();
    expect(row).toMatchObject({ queue: 'events-dlq', attempts: 0, leaseUntil: null });
    expect(row?.lastError).toMatch(/always fails \(after 3 attempts\)/);
    expect(JSON.parse(row?.body ?? '')).toEqual(body);
    expect(log).toHaveBeenCalledWith('queue message moved to the dead-letter queue', expect.objectContaining({ id: row?.id }));
  });

  it('deletes and logs a message past max_retries when no dead-letter queue is configured', async () => {
    const log = vi.fn();
    const queue = eventsQueue(async (batch) => batch.retryAll(), { maxRetries: 0, deadLetterQueue: undefined }, log);
    await queue.queues.send('events', { n: 1 });

    expect(await queue.drain()).toBe(1);
    expect(await allRows()).toEqual([]);
    expect(log).toHaveBeenCalledWith('queue message dropped: no dead-letter queue', expect.objectContaining({ body: '{"n":1}' }));
  });
});

describe('node queue: durability and concurrency', () => {
  it('never delivers a message twice to drains running at once, across connections', async () => {
    const otherClient = createNativeClient({ url: `file:${dbPath}` });
    try {
      const delivered: string[] = [];
      const consumer: Consumer = async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        delivered.push(...batch.messages.map((m) => m.id));
      };
      const settings = { events: { ...CONSUMER_DEFAULTS, maxBatchSize: 5 } };
      const here = createNodeQueue({ db, now, settings, consumers: { events: consumer } });
      const elsewhere = createNodeQueue({ db: createDb(otherClient), now, settings, consumers: { events: consumer } });
      await here.queues.sendBatch('events', Array.from({ length: 60 }, (_, n) => n));

      const counts = await Promise.all([here.drain(), here.drain(), elsewhere.drain(), elsewhere.drain()]);
      expect(counts.reduce((a, b) => a + b)).toBe(60);
      expect(new Set(delivered).size).toBe(60);
      expect(delivered).toHaveLength(60);
      expect(await allRows()).toEqual([]);
    } finally {
      otherClient.close();
    }
  });

  it('never delivers a message twice to processes draining at once', async () => {
    const queue = eventsQueue(async () => {});
    await queue.queues.sendBatch('events', Array.from({ length: 90 }, (_, n) => n));
    const sent = (await allRows()).map((row) => row.id);

    const drainers = [1, 2, 3].map(() => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/queue-drain-process.ts', dbPath], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines: string[] = [];
      let buffered = '';
      const ready = new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const complete = buffered.split('\n');
          buffered = complete.pop()!;
          lines.push(...complete);
          if (lines.includes('ready')) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { child, lines, ready, exited };
    });
    await Promise.all(drainers.map((d) => d.ready));
    for (const d of drainers) d.child.stdin.end('go\n');
    expect(await Promise.all(drainers.map((d) => d.exited))).toEqual([0, 0, 0]);

    const handed = drainers.map((d) => JSON.parse(d.lines.at(-1)!) as string[]);
    expect(handed.flat().sort()).toEqual([...sent].sort());
    expect(await allRows()).toEqual([]);
  }, 60_000);

  it('dead-letters a row whose body is not JSON and still delivers the others', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer);
    await db
      .insert(queueMessages)
      .values({ id: 'msg_broken', queue: 'events', body: '{"type": "bou', attempts: 0, availableAt: T0 - 1, createdAt: T0 - 1 });
    await queue.queues.send('events', { n: 1 });

    expect(await queue.drain()).toBe(1);
    expect(events.bodies()).toEqual([{ n: 1 }]);
    const rows = await allRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'msg_broken', queue: 'events-dlq', body: '{"type": "bou', lastError: 'body is not valid JSON' });
  });

  it('redelivers a batch whose lease ran out, as after a crash, and only then', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer);
    await queue.queues.send('events', { n: 1 });
    const crashedLease = T0 + 15 * 60_000;
    await db.update(queueMessages).set({ attempts: 1, leaseUntil: crashedLease }).where(eq(queueMessages.queue, 'events'));

    clock = crashedLease - 1;
    expect(await queue.drain()).toBe(0);
    clock = crashedLease;
    expect(await queue.drain()).toBe(1);
    expect(await allRows()).toEqual([]);
  });

  it('dead-letters a message whose lease ran out on every attempt instead of delivering it again', async () => {
    const events = recording();
    const queue = eventsQueue(events.consumer, { maxRetries: 3 });
    await queue.queues.send('events', { n: 1 });
    await db.update(queueMessages).set({ attempts: 4, leaseUntil: T0 - 1 });

    expect(await queue.drain()).toBe(0);
    expect((await allRows())[0]).toMatchObject({ queue: 'events-dlq', lastError: 'lease expired on all 4 attempts' });
  });
});

describe('node queue: producer limits', () => {
  it('refuses more than 100 messages in one sendBatch and writes none', async () => {
    const queue = eventsQueue(async () => {});
    await expect(queue.queues.sendBatch('events', Array.from({ length: 101 }, (_, n) => n))).rejects.toThrow(/at most 100/);
    expect(await allRows()).toEqual([]);
  });

  it('refuses a message over 128 KB and a body that is not JSON-serialisable', async () => {
    const queue = eventsQueue(async () => {});
    await expect(queue.queues.send('events', 'x'.repeat(128_001))).rejects.toThrow(/128000 bytes/);
    await expect(queue.queues.send('events', undefined)).rejects.toThrow(/JSON/);
    await expect(queue.queues.send('events', 1, { delaySeconds: -1 })).rejects.toThrow(/delaySeconds/);
  });
});

describe('node queue: poll loop', () => {
  it('delivers on its own once started and stops cleanly', async () => {
    clock = Date.now();
    const events = recording();
    const queue = createNodeQueue({
      db,
      settings: { events: { ...CONSUMER_DEFAULTS, maxBatchTimeoutSeconds: 0 } },
      consumers: { events: events.consumer },
      pollIntervalMs: 10,
    });
    queue.start();
    await queue.queues.send('events', { n: 1 });
    await vi.waitFor(() => expect(events.bodies()).toEqual([{ n: 1 }]));
    await queue.stop();
    expect(await allRows()).toEqual([]);
  });

  it('delivers a message sent without a batch window at once, not at the next tick', async () => {
    clock = Date.now();
    const events = recording();
    const queue = createNodeQueue({
      db,
      settings: { events: { ...CONSUMER_DEFAULTS, maxBatchTimeoutSeconds: 0 } },
      consumers: { events: events.consumer },
      pollIntervalMs: 60_000,
    });
    queue.start();
    await queue.queues.send('events', { n: 1 });
    await vi.waitFor(() => expect(events.bodies()).toEqual([{ n: 1 }]), { timeout: 2_000 });
    // A delayed message waits for its time, even on a woken queue.
    await queue.queues.send('events', { n: 2 }, { delaySeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(events.bodies()).toEqual([{ n: 1 }]);
    await queue.stop();
  });

  it('holds a partial batch until max_batch_timeout has passed', async () => {
    clock = Date.now();
    const events = recording();
    const queue = createNodeQueue({
      db,
      now: () => clock,
      settings: { events: { ...CONSUMER_DEFAULTS, maxBatchSize: 10, maxBatchTimeoutSeconds: 5 } },
      consumers: { events: events.consumer },
      pollIntervalMs: 10,
    });
    queue.start();
    await queue.queues.sendBatch('events', [1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.batches).toEqual([]);
    clock += 5_000;
    await vi.waitFor(() => expect(events.batches).toEqual([[1, 2]]));
    await queue.stop();
  });
});

// Requests first, backlog after (functions/node/traffic.ts): the poller
// asks the host's traffic for a quiet moment before it takes a batch. No
// timing is asserted: the gate's waits are either unbounded or fired by hand.
describe('node queue: live requests first', () => {
  function gated(traffic: ReturnType<typeof createTraffic>) {
    const asked = vi.fn();
    return { asked, gate: { quiet: () => (asked(), traffic.quiet()) } };
  }
  const inFlight = (traffic: ReturnType<typeof createTraffic>) => {
    let answer = () => {};
    const answered = traffic.track(() => new Promise<void>((resolve) => (answer = resolve)))();
    return { answered, answer: () => answer() };
  };

  it('holds a batch while a request is in flight and delivers it once the request is answered', async () => {
    clock = Date.now();
    const traffic = createTraffic({ quietMs: 0, maxDeferralMs: 3_600_000 });
    const { asked, gate } = gated(traffic);
    const events = recording();
    const queue = createNodeQueue({
      db,
      settings: { events: { ...CONSUMER_DEFAULTS, maxBatchTimeoutSeconds: 0 } },
      consumers: { events: events.consumer },
      pollIntervalMs: 10,
      traffic: gate,
    });
    const request = inFlight(traffic);
    queue.start();
    await queue.queues.send('events', { n: 1 });
    await vi.waitFor(() => expect(asked).toHaveBeenCalled());
    expect(events.batches).toEqual([]);

    request.answer();
    await request.answered;
    await vi.waitFor(() => expect(events.bodies()).toEqual([{ n: 1 }]));
    await queue.stop();
  });

  it('still takes a batch when the longest deferral runs out under traffic that never pauses', async () => {
    clock = Date.now();
    const timers: { ms: number; fire: () => void }[] = [];
    const traffic = createTraffic({ quietMs: 5, maxDeferralMs: 1_000, timer: (ms, fire) => (timers.push({ ms, fire }), () => {}) });
    const { asked, gate } = gated(traffic);
    const events = recording();
    const queue = createNodeQueue({
      db,
      settings: { events: { ...CONSUMER_DEFAULTS, maxBatchTimeoutSeconds: 0 } },
      consumers: { events: events.consumer },
      pollIntervalMs: 10,
      traffic: gate,
    });
    const request = inFlight(traffic);
    queue.start();
    await queue.queues.send('events', { n: 1 });
    await vi.waitFor(() => expect(timers.some((t) => t.ms === 1_000)).toBe(true));
    expect(asked).toHaveBeenCalled();
    expect(events.batches).toEqual([]);

    timers.find((t) => t.ms === 1_000)!.fire();
    await vi.waitFor(() => expect(events.bodies()).toEqual([{ n: 1 }]));
    request.answer();
    await queue.stop();
  });
});
