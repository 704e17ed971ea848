import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { webhookEvents } from '../../../db/schema';
import type { EventsMessage, Queues } from '../../jobs/queues';
import { logError } from '../../log';
import { AppError } from '../errors';
import type { SourceLookup } from './source-cache';

// Where verified webhook requests are kept (the inbox) and handed to the
// `events` queue. A Worker stores each request by itself (its requests
// cannot share I/O). The Node host commits them in groups with their
// messages (writerStore): each commit is an fsync, and a burst then costs
// one per group rather than two per request.

export type NewEvent = typeof webhookEvents.$inferInsert & { id: string; workspaceId: string; sourceId: string; eventKey: string };
export type Stored = { outcome: 'accepted' | 'duplicate'; id: string };
// `stale`: not stored, because the source changed since the request was
// verified against it (services/webhooks/source-cache.ts).
export type StoreEvent = (row: NewEvent, sourceVersion: number) => Promise<Stored | { outcome: 'stale' }>;

// How a host takes verified webhooks in where it differs from the default
// (each request stored by itself, its source read each time): the Node
// host's store, which checks each request's source version, and so may
// come with sources remembered (source-cache.ts); nothing else may.
export type WebhookIntake = { store: StoreEvent; sources?: SourceLookup };

export const eventMessage = (workspaceId: string, eventId: string): EventsMessage => ({ type: 'webhook-event', workspaceId, eventId });

type StoreDeps = { db: Db; queues: Queues };

export async function storeEvents(deps: StoreDeps, rows: NewEvent[]): Promise<Stored[]> {
  if (rows.length === 0) return [];
  const inserted = await deps.db.insert(webhookEvents).values(rows).onConflictDoNothing().returning({ id: webhookEvents.id });
  const accepted = new Set(inserted.map((r) => r.id));
  // Stored but not queued (the process died in between) is what the
  // */5 sweep re-sends (jobs/sweep.ts); a resend of the request does too.
  const messages = rows.filter((row) => accepted.has(row.id)).map((row) => eventMessage(row.workspaceId, row.id));
  if (messages.length) await deps.queues.sendBatch('events', messages);
  const stored: Stored[] = [];
  for (const row of rows) {
    if (accepted.has(row.id)) stored.push({ outcome: 'accepted', id: row.id });
    else stored.push((await duplicateOf(deps, row)) ?? neitherInsertedNorFound(row));
  }
  return stored;
}

const neitherInsertedNorFound = (row: NewEvent): never => {
  throw new Error(`webhook event ${row.eventKey} of ${row.sourceId} neither inserted nor found`);
};

// A resend of a request we hold: if its message never reached the queue,
// this sends it again; the consumer applies an event once however often
// it is asked. Undefined when no request of that key is held.
async function duplicateOf(deps: StoreDeps, row: NewEvent): Promise<Stored | undefined> {
  const [held] = await deps.db
    .select({ id: webhookEvents.id, status: webhookEvents.status })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.workspaceId, row.workspaceId), eq(webhookEvents.sourceId, row.sourceId), eq(webhookEvents.eventKey, row.eventKey)));
  if (!held) return undefined;
  if (held.status === 'pending') await deps.queues.send('events', eventMessage(row.workspaceId, held.id));
  return { outcome: 'duplicate', id: held.id };
}

// A request for the writer, with the `updated_at` of the source it was
// verified against: the writer stores it only while the source is still
// enabled and at that version.
export type VersionedEvent = NewEvent & { sourceVersion: number };

// How the Node host writes verified requests: a writer that commits
// together the rows it is handed while it is busy (functions/node/
// event-writer.ts). Resolves to the ids it inserted: a row left out is a
// resend of one held, or of a source that changed.
export type WriteEvents = (rows: VersionedEvent[]) => Promise<string[]>;

// The Node host's store: each request's row to the writer, and a resend
// (its key already held) answered as a duplicate. A write that failed, or
// that the writer did not answer in time, fails the requests it carried
// with a 503: nothing of them is promised kept, and each sender sends
// again (a row the writer commits after all makes that a duplicate). A row
// neither inserted nor held was refused for its source's change: `stale`.
export function writerStore(deps: StoreDeps, write: WriteEvents): StoreEvent {
  return async (row, sourceVersion) => {
    let inserted: string[];
    try {
      inserted = await write([{ ...row, sourceVersion }]);
    } catch (error) {
      logError({ webhookEvent: row.id, source: row.sourceId, outcome: 'not stored' }, error);
      throw new AppError(503, 'unavailable', 'The request was not stored; send it again', undefined, { 'Retry-After': '1' });
    }
    if (inserted.includes(row.id)) return { outcome: 'accepted', id: row.id };
    return (await duplicateOf(deps, row)) ?? { outcome: 'stale' };
  };
}
