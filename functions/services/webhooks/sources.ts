import { and, asc, count, eq, max, sql } from 'drizzle-orm';
import { webhookEvents, webhookSources } from '../../../db/schema';
import { fromBase64, toBase64, toBase64Url } from '../../domain/bytes';
import { newId } from '../../domain/ids';
import { isoTime } from '../../domain/time';
import type { SourceKind } from '../../domain/webhooks/verify';
import type { SecretRotation, SourceCreate, SourceListItem, SourceUpdate, SourceView } from '../../schemas/webhooks';
import { conflict, invalid, notFound } from '../errors';
import { auditEntry, writeRecord } from '../records';
import type { Scope } from '../scope';

// The senders a workspace takes webhooks from (Settings → Integrations).
// A secret is shown once, when it is made or rotated; after that only its
// last characters. Secrets are kept as they are, not hashed: verifying an
// HMAC needs the key itself.

type Row = typeof webhookSources.$inferSelect;

// Every change of a source moves its `updated_at` forward, even two in one
// millisecond: it is the version the Node host's intake checks a
// remembered source against (services/webhooks/source-cache.ts).
const nextVersion = (now: number) => sql<number>`max(${now}, ${webhookSources.updatedAt} + 1)`;
const versionAfter = (row: Row, now: number) => Math.max(now, row.updatedAt + 1);

const random = (bytes: number) => crypto.getRandomValues(new Uint8Array(bytes));

// A new secret in the form the kind's senders expect.
function generatedSecret(kind: SourceKind): string {
  if (kind === 'standard' || kind === 'svix') return `whsec_${toBase64(random(24))}`;
  if (kind === 'postmark') return `relate:${toBase64Url(random(18))}`;
  return [...random(32)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// A pasted secret, checked as the kind will use it, so a typo is a 400
// now rather than every request refused later.
async function checkedSecret(kind: SourceKind, secret: string | undefined): Promise<string> {
  if (secret === undefined) {
    if (kind === 'sendgrid' || kind === 'mailgun') throw invalid('Paste the key the sender shows', [{ path: 'secret', message: 'required for this kind' }]);
    return generatedSecret(kind);
  }
  if (kind === 'standard' || kind === 'svix') {
    const key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
    if (!key || key.length < 16) throw invalid('Not a webhook secret', [{ path: 'secret', message: 'must be whsec_ followed by base64 of at least 16 bytes' }]);
  }
  if (kind === 'sendgrid') {
    const spki = fromBase64(secret);
    const usable = spki && (await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']).then(() => true, () => false));
    if (!usable) throw invalid('Not a SendGrid verification key', [{ path: 'secret', message: 'must be the base64 public key SendGrid shows for the signed event webhook' }]);
  }
  if (kind === 'postmark' && !/^[^:\s]+:\S+$/.test(secret)) {
    throw invalid('Not basic-auth credentials', [{ path: 'secret', message: 'must be user:password, as in the webhook URL' }]);
  }
  return secret;
}

export const sourceUrl = (publicUrl: string, id: string) => `${publicUrl.replace(/\/+$/, '')}/webhooks/${id}`;

function view(row: Row, publicUrl: string, now: number): SourceView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: sourceUrl(publicUrl, row.id),
    secretHint: `…${row.secret.slice(-4)}`,
    previousSecretUntil: row.previousSecret && row.previousUntil !== null && row.previousUntil > now ? isoTime(row.previousUntil) : null,
    hmac: row.hmac,
    mapping: row.mapping,
    enabled: row.enabled,
    createdAt: isoTime(row.createdAt)!,
    updatedAt: isoTime(row.updatedAt)!,
  };
}

async function stored(scope: Scope, id: string): Promise<Row> {
  const [row] = await scope.ws.select(webhookSources, eq(webhookSources.id, id));
  if (!row) throw notFound('Webhook source');
  return row;
}

// Each source with how much it has sent and when last, so a sender that
// went quiet shows in the list. One grouped pass over the workspace's
// events rather than a query per source.
export async function listSources(scope: Scope, publicUrl: string): Promise<{ data: SourceListItem[] }> {
  const [rows, received] = await Promise.all([
    scope.ws.select(webhookSources).orderBy(asc(webhookSources.name), asc(webhookSources.id)),
    scope.db
      .select({ sourceId: webhookEvents.sourceId, received: count(), last: max(webhookEvents.receivedAt) })
      .from(webhookEvents)
      .where(scope.ws.scope(webhookEvents))
      .groupBy(webhookEvents.sourceId),
  ]);
  const bySource = new Map(received.map((r) => [r.sourceId, r]));
  return {
    data: rows.map((row) => {
      const got = bySource.get(row.id);
      return { ...view(row, publicUrl, scope.now), received: got?.received ?? 0, lastReceivedAt: isoTime(got?.last ?? null) };
    }),
  };
}

export const getSource = async (scope: Scope, publicUrl: string, id: string) => view(await stored(scope, id), publicUrl, scope.now);

export async function createSource(scope: Scope, publicUrl: string, input: SourceCreate): Promise<SourceView & { secret: string }> {
  const secret = await checkedSecret(input.kind, input.secret);
  const row: Row = {
    id: newId('webhookSource', scope.now),
    workspaceId: scope.ws.workspaceId,
    name: input.name,
    kind: input.kind,
    secret,
    previousSecret: null,
    previousUntil: null,
    hmac: input.hmac ?? null,
    mapping: input.mapping ?? {},
    enabled: true,
    createdBy: scope.actor.actorId,
    createdAt: scope.now,
    updatedAt: scope.now,
  };
  await scope.ws.batch([scope.ws.insert(webhookSources, row), auditEntry(scope, 'create', 'webhook-source', row.id, { name: row.name, kind: row.kind })]);
  return { ...view(row, publicUrl, scope.now), secret };
}

export async function updateSource(scope: Scope, publicUrl: string, id: string, input: SourceUpdate): Promise<SourceView> {
  const row = await stored(scope, id);
  if (input.hmac && row.kind !== 'hmac') throw invalid('Only the hmac kind takes a scheme', [{ path: 'hmac', message: `this source is ${row.kind}` }]);
  const set = { ...input, updatedAt: nextVersion(scope.now) };
  const here = eq(webhookSources.id, id);
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSources, here),
    audit: { action: 'update', entityType: 'webhook-source', entityId: id, changes: { ...input } },
    write: (receipt) => [scope.ws.update(webhookSources, set, and(here, receipt)!)],
  });
  if (!written) throw notFound('Webhook source');
  return view({ ...row, ...input, updatedAt: versionAfter(row, scope.now) }, publicUrl, scope.now);
}

