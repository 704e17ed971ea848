import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { webhookDeliveries, webhookSubscriptions } from '../../../db/schema';
import { ulidTime } from '../../domain/ids';
import type { OutboundEventType } from '../../domain/webhooks/outbound-events';
import type { Queues, WebhooksOutMessage } from '../../jobs/queues';
import type { Scope } from '../scope';

// The outbox of outbound webhooks: an event is written as one delivery per
// subscription that wants it, by a statement in the same batch (one
// transaction) as the write that causes it, so an event is never lost nor
// sent for a write that did not happen. A workspace without subscriptions
// pays one statement that finds none, in a round trip it makes anyway.

// What happened, as rows of SQL: each has `type`, `data` (JSON text: the
// record as the API shows it) and `cause` (null, or a key that makes the
// delivery once per subscription however often the cause is applied).
export type OutboxSource = SQL;

const deliveryId = (now: number) => sql`'whd_' || ${ulidTime(now)} || hex(randomblob(8))`;

// `only` names the subscriptions in place of their choice of events (a
// test event to one of them).
export function outboxInsert(scope: Scope, source: OutboxSource, only?: SQL): BatchItem<'sqlite'> {
  const now = scope.now;
  const timestamp = new Date(now).toISOString();
  return scope.db.all<{ id: string }>(sql`insert into ${webhookDeliveries}
      (id, workspace_id, subscription_id, event_type, cause_key, payload, status, attempts, next_attempt_at, created_at)
    select ${deliveryId(now)}, s.workspace_id, s.id, e.type, e.cause,
      json_object('type', e.type, 'timestamp', ${timestamp}, 'data', json(e.data)), 'pending', 0, ${now}, ${now}
    from (${source}) as e join ${webhookSubscriptions} as s
      on s.workspace_id = ${scope.ws.workspaceId} and s.enabled and ${only ?? sql`exists (select 1 from json_each(s.event_types) where value = e.type)`}
    where true
    on conflict do nothing
    returning id`);
}

// One event of one record: `data` read as the batch runs, after the write,
// and only if `gate` (the write's receipt) holds.
export const recordEvent = (type: OutboundEventType, data: SQL, gate: SQL, cause: string | null = null): OutboxSource =>
  sql`select ${type} as type, ${data} as data, ${cause} as cause where ${gate}`;

// A queue message names a few deliveries; the rows say what to send.
export const DELIVERIES_PER_MESSAGE = 20;
const SEND_BATCH = 100;

export function deliveryMessages(workspaceId: string, ids: string[]): WebhooksOutMessage[] {
  const messages: WebhooksOutMessage[] = [];
  for (let i = 0; i < ids.length; i += DELIVERIES_PER_MESSAGE) {
    messages.push({ type: 'deliver', workspaceId, deliveryIds: ids.slice(i, i + DELIVERIES_PER_MESSAGE) });
  }
  return messages;
}

// Wakes the sender for new deliveries. A lost nudge (or a scope without
// queues) costs only time: the five-minute sweep finds what is due. A job
// with a budget of subrequests sends at most `maxSends` batches and leaves
// the rest to the sweep.
export async function nudge(queues: Queues | undefined, workspaceId: string, ids: string[], maxSends = Infinity) {
  if (!queues || ids.length === 0) return;
  const messages = deliveryMessages(workspaceId, ids);
  for (let i = 0, sends = 0; i < messages.length && sends < maxSends; i += SEND_BATCH, sends++) {
    await queues.sendBatch('webhooks-out', messages.slice(i, i + SEND_BATCH));
  }
}

// The ids an outboxInsert's result holds.
export const insertedIds = (result: unknown) => (result as { id: string }[]).map((row) => row.id);
