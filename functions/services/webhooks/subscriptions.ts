import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { webhookDeliveries, webhookSubscriptions } from '../../../db/schema';
import { newId } from '../../domain/ids';
import { isoTime } from '../../domain/time';
import { newSigningSecret } from '../../domain/webhooks/sign';
import { checkTarget } from '../../domain/webhooks/targets';
import { MAX_SUBSCRIPTIONS, type SubscriptionCreate, type SubscriptionUpdate, type SubscriptionView } from '../../schemas/outbound-webhooks';
import { conflict, invalid, notFound } from '../errors';
import { auditEntry, writeRecord } from '../records';
import type { Scope } from '../scope';
import { insertedIds, nudge, outboxInsert } from './outbox';

// Where a workspace sends its events (Settings → Integrations). The
// signing secret is shown once, when made or rotated; audit rows never
// hold it.

type Row = typeof webhookSubscriptions.$inferSelect;
type Last = { id: string; eventType: string; status: 'pending' | 'delivered' | 'failed'; createdAt: number; lastStatus: number | null; lastError: string | null };

function view(row: Row, last: Last | null, now: number): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    secretHint: `…${row.secret.slice(-4)}`,
    previousSecretUntil: row.previousSecret && row.previousUntil !== null && row.previousUntil > now ? isoTime(row.previousUntil) : null,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: isoTime(row.disabledAt),
    failingSince: isoTime(row.failingSince),
    lastDelivery: last && { ...last, createdAt: isoTime(last.createdAt)! },
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
  };
}

// The secrets requests are signed with now: the current one, and the
// previous one inside its grace period.
export const subscriptionSecrets = (row: Pick<Row, 'secret' | 'previousSecret' | 'previousUntil'>, now: number) => [
  row.secret,
  ...(row.previousSecret && row.previousUntil !== null && row.previousUntil > now ? [row.previousSecret] : []),
];

// What waits for a subscription that is turned off, marked failed.
export const failWaiting = (scope: Scope, subscriptionId: string, error: string, when: SQL) =>
  scope.ws.update(
    webhookDeliveries,
    { status: 'failed', nextAttemptAt: null, leaseUntil: null, lastError: error, finishedAt: scope.now },
    and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending'), when)!,
  );

function checkedUrl(url: string, allowLoopback: boolean): string {
  const check = checkTarget(url, { allowLoopback });
  if (!check.ok) throw invalid('The webhook target is not allowed', [{ path: 'url', message: check.reason }]);
  return check.url.href;
}

// The newest delivery of each subscription, by the (workspace, subscription,
// created) index. The outer column is named in full: drizzle leaves a
// one-table select's columns unqualified, and d has an id too.
const lastDelivery = (scope: Scope) =>
  sql<string | null>`(select json_object('id', d.id, 'eventType', d.event_type, 'status', d.status, 'createdAt', d.created_at, 'lastStatus', d.last_status, 'lastError', d.last_error)
    from ${webhookDeliveries} as d where d.workspace_id = ${scope.ws.workspaceId} and d.subscription_id = webhook_subscriptions.id order by d.created_at desc, d.id desc limit 1)`;

async function stored(scope: Scope, id: string): Promise<{ row: Row; last: Last | null }> {
  const [found] = await scope.db
    .select({ row: webhookSubscriptions, last: lastDelivery(scope) })
    .from(webhookSubscriptions)
    .where(scope.ws.scope(webhookSubscriptions, eq(webhookSubscriptions.id, id)));
  if (!found) throw notFound('Webhook subscription');
  return { row: found.row, last: found.last ? (JSON.parse(found.last) as Last) : null };
}

export async function listSubscriptions(scope: Scope): Promise<{ data: SubscriptionView[] }> {
  const rows = await scope.db
    .select({ row: webhookSubscriptions, last: lastDelivery(scope) })
    .from(webhookSubscriptions)
    .where(scope.ws.scope(webhookSubscriptions))
    .orderBy(asc(webhookSubscriptions.createdAt), asc(webhookSubscriptions.id));
  return { data: rows.map(({ row, last }) => view(row, last ? JSON.parse(last) : null, scope.now)) };
}

export async function getSubscription(scope: Scope, id: string) {
  const { row, last } = await stored(scope, id);
  return view(row, last, scope.now);
}