// A new secret; the one it replaces still verifies for the grace period,
// so senders can be switched over without losing a request.
export async function rotateSecret(scope: Scope, publicUrl: string, id: string, input: SecretRotation): Promise<SourceView & { secret: string }> {
  const row = await stored(scope, id);
  const secret = await checkedSecret(row.kind, input.secret);
  const rotated = { secret, previousSecret: row.secret, previousUntil: scope.now + input.graceHours * 3_600_000 };
  // Of two rotations at once, the second finds the secret moved: a 409.
  const unchanged = and(eq(webhookSources.id, id), eq(webhookSources.secret, row.secret))!;
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSources, unchanged),
    audit: { action: 'rotate-secret', entityType: 'webhook-source', entityId: id, changes: { graceHours: input.graceHours } },
    write: (receipt) => [scope.ws.update(webhookSources, { ...rotated, updatedAt: nextVersion(scope.now) }, and(unchanged, receipt)!)],
  });
  if (!written) throw conflict('The secret was rotated meanwhile; read the source again');
  return { ...view({ ...row, ...rotated, updatedAt: versionAfter(row, scope.now) }, publicUrl, scope.now), secret };
}

// Its requests are refused from now on; what it sent stays in the inbox.
export async function deleteSource(scope: Scope, id: string): Promise<void> {
  const here = eq(webhookSources.id, id);
  const { written } = await writeRecord(scope, {
    when: scope.ws.exists(webhookSources, here),
    audit: { action: 'delete', entityType: 'webhook-source', entityId: id },
    write: (receipt) => [scope.ws.delete(webhookSources, and(here, receipt)!)],
  });
  if (!written) throw notFound('Webhook source');
}

// The secrets that verify a request now: the current one, then the
// previous one inside its grace period.
export const secretsOf = (row: Pick<Row, 'secret' | 'previousSecret' | 'previousUntil'>, now: number) => [
  row.secret,
  ...(row.previousSecret && row.previousUntil !== null && row.previousUntil > now ? [row.previousSecret] : []),
];
