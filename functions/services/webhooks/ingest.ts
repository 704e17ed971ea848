import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { webhookEvents, webhookSources } from '../../../db/schema';
import { toBase64 } from '../../domain/bytes';
import { newId } from '../../domain/ids';
import { isEmailPayload } from '../../domain/webhooks/email-events';
import { formBody } from '../../domain/webhooks/forms';
import { verifyInbound, type Failure } from '../../domain/webhooks/verify';
import type { EventsMessage, Queues } from '../../jobs/queues';
import { secretsOf } from './sources';

// A request to POST /webhooks/{source}: verified against the source's
// secrets before anything is written, then stored as it came (the inbox),
// once per sender's id for it, and handed to the `events` queue. Nothing
// of a request that does not verify is kept, and its answer does not say
// which check failed.

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

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

// The sender's id for the request where its scheme gives one (in a header,
// or Mailgun's inside the event), else a digest of the body: the same
// request sent again is then the same key.
async function eventKeyOf(headerId: string | null, payload: unknown, body: Uint8Array<ArrayBuffer>): Promise<string> {
  if (headerId) return headerId.slice(0, 200);
  const data = (payload as { 'event-data'?: { id?: unknown } } | null)?.['event-data'];
  if (typeof data?.id === 'string' && data.id) return `mailgun:${data.id.slice(0, 200)}`;
  return `sha256:${hex(await crypto.subtle.digest('SHA-256', body))}`;
}

export type IngestDeps = { db: Db; queues: Queues; now: () => number };

export const eventMessage = (workspaceId: string, eventId: string): EventsMessage => ({ type: 'webhook-event', workspaceId, eventId });

export async function receiveWebhook(deps: IngestDeps, sourceId: string, request: { headers: Headers; body: Uint8Array<ArrayBuffer> }): Promise<Received> {
  const now = deps.now();
  const [source] = await deps.db.select().from(webhookSources).where(and(eq(webhookSources.id, sourceId), eq(webhookSources.enabled, true)));
  if (!source) return { outcome: 'refused', failure: 'unknown source' };
  const verdict = await verifyInbound({ kind: source.kind, secrets: secretsOf(source, now), hmac: source.hmac ?? undefined }, { headers: request.headers, body: request.body, now });
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

  const eventKey = await eventKeyOf(verdict.eventId, parsed.payload, request.body);
  const id = newId('webhookEvent', now);
  const inserted = await deps.db
    .insert(webhookEvents)
    .values({
      id,
      workspaceId: source.workspaceId,
      sourceId: source.id,
      kind: source.kind,
      eventKey,
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
    })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (inserted.length) {
    await deps.queues.send('events', eventMessage(source.workspaceId, id));
    return { outcome: 'accepted', id };
  }
  // A resend of a request we hold: if its message never reached the queue
  // (the process died between the two writes), this sends it again; the
  // consumer applies an event once however often it is asked.
  const [held] = await deps.db
    .select({ id: webhookEvents.id, status: webhookEvents.status })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.workspaceId, source.workspaceId), eq(webhookEvents.sourceId, source.id), eq(webhookEvents.eventKey, eventKey)));
  if (!held) throw new Error(`webhook event ${eventKey} of ${source.id} neither inserted nor found`);
  if (held.status === 'pending') await deps.queues.send('events', eventMessage(source.workspaceId, held.id));
  return { outcome: 'duplicate', id: held.id };
}
