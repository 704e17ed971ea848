import { concatBytes, constantTimeEqual, fromBase64, fromHex } from '../bytes';

// Whether an inbound webhook request comes from the sender it claims,
// checked the way each sender signs, on the body's raw bytes. Every
// signature comparison is constant-time: HMACs through constantTimeEqual,
// ECDSA by Web Crypto, credentials by comparing digests. A source has one
// or more secrets (the current one, and during a rotation's grace period
// the previous one); the verdict says which one matched.

export const SOURCE_KINDS = ['standard', 'svix', 'postmark', 'sendgrid', 'mailgun', 'hmac'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
// A form tool that signs its own way: the body's HMAC in a header, as hex
// or base64, maybe after a prefix such as "sha256=".
export type HmacScheme = { header: string; algorithm: (typeof HMAC_ALGORITHMS)[number]; encoding: 'hex' | 'base64'; prefix: string };

export type Inbound = { headers: Headers; body: Uint8Array; now: number };

// Why a request was refused, for the logs and the tests; the sender only
// ever hears that it was not verified.
export type Failure = 'unsigned' | 'malformed' | 'stale' | 'forged';
export type Verdict = { ok: true; secret: number; eventId: string | null } | { ok: false; failure: Failure };

// Senders that timestamp what they sign are believed for five minutes
// either way of our clock (Standard Webhooks' recommendation).
export const TOLERANCE_MS = 5 * 60_000;

const utf8 = new TextEncoder();
const refused = (failure: Failure): Verdict => ({ ok: false, failure });

const WEB_CRYPTO_HASH = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' } as const;
type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

// How the HMACs and SHA-256 digests are computed. Web Crypto by default, as
// every runtime has it; a host may pass a cheaper one (on Node a Web Crypto
// HMAC costs ~0.1 ms against node:crypto's few µs: services/webhooks/mac.ts).
// Kept out of this file so the web app, which reads its lists, bundles no
// node:crypto.
export type MacCrypto = {
  hmac(algorithm: HmacAlgorithm, key: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array>;
  sha256(data: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array>;
};

// Imported keys, kept: on Node importing one costs as much as the HMAC.
// Bounded, as the secrets of every source a process hears from pass here.
const importedKeys = new Map<string, Promise<CryptoKey>>();
const MAX_IMPORTED_KEYS = 1_000;

function importedKey(algorithm: HmacAlgorithm, key: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const name = `${algorithm}:${key.join(',')}`;
  let imported = importedKeys.get(name);
  if (!imported) {
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear();
    imported = crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: WEB_CRYPTO_HASH[algorithm] }, false, ['sign']);
    imported.catch(() => importedKeys.delete(name));
    importedKeys.set(name, imported);
  }
  return imported;
}

export const webCrypto: MacCrypto = {
  hmac: async (algorithm, key, data) => new Uint8Array(await crypto.subtle.sign('HMAC', await importedKey(algorithm, key), data)),
  sha256: async (data) => new Uint8Array(await crypto.subtle.digest('SHA-256', data)),
};

// Seconds since the epoch, as the senders write them, within tolerance.
function fresh(seconds: string | null | undefined, now: number): Failure | null {
  if (!seconds) return 'unsigned';
  if (!/^\d{1,12}$/.test(seconds)) return 'malformed';
  return Math.abs(Number(seconds) * 1000 - now) > TOLERANCE_MS ? 'stale' : null;
}

// The first secret whose HMAC of `data` equals one of `signatures`.
async function matchHmac(
  hashes: MacCrypto,
  algorithm: HmacAlgorithm,
  keys: (Uint8Array<ArrayBuffer> | null)[],
  data: Uint8Array<ArrayBuffer>,
  signatures: Uint8Array[],
): Promise<number | null> {
  for (const [i, key] of keys.entries()) {
    if (!key) continue;
    const computed = await hashes.hmac(algorithm, key, data);
    if (signatures.some((s) => constantTimeEqual(computed, s))) return i;
  }
  return null;
}

// Standard Webhooks (standardwebhooks.com), and Svix, which is the same
// scheme under svix-* headers: "v1,<base64 HMAC-SHA256>" entries, space
// separated, over "<id>.<timestamp>.<body>", keyed by the secret's bytes
// after "whsec_".
async function verifyStandard(prefix: 'webhook' | 'svix', secrets: string[], { headers, body, now }: Inbound, hashes: MacCrypto): Promise<Verdict> {
  const id = headers.get(`${prefix}-id`);
  const timestamp = headers.get(`${prefix}-timestamp`);
  const header = headers.get(`${prefix}-signature`);
  if (!id || !header) return refused('unsigned');
  const stale = fresh(timestamp, now);
  if (stale) return refused(stale);
  const signatures = header.split(' ').flatMap((entry) => {
    const [version, value] = entry.split(',', 2);
    const bytes = version === 'v1' && value ? fromBase64(value) : null;
    return bytes ? [bytes] : [];
  });
  if (!signatures.length) return refused('malformed');
  const keys = secrets.map((s) => fromBase64(s.startsWith('whsec_') ? s.slice('whsec_'.length) : s));
  const matched = await matchHmac(hashes, 'sha256', keys, concatBytes(utf8.encode(`${id}.${timestamp}.`), body), signatures);
  return matched === null ? refused('forged') : { ok: true, secret: matched, eventId: id };
}

// Mailgun signs inside the body: signature.{timestamp, token, signature},
// the hex HMAC-SHA256 of timestamp + token under the webhook signing key.
async function verifyMailgun(secrets: string[], { body, now }: Inbound, hashes: MacCrypto): Promise<Verdict> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return refused('malformed');
  }
  const signature = (parsed as { signature?: Record<string, unknown> } | null)?.signature;
  const { timestamp, token, signature: hex } = signature ?? {};
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof hex !== 'string') return refused('unsigned');
  const stale = fresh(timestamp, now);
  if (stale) return refused(stale);
  const mac = fromHex(hex);
  if (!mac) return refused('malformed');
  const matched = await matchHmac(hashes, 'sha256', secrets.map((s) => utf8.encode(s)), utf8.encode(timestamp + token), [mac]);
  return matched === null ? refused('forged') : { ok: true, secret: matched, eventId: null };
}

