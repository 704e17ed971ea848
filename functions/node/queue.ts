import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client';
import { queueMessages } from '../../db/schema/queue';
import { newId } from '../domain/ids';
import type { QueueBatch, QueueMessage, QueueName, Queues, SendOptions } from '../jobs/queues';
import type { Traffic } from './traffic';
import { CONSUMER_DEFAULTS, type ConsumerSettings, MAX_DELAY_SECONDS } from './wrangler-config';

// The Node host's Cloudflare Queues: every message is a queue_messages row
// until it is acked, so a restart loses nothing, and the delivery contract
// (batches, ack/retry, delays, max_retries, dead letters) is Cloudflare's
// (developers.cloudflare.com/queues/configuration/batching-retries/).

type Row = typeof queueMessages.$inferSelect;
type Consumer = (batch: QueueBatch) => Promise<void>;
type Deliverable = { row: Row; body: unknown };
type Log = (message: string, details?: Record<string, unknown>) => void;
type Decision = { kind: 'ack' } | { kind: 'retry'; delaySeconds: number | undefined };
type Outcome = { kind: 'ack' } | { kind: 'retry'; delaySeconds: number; error: string } | { kind: 'dead'; error: string };

export type NodeQueueOptions = {
  db: Db;
  now?: () => number;
  settings: Readonly<Record<string, ConsumerSettings>>;
  consumers: Partial<Record<QueueName, Consumer>>;
  log?: Log;
  pollIntervalMs?: number;
  // Live HTTP traffic in this process (functions/node/traffic.ts): a poller
  // waits for a quiet moment before it takes a batch.
  traffic?: Pick<Traffic, 'quiet'>;
};

export type NodeQueue = {
  queues: Queues;
  // Delivers everything currently due, ignoring max_batch_timeout; for tests
  // and shutdown. Resolves to the number of messages handed to consumers.
  drain(): Promise<number>;
  // Polls each consumed queue, batching as Cloudflare does.
  start(): void;
  stop(): Promise<void>;
};

// Cloudflare Queues limits (developers.cloudflare.com/queues/platform/limits/),
// enforced here too so a producer that works on Node works in a Worker.
const MAX_MESSAGE_BYTES = 128_000;
const MAX_SEND_BATCH_MESSAGES = 100;
const MAX_SEND_BATCH_BYTES = 256_000;

// A lease outlasts the longest consumer run Cloudflare allows (15 minutes of
// wall time), so a live consumer keeps its batch and the batch of a process
// that died comes back once the lease runs out.
const LEASE_MS = 15 * 60_000;

