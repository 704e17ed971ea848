import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../../db/client';
import { webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { DISABLE_AFTER_FAILING_MS, isGone, nextAttemptAt, succeeded, type AttemptOutcome } from '../../domain/webhooks/delivery-schedule';
import { signedHeaders } from '../../domain/webhooks/sign';
import type { Queues } from '../../jobs/queues';
import { systemScope, type Scope } from '../scope';
import { deliveryMessages } from './outbox';
import type { WebhookSender } from './sender';
import { failWaiting, subscriptionSecrets } from './subscriptions';

// The sender: the due deliveries a queue message names are claimed (a
// lease, so a doubled message or the sweep sends each once), signed and
// sent, a few at a time, and settled in one batch with the attempts' log.
// A failure is retried on the schedule of functions/domain/webhooks/
// delivery-schedule.ts through a delayed message; the delivery row stays
// the truth, so a lost message only delays it until the sweep.

export type DeliverDeps = { db: Db; now: () => number; queues: Queues; send: WebhookSender; random?: () => number };

// Longer than a send can take (SEND_TIMEOUT_MS per request, a few at once).
const LEASE_MS = 5 * 60_000;
// Workers allow six connections open at once.
const CONCURRENCY = 5;
const MAX_ERROR = 500;

type Claimed = typeof webhookDeliveries.$inferSelect;
type Subscription = typeof webhookSubscriptions.$inferSelect;
type Sent = { delivery: Claimed; url: string; headers: Record<string, string>; outcome: AttemptOutcome; response?: { headers: Record<string, string>; body: string }; durationMs: number };

const due = (now: number) =>
  and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now), or(isNull(webhookDeliveries.leaseUntil), lte(webhookDeliveries.leaseUntil, now)));

async function claim(scope: Scope, ids: string[]): Promise<{ claimed: Claimed[]; subscriptions: Map<string, Subscription> }> {
  const enabledSubscription = sql`${webhookDeliveries.subscriptionId} in (select id from ${webhookSubscriptions} where ${scope.ws.scope(webhookSubscriptions, eq(webhookSubscriptions.enabled, true))})`;
  const [claimed, subscriptions] = await scope.ws.batch([
    scope.ws.update(webhookDeliveries, { leaseUntil: scope.now + LEASE_MS }, and(inArray(webhookDeliveries.id, ids), due(scope.now), enabledSubscription)!).returning(),
    scope.ws.select(webhookSubscriptions, sql`${webhookSubscriptions.id} in (select ${webhookDeliveries.subscriptionId} from ${webhookDeliveries} where ${scope.ws.scope(webhookDeliveries, inArray(webhookDeliveries.id, ids))})`) as never,
  ]);
  return { claimed: claimed as Claimed[], subscriptions: new Map((subscriptions as Subscription[]).map((s) => [s.id, s])) };
}

async function sendOne(deps: DeliverDeps, delivery: Claimed, subscription: Subscription): Promise<Sent> {
  const started = deps.now();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Relate-Webhooks/1.0',
    ...(await signedHeaders({ id: delivery.id, at: started, body: delivery.payload, secrets: subscriptionSecrets(subscription, started) })),
  };
  const base = { delivery, url: subscription.url, headers };
  const clock = performance.now();
  try {
    const res = await deps.send({ url: subscription.url, headers, body: delivery.payload });
    return { ...base, outcome: { status: res.status }, response: { headers: res.headers, body: res.body }, durationMs: Math.round(performance.now() - clock) };
  } catch (error) {
    const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    return { ...base, outcome: { error: message.slice(0, MAX_ERROR) }, durationMs: Math.round(performance.now() - clock) };
  }
}

async function sendAll(deps: DeliverDeps, claimed: Claimed[], subscriptions: Map<string, Subscription>): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (let i = 0; i < claimed.length; i += CONCURRENCY) {
    const group = claimed.slice(i, i + CONCURRENCY);
    sent.push(...(await Promise.all(group.map((d) => sendOne(deps, d, subscriptions.get(d.subscriptionId)!)))));
  }
  return sent;
}

const describeFailure = (outcome: AttemptOutcome) =>
  'error' in outcome ? outcome.error : outcome.status >= 300 && outcome.status < 400 ? `Answered ${outcome.status} (redirects are not followed)` : `Answered ${outcome.status}`;

// The attempt's log row and the delivery's new state; the retry's time.
function settleDelivery(scope: Scope, sent: Sent, random: () => number): { statements: BatchItem<'sqlite'>[]; retryAt: number | null } {
  const { delivery, outcome } = sent;
  const ok = succeeded(outcome);
  const retryAt = ok || isGone(outcome) ? null : nextAttemptAt({ createdAt: delivery.createdAt, failedAttempts: delivery.attempts + 1, now: scope.now, random: random() });
  const status = ok ? 'delivered' : retryAt === null ? 'failed' : 'pending';
  const attempt = scope.ws.insert(webhookAttempts, {
    id: newId('webhookAttempt', scope.now),
    deliveryId: delivery.id,
    at: scope.now,
    url: sent.url,
    requestHeaders: sent.headers,
    responseStatus: 'status' in outcome ? outcome.status : null,
    responseHeaders: sent.response?.headers ?? null,
    responseBody: sent.response?.body ?? null,
    durationMs: sent.durationMs,
    error: ok ? null : describeFailure(outcome),
  });
  const update = scope.ws.update(
    webhookDeliveries,
    {
      status,
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      nextAttemptAt: retryAt,
      leaseUntil: null,
      lastStatus: 'status' in outcome ? outcome.status : null,
      lastError: ok ? null : describeFailure(outcome),
      finishedAt: status === 'pending' ? null : scope.now,
    },
    and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.leaseUntil, delivery.leaseUntil!))!,
  );
  return { statements: [attempt, update], retryAt };
}

