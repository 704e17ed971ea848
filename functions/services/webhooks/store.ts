import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../../db/client';
import { webhookEvents } from '../../../db/schema';
import type { EventsMessage, Queues } from '../../jobs/queues';

// Where verified webhook requests are kept (the inbox) and handed to the
// `events` queue: several at once, in one insert and one sendBatch. A
// Worker stores each request by itself (its requests cannot share I/O);
// the Node host gathers those that verify within a few milliseconds
// (coalescingStore), so a burst costs a commit per group rather than two
// per request, each commit an fsync.

export type NewEvent = typeof webhookEvents.$inferInsert & { id: string; workspaceId: string; sourceId: string; eventKey: string };
export type Stored = { outcome: 'accepted' | 'duplicate'; id: string };
export type StoreEvent = (row: NewEvent) => Promise<Stored>;

// How long the first request of a group waits for others. Requests do not
// arrive in one turn of the event loop (each waits on its body and its
// HMAC, which Node computes off the main thread), so a turn alone gathered
// about one each.
const GATHER_MS = 2;

// Cloudflare's sendBatch takes 100 messages.
export const MAX_STORED_AT_ONCE = 100;

export const eventMessage = (workspaceId: string, eventId: string): EventsMessage => ({ type: 'webhook-event', workspaceId, eventId });

// A queue that lives in the same database (the Node host's) can take its
// messages as a statement of the caller's batch (functions/node/queue.ts).
export type SendInBatch = (queue: 'events', bodies: EventsMessage[]) => BatchItem<'sqlite'>;
type StoreDeps = { db: Db; queues: Queues; sendInBatch?: SendInBatch };

export async function storeEvents(deps: StoreDeps, rows: NewEvent[]): Promise<Stored[]> {
  if (rows.length === 0) return [];
  const inserted = new Set((deps.sendInBatch ? await insertAndSend(deps.db, deps.sendInBatch, rows) : await insertOnly(deps, rows)).map((r) => r.id));
  const stored: Stored[] = [];
  for (const row of rows) stored.push(inserted.has(row.id) ? { outcome: 'accepted', id: row.id } : await duplicateOf(deps, row));
  return stored;
}

const insertRows = (db: Db, rows: NewEvent[]) => db.insert(webhookEvents).values(rows).onConflictDoNothing().returning({ id: webhookEvents.id });

async function insertOnly(deps: StoreDeps, rows: NewEvent[]) {
  const inserted = await insertRows(deps.db, rows);
  const accepted = new Set(inserted.map((r) => r.id));
  // Stored but not queued (the process died in between) is what the
  // */5 sweep re-sends (jobs/sweep.ts); a resend of the request does too.
  const messages = rows.filter((row) => accepted.has(row.id)).map((row) => eventMessage(row.workspaceId, row.id));
  if (messages.length) await deps.queues.sendBatch('events', messages);
  return inserted;
}

// The rows and their messages in one transaction: one commit, and each
// commit is an fsync that holds the Node host's event loop. Which rows are
// new is known only after the insert, so every row gets a message; that of
// a resend names an id that was never stored, which the consumer finds
// missing and acks (services/webhooks/apply.ts).
async function insertAndSend(db: Db, sendInBatch: SendInBatch, rows: NewEvent[]) {
  const [inserted] = await db.batch([insertRows(db, rows), sendInBatch('events', rows.map((row) => eventMessage(row.workspaceId, row.id)))]);
  return inserted;
}

// A resend of a request we hold: if its message never reached the queue,
// this sends it again; the consumer applies an event once however often
// it is asked.
async function duplicateOf(deps: StoreDeps, row: NewEvent): Promise<Stored> {
  const [held] = await deps.db
    .select({ id: webhookEvents.id, status: webhookEvents.status })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.workspaceId, row.workspaceId), eq(webhookEvents.sourceId, row.sourceId), eq(webhookEvents.eventKey, row.eventKey)));
  if (!held) throw new Error(`webhook event ${row.eventKey} of ${row.sourceId} neither inserted nor found`);
  if (held.status === 'pending') await deps.queues.send('events', eventMessage(row.workspaceId, held.id));
  return { outcome: 'duplicate', id: held.id };
}

// The Node host's store: requests verified within GATHER_MS of the
// group's first (or until the group is full) are stored together. A
// failure fails the whole group (each sender hears a 500 and sends again).
export function coalescingStore(deps: StoreDeps, { gatherMs = GATHER_MS } = {}): StoreEvent {
  let waiting: { row: NewEvent; resolve: (s: Stored) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const group = waiting;
    waiting = [];
    storeEvents(deps, group.map((w) => w.row)).then(
      (stored) => group.forEach((w, i) => w.resolve(stored[i]!)),
      (error: unknown) => group.forEach((w) => w.reject(error)),
    );
  };
  return (row) =>
    new Promise<Stored>((resolve, reject) => {
      waiting.push({ row, resolve, reject });
      if (waiting.length === 1) setTimeout(() => waiting.length && flush(), gatherMs);
      else if (waiting.length >= MAX_STORED_AT_ONCE) flush();
    });
}