export function createNodeQueue(options: NodeQueueOptions): NodeQueue {
  const { db, settings, consumers, log = defaultLog, pollIntervalMs = 500, traffic } = options;
  const now = options.now ?? Date.now;
  const consumed = Object.entries(consumers).filter((entry): entry is [QueueName, Consumer] => entry[1] !== undefined);
  const settingsOf = (queue: string) => settings[queue] ?? CONSUMER_DEFAULTS;
  let pollers: Poller[] = [];

  async function deliverBatch(queue: QueueName, consumer: Consumer): Promise<{ claimed: number; delivered: number }> {
    const queueSettings = settingsOf(queue);
    const rows = await claim(db, queue, queueSettings.maxBatchSize, now());
    const outcomes = new Map<Row, Outcome>();
    const deliverable: Deliverable[] = [];
    for (const row of rows) {
      const read = readRow(row, queueSettings);
      if ('error' in read) outcomes.set(row, { kind: 'dead', error: read.error });
      else deliverable.push({ row, body: read.body });
    }
    if (deliverable.length > 0) {
      for (const [row, outcome] of await consume(queue, consumer, deliverable, queueSettings)) outcomes.set(row, outcome);
    }
    await settle(queue, outcomes, queueSettings);
    return { claimed: rows.length, delivered: deliverable.length };
  }

  // One batch is one transaction: a batch settles entirely or not at all.
  async function settle(queue: string, outcomes: Map<Row, Outcome>, { deadLetterQueue }: ConsumerSettings): Promise<void> {
    const at = now();
    const [first, ...rest] = [...outcomes].map(([row, outcome]) => settleStatement(db, row, outcome, deadLetterQueue, at));
    if (!first) return;
    await db.batch([first, ...rest]);
    for (const [row, outcome] of outcomes) {
      if (outcome.kind !== 'dead') continue;
      const details = { queue, id: row.id, attempts: row.attempts, error: outcome.error };
      if (deadLetterQueue) log('queue message moved to the dead-letter queue', { ...details, deadLetterQueue });
      else log('queue message dropped: no dead-letter queue', { ...details, body: row.body });
    }
  }

  async function drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      let claimed = 0;
      for (const [queue, consumer] of consumed) {
        const result = await deliverBatch(queue, consumer);
        claimed += result.claimed;
        delivered += result.delivered;
      }
      if (claimed === 0) return delivered;
    }
  }

  // A poller ticks every pollIntervalMs, and at once when this process sends
  // to a queue that delivers without a batch window (max_batch_timeout 0),
  // so a job someone is watching starts now rather than at the next tick.
  function poll(queue: QueueName, consumer: Consumer): Poller {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running: Promise<void> | null = null;
    let again = false;
    const tick = async () => {
      try {
        while (!stopped && (await batchReady(db, queue, settingsOf(queue), now()))) {
          await traffic?.quiet();
          if (!stopped) await deliverBatch(queue, consumer);
        }
      } catch (error) {
        log('queue poll failed', { queue, error });
      }
    };
    const run = () => {
      clearTimeout(timer);
      if (running) {
        again = true;
        return;
      }
      running = tick().then(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          run();
        } else timer = setTimeout(run, pollIntervalMs);
      });
    };
    timer = setTimeout(run, pollIntervalMs);
    return {
      queue,
      wake: () => {
        if (!stopped) run();
      },
      async stop() {
        stopped = true;
        clearTimeout(timer);
        await running;
      },
    };
  }

  const woken = (queue: QueueName, delayed: boolean) => {
    if (delayed || settingsOf(queue).maxBatchTimeoutSeconds > 0) return;
    for (const poller of pollers) if (poller.queue === queue) poller.wake();
  };

  return {
    queues: createProducer(db, now, woken),
    drain,
    start() {
      if (pollers.length === 0) pollers = consumed.map(([queue, consumer]) => poll(queue, consumer));
    },
    async stop() {
      const stopping = pollers;
      pollers = [];
      await Promise.all(stopping.map((poller) => poller.stop()));
    },
  };
}

// Each statement checks the lease, so a consumer that outlived its lease
// cannot settle messages another poller has since claimed.
function settleStatement(db: Db, row: Row, outcome: Outcome, deadLetterQueue: string | undefined, at: number): BatchItem<'sqlite'> {
  const held = and(eq(queueMessages.id, row.id), eq(queueMessages.leaseUntil, row.leaseUntil ?? 0));
  if (outcome.kind === 'retry') {
    const availableAt = at + outcome.delaySeconds * 1000;
    return db.update(queueMessages).set({ availableAt, leaseUntil: null, lastError: outcome.error }).where(held);
  }
  if (outcome.kind === 'dead' && deadLetterQueue) {
    return db
      .update(queueMessages)
      .set({ queue: deadLetterQueue, attempts: 0, availableAt: at, leaseUntil: null, lastError: outcome.error })
      .where(held);
  }
  // Acked, or dead with nowhere to go: Cloudflare deletes those.
  return db.delete(queueMessages).where(held);
}

type Poller = { queue: QueueName; wake(): void; stop(): Promise<void> };