// SendGrid's signed event webhook: an ECDSA P-256 / SHA-256 signature
// (base64, DER) over timestamp + body, checked with the public key SendGrid
// shows (base64 DER SubjectPublicKeyInfo).
async function verifySendgrid(publicKeys: string[], { headers, body, now }: Inbound): Promise<Verdict> {
  const header = headers.get('x-twilio-email-event-webhook-signature');
  const timestamp = headers.get('x-twilio-email-event-webhook-timestamp');
  if (!header) return refused('unsigned');
  const stale = fresh(timestamp, now);
  if (stale) return refused(stale);
  const der = fromBase64(header);
  const signature = der && derToP1363(der, 32);
  if (!signature) return refused('malformed');
  const data = concatBytes(utf8.encode(timestamp!), body);
  for (const [i, text] of publicKeys.entries()) {
    const spki = fromBase64(text);
    if (!spki) continue;
    try {
      const key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      if (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, data)) return { ok: true, secret: i, eventId: null };
    } catch {
      // A key that is not a P-256 public key verifies nothing.
    }
  }
  return refused('forged');
}

// An ASN.1 DER ECDSA signature (SEQUENCE of two INTEGERs) as the r || s
// Web Crypto verifies; null if it is not one.
export function derToP1363(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | null {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(2 * size);
  let at = 2;
  for (const half of [0, 1]) {
    if (der[at] !== 0x02) return null;
    const length = der[at + 1]!;
    let value = der.subarray(at + 2, at + 2 + length);
    if (value.length !== length || length === 0) return null;
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) return null;
    out.set(value, half * size + size - value.length);
    at += 2 + length;
  }
  return at === der.length ? out : null;
}

// Postmark signs nothing: its webhook URL carries basic-auth credentials
// ("user:password"), compared as SHA-256 digests so neither their length
// nor their content shows in the time taken.
async function verifyBasic(credentials: string[], { headers }: Inbound, hashes: MacCrypto): Promise<Verdict> {
  const header = headers.get('authorization');
  const match = header?.match(/^Basic\s+(\S+)$/i);
  if (!match) return refused('unsigned');
  const sent = fromBase64(match[1]!);
  if (!sent) return refused('malformed');
  const given = await hashes.sha256(sent);
  for (const [i, expected] of credentials.entries()) {
    if (constantTimeEqual(given, await hashes.sha256(utf8.encode(expected)))) return { ok: true, secret: i, eventId: null };
  }
  return refused('forged');
}

// The configurable kind: HMAC of the body alone (such tools sign no
// timestamp, so a replay is caught by the event's id instead).
async function verifyHmac(scheme: HmacScheme, secrets: string[], { headers, body }: Inbound, hashes: MacCrypto): Promise<Verdict> {
  const header = headers.get(scheme.header)?.trim();
  if (!header) return refused('unsigned');
  const prefixed = scheme.prefix ? header.toLowerCase().startsWith(scheme.prefix.toLowerCase()) : true;
  if (!prefixed) return refused('malformed');
  const value = header.slice(scheme.prefix.length);
  const mac = scheme.encoding === 'hex' ? fromHex(value) : fromBase64(value);
  if (!mac) return refused('malformed');
  const matched = await matchHmac(hashes, scheme.algorithm, secrets.map((s) => utf8.encode(s)), new Uint8Array(body), [mac]);
  return matched === null ? refused('forged') : { ok: true, secret: matched, eventId: null };
}

export type SourceAuth = { kind: SourceKind; secrets: string[]; hmac?: HmacScheme };

export function verifyInbound(source: SourceAuth, request: Inbound, hashes: MacCrypto = webCrypto): Promise<Verdict> {
  const secrets = source.secrets.filter(Boolean);
  if (!secrets.length) return Promise.resolve(refused('forged'));
  switch (source.kind) {
    case 'standard':
      return verifyStandard('webhook', secrets, request, hashes);
    case 'svix':
      return verifyStandard('svix', secrets, request, hashes);
    case 'mailgun':
      return verifyMailgun(secrets, request, hashes);
    case 'sendgrid':
      return verifySendgrid(secrets, request);
    case 'postmark':
      return verifyBasic(secrets, request, hashes);
    case 'hmac':
      return source.hmac ? verifyHmac(source.hmac, secrets, request, hashes) : Promise.resolve(refused('forged'));
  }
}
