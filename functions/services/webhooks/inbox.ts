import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { webhookEvents, webhookSources } from '../../../db/schema';
import { isoTime } from '../../domain/time';
import type { Queues } from '../../jobs/queues';
import type { WebhookEventQuery, WebhookEventView } from '../../schemas/webhooks';
import { invalid, notFound } from '../errors';
import { olderThan, pageOf, type JsonText, type Page } from '../json-views';
import type { Scope } from '../scope';
import { eventMessage } from './ingest';

// The event inbox: every request a source sent that verified, newest
// first, with what applying it did; one or many can be applied again.

type Row = typeof webhookEvents.$inferSelect;

function view(row: Row, sourceName: string | null): WebhookEventView {
  return {
    id: row.id,
    sourceId: row.sourceId,
    sourceName,
    receivedAt: isoTime(row.receivedAt)!,
    type: row.type,
    status: row.status,
    verifiedWith: row.verifiedWith === 0 ? ('current secret' as const) : ('previous secret' as const),
    attempts: row.attempts,
    result: row.result,
    error: row.error,
    appliedAt: isoTime(row.appliedAt),
  };
}

const withSource = (scope: Scope, where: SQL | undefined) =>
  scope.db
    .select({ event: webhookEvents, sourceName: webhookSources.name })
    .from(webhookEvents)
    .leftJoin(webhookSources, eq(webhookSources.id, webhookEvents.sourceId))
    .where(scope.ws.scope(webhookEvents, where));

export async function listWebhookEvents(scope: Scope, query: WebhookEventQuery): Promise<JsonText<Page<WebhookEventView>>> {
  const after = olderThan(webhookEvents.receivedAt, webhookEvents.id, query.cursor);
  const rows = await withSource(
    scope,
    and(
      query.source ? eq(webhookEvents.sourceId, query.source) : undefined,
      query.type ? eq(webhookEvents.type, query.type) : undefined,
      query.status ? eq(webhookEvents.status, query.status) : undefined,
      after,
    ),
  )
    .orderBy(desc(webhookEvents.receivedAt), desc(webhookEvents.id))
    .limit(query.limit + 1);
  return pageOf(
    rows.map(({ event, sourceName }) => ({ json: JSON.stringify(view(event, sourceName)) as JsonText<WebhookEventView>, v: event.receivedAt, id: event.id })),
    query.limit,
  );
}

export async function getWebhookEvent(scope: Scope, id: string) {
  const [row] = await withSource(scope, eq(webhookEvents.id, id));
  if (!row) throw notFound('Webhook event');
  const { event, sourceName } = row;
  return { ...view(event, sourceName), eventKey: event.eventKey, contentType: event.contentType, headers: event.headers, body: event.body };
}

// The events go back to pending and are queued to be applied again;
// applying is idempotent, so a replay adds only what is missing. An id
// that is not an event of this workspace refuses the whole request.
export async function replayWebhookEvents(scope: Scope, queues: Queues, ids: string[]): Promise<{ replayed: number }> {
  const wanted = [...new Set(ids)];
  const known = new Set((await scope.db.select({ id: webhookEvents.id }).from(webhookEvents).where(scope.ws.scope(webhookEvents, inArray(webhookEvents.id, wanted)))).map((r) => r.id));
  const missing = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `ids.${i}`, message: 'is not an event of this workspace' }]));
  if (missing.length) throw invalid('Some events are not in this inbox', missing);
  await scope.ws.update(webhookEvents, { status: 'pending', error: null }, inArray(webhookEvents.id, wanted));
  await queues.sendBatch('events', wanted.map((id) => ({ ...eventMessage(scope.ws.workspaceId, id), replay: true })));
  return { replayed: wanted.length };
}