// Producers need no consumer: the Node host's jobs send continuations with
// one made before the queue that will deliver them. `sent` hears of each
// stored batch (whether it was delayed), for a consumer in this process.
export function createProducer(db: Db, now: () => number, sent?: (queue: QueueName, delayed: boolean) => void): Queues {
  async function sendBatch(queue: QueueName, bodies: unknown[], options: SendOptions = {}): Promise<void> {
    const encoded = encodeBatch(bodies);
    if (encoded.length === 0) return;
    const at = now();
    const availableAt = at + checkDelay(options.delaySeconds ?? 0) * 1000;
    await insertMessages(db, queue, encoded, at, availableAt);
    sent?.(queue, availableAt > at);
  }
  return { send: (queue, body, options) => sendBatch(queue, [body], options), sendBatch };
}

// The rows that send `bodies`, for a caller that writes them in a
// transaction of its own: what it stores and the messages for it then
// commit together (one fsync, not two). A message is only seen by a poller
// once committed.
export function messageRows(queue: QueueName, bodies: unknown[], at: number): (typeof queueMessages.$inferInsert)[] {
  return rowsOf(queue, encodeBatch(bodies), at, at);
}

function insertMessages(db: Db, queue: QueueName, encoded: string[], at: number, availableAt: number) {
  return db.insert(queueMessages).values(rowsOf(queue, encoded, at, availableAt));
}

function rowsOf(queue: QueueName, encoded: string[], at: number, availableAt: number) {
  // Ids sorted before they are handed out keep a batch in send order, as
  // delivery takes the oldest (available_at, id) first. Cloudflare promises
  // no order; this is only the least surprising one.
  const ids = encoded.map(() => newId('queueMessage', at)).sort();
  return encoded.map((body, i) => ({ id: ids[i]!, queue, body, attempts: 0, availableAt, createdAt: at, leaseUntil: null, lastError: null }));
}

// Bodies are stored as JSON, so a body must survive JSON.stringify.
function encodeBatch(bodies: unknown[]): string[] {
  if (bodies.length > MAX_SEND_BATCH_MESSAGES) {
    throw new RangeError(`sendBatch takes at most ${MAX_SEND_BATCH_MESSAGES} messages, got ${bodies.length}`);
  }
  const encoded = bodies.map((body) => {
    const json = JSON.stringify(body);
    if (json === undefined) throw new TypeError('A queue message body must be JSON-serialisable');
    if (Buffer.byteLength(json) > MAX_MESSAGE_BYTES) throw new RangeError(`A queue message is limited to ${MAX_MESSAGE_BYTES} bytes`);
    return json;
  });
  const total = encoded.reduce((sum, json) => sum + Buffer.byteLength(json), 0);
  if (total > MAX_SEND_BATCH_BYTES) throw new RangeError(`sendBatch is limited to ${MAX_SEND_BATCH_BYTES} bytes, got ${total}`);
  return encoded;
}

function checkDelay(delaySeconds: number): number {
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw new RangeError(`delaySeconds must be between 0 and ${MAX_DELAY_SECONDS}, got ${delaySeconds}`);
  }
  return delaySeconds;
}

function dueIn(queue: string, at: number) {
  return and(
    eq(queueMessages.queue, queue),
    lte(queueMessages.availableAt, at),
    or(isNull(queueMessages.leaseUntil), lte(queueMessages.leaseUntil, at)),
  );
}

// One UPDATE ... WHERE id IN (due) RETURNING: SQLite runs the statement under
// its write lock, so a message is claimed by one poller only, whether the
// pollers share a connection or live in different processes.
async function claim(db: Db, queue: string, limit: number, at: number): Promise<Row[]> {
  const due = db
    .select({ id: queueMessages.id })
    .from(queueMessages)
    .where(dueIn(queue, at))
    .orderBy(asc(queueMessages.availableAt), asc(queueMessages.id))
    .limit(limit);
  const rows = await db
    .update(queueMessages)
    .set({ leaseUntil: at + LEASE_MS, attempts: sql`${queueMessages.attempts} + 1` })
    .where(inArray(queueMessages.id, due))
    .returning();
  return rows.sort((a, b) => a.availableAt - b.availableAt || a.id.localeCompare(b.id));
}