export async function createSubscription(scope: Scope, allowLoopback: boolean, input: SubscriptionCreate): Promise<SubscriptionView & { secret: string }> {
  const row: Row = {
    id: newId('webhookSubscription', scope.now),
    workspaceId: scope.ws.workspaceId,
    url: checkedUrl(input.url, allowLoopback),
    description: input.description,
    eventTypes: input.eventTypes,
    secret: newSigningSecret(),
    previousSecret: null,
    previousUntil: null,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    createdBy: scope.actor.actorId,
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  const room = sql`(select ${count()} from ${webhookSubscriptions} where ${scope.ws.scope(webhookSubscriptions)}) < ${MAX_SUBSCRIPTIONS}`;
  const { written } = await writeRecord(scope, {
    when: room,
    audit: { action: 'create', entityType: 'webhook-subscription', entityId: row.id, changes: { url: row.url, eventTypes: row.eventTypes } },
    write: (receipt) => [scope.ws.insertWhere(webhookSubscriptions, row, receipt)],
  });
  if (!written) throw invalid(`A workspace has at most ${MAX_SUBSCRIPTIONS} webhook subscriptions`, [{ path: 'url', message: 'remove one first' }]);
  return { ...view(row, null, scope.now), secret: row.secret };
}

// Turning a subscription off marks what waits for it failed (redeliverable
// from the log); turning it on again clears its run of failures, and events
// are sent from then on.
function enabledChange(scope: Scope, row: Row, enabled: boolean | undefined) {
  if (enabled === undefined || enabled === row.enabled) return {};
  return enabled
    ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null }
    : { enabled: false, disabledReason: 'Turned off by hand', disabledAt: scope.now };
}

export async function updateSubscription(scope: Scope, allowLoopback: boolean, id: string, input: SubscriptionUpdate): Promise<SubscriptionView> {
  const { row, last } = await stored(scope, id);
  const set = {
    ...(input.url !== undefined ? { url: checkedUrl(input.url, allowLoopback) } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
    ...enabledChange(scope, row, input.enabled),
    updatedAt: scope.now,
  };
  const here = eq(webhookSubscriptions.id, id);
  const turnedOff = set.enabled === false;
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSubscriptions, here),
    audit: { action: 'update', entityType: 'webhook-subscription', entityId: id, changes: { ...input } },
    write: (receipt) => [
      scope.ws.update(webhookSubscriptions, set, and(here, receipt)!),
      ...(turnedOff ? [failWaiting(scope, id, 'The subscription was turned off', receipt)] : []),
    ],
  });
  if (!written) throw notFound('Webhook subscription');
  return view({ ...row, ...set }, last, scope.now);
}

export const enableSubscription = (scope: Scope, id: string) => updateSubscription(scope, true, id, { enabled: true });

export async function rotateSubscriptionSecret(scope: Scope, id: string, graceHours: number): Promise<SubscriptionView & { secret: string }> {
  const { row, last } = await stored(scope, id);
  const set = { secret: newSigningSecret(), previousSecret: row.secret, previousUntil: scope.now + graceHours * 3_600_000, updatedAt: scope.now };
  const unchanged = and(eq(webhookSubscriptions.id, id), eq(webhookSubscriptions.secret, row.secret))!;
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSubscriptions, unchanged),
    audit: { action: 'rotate-secret', entityType: 'webhook-subscription', entityId: id, changes: { graceHours } },
    write: (receipt) => [scope.ws.update(webhookSubscriptions, set, and(unchanged, receipt)!)],
  });
  if (!written) throw conflict('The secret was rotated meanwhile; read the subscription again');
  return { ...view({ ...row, ...set }, last, scope.now), secret: set.secret };
}

// Its deliveries and their log go with it.
export async function deleteSubscription(scope: Scope, id: string): Promise<void> {
  const here = eq(webhookSubscriptions.id, id);
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSubscriptions, here),
    audit: { action: 'delete', entityType: 'webhook-subscription', entityId: id },
    write: (receipt) => [
      scope.db.run(sql`delete from webhook_attempts where workspace_id = ${scope.ws.workspaceId} and delivery_id in (select id from ${webhookDeliveries} where ${scope.ws.scope(webhookDeliveries, eq(webhookDeliveries.subscriptionId, id))}) and ${receipt}`),
      scope.ws.delete(webhookDeliveries, and(eq(webhookDeliveries.subscriptionId, id), receipt)!),
      scope.ws.delete(webhookSubscriptions, and(here, receipt)!),
    ],
  });
  if (!written) throw notFound('Webhook subscription');
}

// A webhook.test event to this subscription alone, through the same
// outbox and sender as real events; answers the delivery's id.
export async function sendTestEvent(scope: Scope, id: string): Promise<{ deliveryId: string }> {
  const { row } = await stored(scope, id);
  if (!row.enabled) throw conflict('The subscription is turned off; turn it on first');
  const data = sql`json_object('subscriptionId', ${id}, 'message', 'A test event from Relate')`;
  const [inserted] = await scope.ws.batch([
    outboxInsert(scope, sql`select 'webhook.test' as type, ${data} as data, null as cause`, sql`s.id = ${id}`),
    auditEntry(scope, 'send-test-event', 'webhook-subscription', id),
  ]);
  const [deliveryId] = insertedIds(inserted);
  if (!deliveryId) throw conflict('The subscription is turned off; turn it on first');
  await nudge(scope.queues, scope.ws.workspaceId, [deliveryId]);
  return { deliveryId };
}
