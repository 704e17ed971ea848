import { checkTarget } from '../../domain/webhooks/targets';

// How an outbound webhook request leaves the host. The hosts inject it
// (deps), so tests send to real local receivers through the same code.

export type OutboundRequest = { url: string; headers: Record<string, string>; body: string };
export type OutboundResponse = { status: number; headers: Record<string, string>; body: string };
// Resolves with whatever the receiver answered (any status); throws when no
// answer came: refused target, network error, timeout.
export type WebhookSender = (request: OutboundRequest) => Promise<OutboundResponse>;

export type SenderOptions = { allowLoopback?: boolean; timeoutMs?: number };

// Receivers should answer within seconds (Standard Webhooks advises
// acknowledging before processing); 15 s is Svix's own timeout.
export const SEND_TIMEOUT_MS = 15_000;
// Of an answer, the log keeps this much.
export const RESPONSE_BODY_BYTES = 4096;

// A target refused at send time: the address is not (or no longer) public.
export class TargetRefused extends Error {
  override name = 'TargetRefused';
}

export function refuseUnlessPublic(url: string, options: SenderOptions): URL {
  const check = checkTarget(url, { allowLoopback: options.allowLoopback });
  if (!check.ok) throw new TargetRefused(`The target ${check.reason}`);
  return check.url;
}

// The first RESPONSE_BODY_BYTES of a streamed body, decoded as UTF-8; the
// rest is not read at all.
export async function boundedText(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, RESPONSE_BODY_BYTES));
}

// The Worker's sender. A Worker cannot resolve names itself, so only the
// literal target is checked (every spelling of a private address, as
// functions/domain/webhooks/targets.ts reads them); what a name resolves
// to is Cloudflare's fetch's business, which does not reach private
// networks from a Worker. Redirects are never followed: a 3xx is the answer.
export function fetchSender(options: SenderOptions & { fetch?: typeof fetch } = {}): WebhookSender {
  const send = options.fetch ?? fetch;
  return async ({ url, headers, body }) => {
    refuseUnlessPublic(url, options);
    const res = await send(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS) });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await boundedText(res.body) };
  };
}