// Cloudflare delivers a batch when it is full or when its oldest message has
// waited max_batch_timeout, whichever comes first.
async function batchReady(db: Db, queue: string, settings: ConsumerSettings, at: number): Promise<boolean> {
  const due = await db
    .select({ availableAt: queueMessages.availableAt })
    .from(queueMessages)
    .where(dueIn(queue, at))
    .orderBy(asc(queueMessages.availableAt))
    .limit(settings.maxBatchSize);
  const oldest = due[0];
  if (oldest === undefined) return false;
  return due.length >= settings.maxBatchSize || oldest.availableAt <= at - settings.maxBatchTimeoutSeconds * 1000;
}

// Messages that go straight to the dead-letter queue: a body no consumer
// could read (retrying it cannot help), and one whose lease ran out on every
// attempt, which is what a consumer that crashes the process looks like.
function readRow(row: Row, settings: ConsumerSettings): { body: unknown } | { error: string } {
  if (row.attempts > settings.maxRetries + 1) return { error: `lease expired on all ${row.attempts - 1} attempts` };
  try {
    return { body: JSON.parse(row.body) };
  } catch {
    return { error: 'body is not valid JSON' };
  }
}

async function consume(
  queue: string,
  consumer: Consumer,
  deliverable: Deliverable[],
  settings: ConsumerSettings,
): Promise<Map<Row, Outcome>> {
  const { batch, decisionFor } = createBatch(queue, deliverable);
  let failure: string | undefined;
  try {
    await consumer(batch);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  return new Map(deliverable.map(({ row }) => [row, outcomeOf(row, decisionFor(row.id), failure, settings)]));
}

// Cloudflare's precedence: the first call on a message wins, and a call on a
// message beats any later ackAll()/retryAll() on its batch.
function createBatch(queue: string, deliverable: Deliverable[]) {
  const decisions = new Map<string, Decision>();
  let batchDecision: Decision | undefined;
  const decide = (id: string, decision: Decision) => {
    if (!decisions.has(id)) decisions.set(id, decision);
  };
  const messages = deliverable.map(({ row, body }): QueueMessage => ({
    id: row.id,
    timestamp: new Date(row.createdAt),
    body,
    attempts: row.attempts,
    ack: () => decide(row.id, { kind: 'ack' }),
    retry: (options) => decide(row.id, { kind: 'retry', delaySeconds: retryDelay(options) }),
  }));
  const batch: QueueBatch = {
    queue,
    messages,
    ackAll: () => void (batchDecision ??= { kind: 'ack' }),
    retryAll: (options) => void (batchDecision ??= { kind: 'retry', delaySeconds: retryDelay(options) }),
  };
  return { batch, decisionFor: (id: string) => decisions.get(id) ?? batchDecision };
}

function retryDelay(options: { delaySeconds?: number } | undefined): number | undefined {
  return options?.delaySeconds === undefined ? undefined : checkDelay(options.delaySeconds);
}

// An explicit ack stands even if the consumer throws afterwards; a throw
// retries everything else; a clean return acks whatever was left undecided.
// A retry without its own delay uses the queue's retry_delay (0 when unset:
// Cloudflare redelivers in the next batch; we add no backoff of our own).
function outcomeOf(row: Row, decision: Decision | undefined, failure: string | undefined, settings: ConsumerSettings): Outcome {
  if (decision?.kind === 'ack' || (decision === undefined && failure === undefined)) return { kind: 'ack' };
  const error = failure ?? 'retry requested by the consumer';
  if (row.attempts > settings.maxRetries) return { kind: 'dead', error: `${error} (after ${row.attempts} attempts)` };
  return { kind: 'retry', delaySeconds: decision?.delaySeconds ?? settings.retryDelaySeconds, error };
}

function defaultLog(message: string, details?: Record<string, unknown>): void {
  console.warn(`[queue] ${message}`, details ?? '');
}
