import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { webhookEvents, webhookSources } from '../../../db/schema';
import { suppressionOf } from '../../domain/deliverability';
import { parseEmailEvents } from '../../domain/webhooks/email-events';
import { readFormFill } from '../../domain/webhooks/forms';
import type { Queues } from '../../jobs/queues';
import { systemScope, type Scope } from '../scope';
import { emailEventStatements, suppressionEvents } from './email';
import { insertedIds, nudge, outboxInsert } from './outbox';
import { applyFormFill } from './forms';
import { payloadOf } from './ingest';

// The `events` queue's job: one stored webhook request applied, at least
// once and to the same effect however often (services/webhooks/email.ts,
// forms.ts). An event already applied is left alone unless replayed.

type Stored = typeof webhookEvents.$inferSelect;

// An attempt is counted (for the inbox, and the sweep: jobs/sweep.ts) with
// its outcome, in the same commit: one transaction fewer per event than a
// count of its own. An attempt that throws is counted on its way out.
const attempted = { attempts: sql`${webhookEvents.attempts} + 1` };

const settle = (scope: Scope, id: string, outcome: { status: 'applied' | 'failed'; result?: Record<string, unknown>; error?: string }) =>
  scope.ws.update(
    webhookEvents,
    { ...attempted, status: outcome.status, result: outcome.result ?? null, error: outcome.error ?? null, appliedAt: outcome.status === 'applied' ? scope.now : null },
    eq(webhookEvents.id, id),
  );

async function applyEmail(scope: Scope, event: Stored, payload: unknown) {
  const parsed = parseEmailEvents(event.kind, payload, event.eventKey, event.receivedAt);
  if ('error' in parsed) return scope.ws.batch([settle(scope, event.id, { status: 'failed', error: parsed.error })]);
  const suppressed = parsed.events.filter((e) => suppressionOf(e) !== null).length;
  const result = { emailEvents: parsed.events.length, ignored: parsed.ignored, suppressing: suppressed };
  const statements = emailEventStatements(scope, { sourceId: event.sourceId, webhookEventId: event.id }, parsed.events);
  const outbox = suppressed ? [outboxInsert(scope, suppressionEvents(scope, event.id))] : [];
  const results = await scope.ws.batch([...statements, ...outbox, settle(scope, event.id, { status: 'applied', result })] as [ReturnType<typeof settle>]);
  await nudge(scope.queues, scope.ws.workspaceId, results.slice(statements.length, statements.length + outbox.length).flatMap(insertedIds));
}

async function applyForm(scope: Scope, event: Stored, payload: unknown) {
  const [source] = await scope.ws.select(webhookSources, eq(webhookSources.id, event.sourceId));
  const fill = readFormFill(payload, source?.mapping ?? {});
  await applyFormFill(scope, event, source?.name ?? 'Webhook', fill, (outcome) =>
    'refused' in outcome ? settle(scope, event.id, { status: 'failed', error: outcome.refused }) : settle(scope, event.id, { status: 'applied', result: outcome }),
  );
}

export async function applyWebhookEvent(deps: { db: Db; now: () => number; queues?: Queues }, workspaceId: string, eventId: string, { replay = false } = {}) {
  const scope = systemScope(deps.db, workspaceId, deps.now(), deps.queues);
  const [event] = await scope.db.select().from(webhookEvents).where(scope.ws.scope(webhookEvents, eq(webhookEvents.id, eventId)));
  if (!event || (event.status === 'applied' && !replay)) return { applied: false };
  try {
    const parsed = payloadOf(event.body, event.contentType);
    if ('reason' in parsed) {
      await scope.ws.batch([settle(scope, event.id, { status: 'failed', error: parsed.reason })]);
      return { applied: false };
    }
    await (event.type === 'email' ? applyEmail(scope, event, parsed.payload) : applyForm(scope, event, parsed.payload));
    return { applied: true };
  } catch (error) {
    // The queue retries it; the count is only for the inbox, so a count
    // that fails too (the database is what failed) leaves the error as it was.
    await scope.ws.batch([scope.ws.update(webhookEvents, attempted, eq(webhookEvents.id, event.id))]).catch(() => undefined);
    throw error;
  }
}
