import { fromBase64, toBase64 } from '../bytes';

// Signing what Relate sends, per Standard Webhooks
// (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md):
// the HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" under the
// secret's bytes (whsec_ + base64), as "v1,<base64>"; several signatures
// are separated by spaces, which is how a receiver keeps verifying while a
// secret is rotated.

const utf8 = new TextEncoder();

export const secretBytes = (secret: string) => fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);

export function newSigningSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(24)))}`;
}

async function signature(secret: string, content: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = secretBytes(secret);
  if (!key) throw new Error('Not a whsec_ secret');
  const imported = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', imported, content)))}`;
}

// The three headers of one attempt. The timestamp is the attempt's own
// (receivers refuse old ones); the id is the delivery's, the same on every
// attempt, so a receiver can drop a duplicate.
export async function signedHeaders(input: { id: string; at: number; body: string; secrets: string[] }): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(input.at / 1000));
  const content = utf8.encode(`${input.id}.${timestamp}.${input.body}`);
  const signatures = await Promise.all(input.secrets.map((secret) => signature(secret, content)));
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
