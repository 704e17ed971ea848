import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { webhookSources } from '../../../db/schema';
import { toBase64 } from '../../domain/bytes';
import { newId } from '../../domain/ids';
import { isEmailPayload } from '../../domain/webhooks/email-events';
import { formBody } from '../../domain/webhooks/forms';
import { verifyInbound, type Failure } from '../../domain/webhooks/verify';
import type { Queues } from '../../jobs/queues';
import { nodeCrypto } from './mac';
import { secretsOf } from './sources';
import type { SourceLookup, SourceRow } from './source-cache';
import { AppError } from '../errors';
import { eventMessage, storeEvents, type NewEvent, type WebhookIntake } from './store';

// A request to POST /webhooks/{source}: verified against the source's
// secrets before anything is written, then stored as it came (the inbox),
// once per sender's id for it, and handed to the `events` queue. Nothing
// of a request that does not verify is kept, and its answer does not say
// which check failed. A request stored but never queued (the process died
// in between) is queued again by a resend, or by the sweep (jobs/sweep.ts).

// Larger bodies are refused before they are read whole (routes/webhooks.ts).
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export type Received =
  | { outcome: 'accepted' | 'duplicate'; id: string }
  | { outcome: 'refused'; failure: Failure | 'unknown source' }
  | { outcome: 'malformed'; reason: string };

// Headers that would hand a reader of the inbox a credential.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const MAX_HEADERS = 50;

function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  let n = 0;
  headers.forEach((value, name) => {
    if (n < MAX_HEADERS && !SECRET_HEADERS.has(name)) {
      kept[name] = value.slice(0, 1000);
      n++;
    }
  });
  return kept;
}

// The body as the sender meant it: JSON, or an HTML form's fields.
export function payloadOf(text: string, contentType: string | null): { payload: unknown } | { reason: string } {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { payload: formBody(text) };
  try {
    return { payload: JSON.parse(text) };
  } catch {
    return { reason: 'The body is neither JSON nor form fields' };
  }
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

// The sender's id for the request where its scheme gives one (in a header,
// or Mailgun's inside the event), else a digest of the body: the same
// request sent again is then the same key.
async function eventKeyOf(headerId: string | null, payload: unknown, body: Uint8Array<ArrayBuffer>): Promise<string> {
  if (headerId) return headerId.slice(0, 200);
  const data = (payload as { 'event-data'?: { id?: unknown } } | null)?.['event-data'];
  if (typeof data?.id === 'string' && data.id) return `mailgun:${data.id.slice(0, 200)}`;
  return `sha256:${hex(await nodeCrypto.sha256(body))}`;
}

export type IngestDeps = { db: Db; queues: Queues; now: () => number; webhookIntake?: WebhookIntake };

export { eventMessage };

// Built once per database: drizzle takes longer to build this select than
// SQLite takes to run it.
const sourceQueries = new WeakMap<Db, ReturnType<typeof prepareSourceQuery>>();
const prepareSourceQuery = (db: Db) =>
  db.select().from(webhookSources).where(and(eq(webhookSources.id, sql.placeholder('id')), eq(webhookSources.enabled, true))).prepare();

export function readSource(db: Db): (id: string) => Promise<SourceRow | undefined> {
  let query = sourceQueries.get(db);
  if (!query) sourceQueries.set(db, (query = prepareSourceQuery(db)));
  const prepared = query;
  return async (id) => (await prepared.all({ id }))[0];
}

const databaseSources = (db: Db): SourceLookup => {
  const read = readSource(db);
  return {
    async find(id) {
      const source = await read(id);
      return source && { source, remembered: false };
    },
  };
};

export async function receiveWebhook(deps: IngestDeps, sourceId: string, request: { headers: Headers; body: Uint8Array<ArrayBuffer> }): Promise<Received> {
  const now = deps.now();
  const store = deps.webhookIntake?.store;
  const sources = deps.webhookIntake?.sources ?? databaseSources(deps.db);
  let found = await sources.find(sourceId);
  // A remembered source may predate a change: a rotation its sender
  // already signs with (a refusal), or one the writer saw (`stale`). Either
  // way the source is read again and the request verified against it.
  for (let reads = 0; ; reads++) {
    if (!found) return { outcome: 'refused', failure: 'unknown source' };
    const verified = await verifiedRow(found.source, request, now);
    if ('row' in verified) {
      if (!store) return (await storeEvents(deps, [verified.row]))[0]!;
      const stored = await store(verified.row, found.source.updatedAt);
      if (stored.outcome !== 'stale') return stored;
      // Changed again while this request was stored: its sender's retry finds it settled.
      if (reads > 0) throw new AppError(503, 'unavailable', 'The source changed while the request was stored; send it again', undefined, { 'Retry-After': '1' });
    } else if (verified.outcome === 'malformed' || !found.remembered) return verified;
    found = await sources.find(sourceId, { fresh: true });
  }
}

// The row a request becomes once it verifies against the source, or why it
// does not.
async function verifiedRow(source: SourceRow, request: { headers: Headers; body: Uint8Array<ArrayBuffer> }, now: number): Promise<{ row: NewEvent } | Exclude<Received, { outcome: 'accepted' | 'duplicate' }>> {
  const verdict = await verifyInbound({ kind: source.kind, secrets: secretsOf(source, now), hmac: source.hmac ?? undefined }, { headers: request.headers, body: request.body, now }, nodeCrypto);
  if (!verdict.ok) return { outcome: 'refused', failure: verdict.failure };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(request.body);
  } catch {
    return { outcome: 'malformed', reason: `The body is not UTF-8 text (it starts ${toBase64(request.body.subarray(0, 6))})` };
  }
  const contentType = request.headers.get('content-type');
  const parsed = payloadOf(text, contentType);
  if ('reason' in parsed) return { outcome: 'malformed', reason: parsed.reason };

  return {
    row: {
      id: newId('webhookEvent', now),
      workspaceId: source.workspaceId,
      sourceId: source.id,
      kind: source.kind,
      eventKey: await eventKeyOf(verdict.eventId, parsed.payload, request.body),
      receivedAt: now,
      headers: keptHeaders(request.headers),
      contentType,
      body: text,
      verifiedWith: verdict.secret,
      type: isEmailPayload(source.kind, parsed.payload) ? 'email' : 'form',
      status: 'pending',
      attempts: 0,
      result: null,
      error: null,
      appliedAt: null,
    },
  };
}