// A subscription that answered is healthy again; one that did not starts
// (or continues) its run of failures, and is turned off at a 410 or when
// the run has lasted DISABLE_AFTER_FAILING_MS. Turning it off fails what
// was waiting for it: re-enabling sends events from then on, and the log
// offers redelivery of what failed.
function settleSubscription(scope: Scope, subscriptionId: string, sent: Sent[]): BatchItem<'sqlite'>[] {
  const here = eq(webhookSubscriptions.id, subscriptionId);
  if (sent.some((s) => succeeded(s.outcome))) return [scope.ws.update(webhookSubscriptions, { failingSince: null }, here)];
  const gone = sent.some((s) => isGone(s.outcome));
  const since = sql`coalesce(${webhookSubscriptions.failingSince}, ${scope.now})`;
  const off = gone ? sql`1` : sql`${since} <= ${scope.now - DISABLE_AFTER_FAILING_MS}`;
  const reason = gone ? 'The receiver answered 410 Gone' : 'Every attempt failed for five days';
  return [
    scope.ws.update(
      webhookSubscriptions,
      {
        failingSince: since,
        enabled: sql`case when ${off} then 0 else ${webhookSubscriptions.enabled} end`,
        disabledReason: sql`case when ${off} then ${reason} else ${webhookSubscriptions.disabledReason} end`,
        disabledAt: sql`case when ${off} then ${scope.now} else ${webhookSubscriptions.disabledAt} end`,
      },
      and(here, eq(webhookSubscriptions.enabled, true))!,
    ),
    failWaiting(scope, subscriptionId, 'The subscription was turned off', sql`not ${scope.ws.exists(webhookSubscriptions, and(here, eq(webhookSubscriptions.enabled, true)))}`),
  ];
}

// One queue message: at most DELIVERIES_PER_MESSAGE claims, sends and one
// settling batch, then a delayed message per retry.
export const DELIVER_SUBREQUESTS = 2 + 2 * 20;

export async function deliverDue(deps: DeliverDeps, workspaceId: string, ids: string[]) {
  const scope = systemScope(deps.db, workspaceId, deps.now(), deps.queues);
  const { claimed, subscriptions } = await claim(scope, ids);
  if (claimed.length === 0) return { sent: 0 };
  const sent = await sendAll(deps, claimed, subscriptions);
  const settled = systemScope(deps.db, workspaceId, deps.now());
  const random = deps.random ?? Math.random;
  const deliveries = sent.map((s) => ({ id: s.delivery.id, ...settleDelivery(settled, s, random) }));
  const bySubscription = new Map<string, Sent[]>();
  for (const s of sent) bySubscription.set(s.delivery.subscriptionId, [...(bySubscription.get(s.delivery.subscriptionId) ?? []), s]);
  const statements = [...deliveries.flatMap((d) => d.statements), ...[...bySubscription].flatMap(([id, group]) => settleSubscription(settled, id, group))];
  await settled.ws.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  for (const { id, retryAt } of deliveries) {
    if (retryAt === null) continue;
    const [message] = deliveryMessages(workspaceId, [id]);
    await deps.queues.send('webhooks-out', message, { delaySeconds: Math.max(0, Math.ceil((retryAt - settled.now) / 1000)) });
  }
  return { sent: sent.length, delivered: sent.filter((s) => succeeded(s.outcome)).length };
}

// The five-minute cron's net under the nudges: deliveries due for a minute
// that no sender holds (their message lost, or never sent), across
// workspaces, oldest first, nudged again. A doubled nudge costs a claim
// that finds nothing.
export const SWEEP_LIMIT = 2000;
const SWEEP_GRACE_MS = 60_000;

export async function sweepDueDeliveries(deps: { db: Db; now: () => number; queues: Queues }) {
  const now = deps.now();
  const rows = await deps.db
    .select({ id: webhookDeliveries.id, workspaceId: webhookDeliveries.workspaceId })
    .from(webhookDeliveries)
    // The literal lets the planner use the partial index of pending rows.
    .where(and(sql`${webhookDeliveries.status} = 'pending'`, lte(webhookDeliveries.nextAttemptAt, now - SWEEP_GRACE_MS), or(isNull(webhookDeliveries.leaseUntil), lte(webhookDeliveries.leaseUntil, now))))
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(SWEEP_LIMIT);
  const byWorkspace = new Map<string, string[]>();
  for (const row of rows) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row.id]);
  const messages = [...byWorkspace].flatMap(([workspaceId, ids]) => deliveryMessages(workspaceId, ids));
  for (let i = 0; i < messages.length; i += 100) await deps.queues.sendBatch('webhooks-out', messages.slice(i, i + 100));
  return { swept: rows.length };
}
