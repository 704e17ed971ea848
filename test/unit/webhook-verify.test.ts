import { createHmac, generateKeyPairSync, sign as signWithKey } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex } from '../../functions/domain/bytes';
import { derToP1363, TOLERANCE_MS, verifyInbound, type HmacScheme, type Inbound, type SourceAuth } from '../../functions/domain/webhooks/verify';

// Inbound webhook verification (functions/domain/webhooks/verify.ts)
// against requests signed by the senders' own npm libraries where they
// publish one (standardwebhooks, svix; SendGrid's helper checks our
// ECDSA test signer), and by node:crypto where they do not.

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const utf8 = (text: string) => new TextEncoder().encode(text);

const request = (headers: Record<string, string>, body: string | Uint8Array, now = NOW): Inbound => ({
  headers: new Headers(headers),
  body: typeof body === 'string' ? utf8(body) : body,
  now,
});

function standardSigned(body: string, { secret = SECRET, id = 'msg_2Ab', at = NOW, prefix = 'webhook' } = {}) {
  const signer = prefix === 'svix' ? new SvixWebhook(secret) : new StandardWebhook(secret);
  const signature = signer.sign(id, new Date(at), body);
  return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: String(Math.floor(at / 1000)), [`${prefix}-signature`]: signature };
}

describe('Standard Webhooks and Svix', () => {
  const standard: SourceAuth = { kind: 'standard', secrets: [SECRET] };
  const body = '{"type":"form.submitted","data":{"email":"ada@example.com"}}';

  it('accepts what the standardwebhooks and svix libraries sign, naming the event id', async () => {
    expect(await verifyInbound(standard, request(standardSigned(body), body))).toEqual({ ok: true, secret: 0, eventId: 'msg_2Ab' });
    const svix: SourceAuth = { kind: 'svix', secrets: [SECRET] };
    expect(await verifyInbound(svix, request(standardSigned(body, { prefix: 'svix' }), body))).toEqual({ ok: true, secret: 0, eventId: 'msg_2Ab' });
    // Each kind reads its own headers only.
    expect(await verifyInbound(svix, request(standardSigned(body), body))).toEqual({ ok: false, failure: 'unsigned' });
  });

  it('takes the old secret during a rotation, and any of several signatures in the header', async () => {
    const rotated: SourceAuth = { kind: 'standard', secrets: [OTHER_SECRET, SECRET] };
    expect(await verifyInbound(rotated, request(standardSigned(body), body))).toMatchObject({ ok: true, secret: 1 });
    const headers = standardSigned(body);
    headers['webhook-signature'] = `v1,${Buffer.alloc(32).toString('base64')} v2,abc ${headers['webhook-signature']}`;
    expect(await verifyInbound(standard, request(headers, body))).toMatchObject({ ok: true, secret: 0 });
  });

  it('refuses a changed body, a wrong secret, an old or future timestamp and missing headers', async () => {
    expect(await verifyInbound(standard, request(standardSigned(body), `${body} `))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(standard, request(standardSigned(body, { secret: OTHER_SECRET }), body))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(standard, request(standardSigned(body, { at: NOW - TOLERANCE_MS - 1000 }), body))).toEqual({ ok: false, failure: 'stale' });
    expect(await verifyInbound(standard, request(standardSigned(body, { at: NOW + TOLERANCE_MS + 1000 }), body))).toEqual({ ok: false, failure: 'stale' });
    expect(await verifyInbound(standard, request(standardSigned(body, { at: NOW - TOLERANCE_MS + 1000 }), body))).toMatchObject({ ok: true });
    const { 'webhook-signature': _, ...unsigned } = standardSigned(body);
    expect(await verifyInbound(standard, request(unsigned, body))).toEqual({ ok: false, failure: 'unsigned' });
    expect(await verifyInbound(standard, request({ ...standardSigned(body), 'webhook-timestamp': '1e9' }, body))).toEqual({ ok: false, failure: 'malformed' });
    expect(await verifyInbound(standard, request({ ...standardSigned(body), 'webhook-signature': 'v1,%%%' }, body))).toEqual({ ok: false, failure: 'malformed' });
    expect(await verifyInbound({ kind: 'standard', secrets: [] }, request(standardSigned(body), body))).toEqual({ ok: false, failure: 'forged' });
  });

  it('refuses every flipped byte of the body and every other secret (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (bytes, at, flip) => {
        const text = Buffer.from(bytes).toString('latin1');
        const raw = Uint8Array.from(Buffer.from(text, 'utf8'));
        const headers = standardSigned(text);
        expect(await verifyInbound(standard, request(headers, raw))).toMatchObject({ ok: true });
        const tampered = Uint8Array.from(raw);
        tampered[at % tampered.length]! ^= flip;
        expect(await verifyInbound(standard, request(headers, tampered))).toEqual({ ok: false, failure: 'forged' });
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 32 }), async (key) => {
        const secret = `whsec_${Buffer.from(key).toString('base64')}`;
        fc.pre(secret !== SECRET);
        expect(await verifyInbound({ kind: 'standard', secrets: [secret] }, request(standardSigned(body), body))).toEqual({ ok: false, failure: 'forged' });
      }),
      { numRuns: 40 },
    );
  });
});

describe('SendGrid signed event webhook (ECDSA P-256)', () => {
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const source: SourceAuth = { kind: 'sendgrid', secrets: [publicKey] };
  const body = '[{"email":"ada@example.com","event":"bounce","type":"bounce","sg_event_id":"ZGVsaXZlcmVk","timestamp":1764500000}]\r\n';

  function signed(payload: string, at = NOW, key = keys.privateKey) {
    const timestamp = String(Math.floor(at / 1000));
    const signature = signWithKey('sha256', Buffer.from(timestamp + payload), key).toString('base64');
    return { 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp };
  }

  it('accepts what SendGrid’s own helper accepts, and nothing it refuses', async () => {
    const headers = signed(body);
    const helper = new EventWebhook();
    const ecdsa = helper.convertPublicKeyToECDSA(publicKey);
    expect(helper.verifySignature(ecdsa, body, headers['x-twilio-email-event-webhook-signature'], headers['x-twilio-email-event-webhook-timestamp'])).toBe(true);
    expect(await verifyInbound(source, request(headers, body))).toEqual({ ok: true, secret: 0, eventId: null });
    expect(helper.verifySignature(ecdsa, `${body} `, headers['x-twilio-email-event-webhook-signature'], headers['x-twilio-email-event-webhook-timestamp'])).toBe(false);
    expect(await verifyInbound(source, request(headers, `${body} `))).toEqual({ ok: false, failure: 'forged' });
  });

  it('refuses another key’s signature, a stale timestamp and a signature that is not DER', async () => {
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(await verifyInbound(source, request(signed(body, NOW, stranger), body))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request(signed(body, NOW - 10 * 60_000), body))).toEqual({ ok: false, failure: 'stale' });
    const headers = { ...signed(body), 'x-twilio-email-event-webhook-signature': Buffer.alloc(64, 1).toString('base64') };
    expect(await verifyInbound(source, request(headers, body))).toEqual({ ok: false, failure: 'malformed' });
    expect(await verifyInbound({ kind: 'sendgrid', secrets: ['not a key'] }, request(signed(body), body))).toEqual({ ok: false, failure: 'forged' });
  });

  it('reads DER signatures as the r || s Web Crypto verifies, short integers padded (property)', async () => {
    const key = await crypto.subtle.importKey('spki', Buffer.from(publicKey, 'base64'), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (data) => {
        const converted = derToP1363(signWithKey('sha256', data, keys.privateKey), 32);
        expect(converted).toHaveLength(64);
        expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, converted!, data)).toBe(true);
      }),
      { numRuns: 50 },
    );
    expect(derToP1363(Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]), 32)).toEqual(
      Uint8Array.from([...Array(31).fill(0), 5, ...Array(31).fill(0), 7]),
    );
    expect(derToP1363(Uint8Array.from([0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07, 0x00]), 32)).toBeNull();
  });
});

describe('Mailgun', () => {
  const key = 'key-4e0b1b5a8a5d1c4f';
  const source: SourceAuth = { kind: 'mailgun', secrets: [key] };
  const payload = (timestamp: string, token: string, signature: string) =>
    JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': { id: 'CPgfbmQMTCKtHW6uIWtuVe', event: 'failed', severity: 'permanent', recipient: 'ada@example.com' } });
  const signedBody = (at = NOW, secret = key) => {
    const timestamp = String(Math.floor(at / 1000));
    const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';
    return payload(timestamp, token, createHmac('sha256', secret).update(timestamp + token).digest('hex'));
  };

  it('accepts the HMAC of timestamp and token, and refuses another key, a stale one and a body without a signature', async () => {
    expect(await verifyInbound(source, request({}, signedBody()))).toEqual({ ok: true, secret: 0, eventId: null });
    expect(await verifyInbound(source, request({}, signedBody(NOW, 'key-other')))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request({}, signedBody(NOW - 6 * 60_000)))).toEqual({ ok: false, failure: 'stale' });
    expect(await verifyInbound(source, request({}, '{"event-data":{}}'))).toEqual({ ok: false, failure: 'unsigned' });
    expect(await verifyInbound(source, request({}, '{not json'))).toEqual({ ok: false, failure: 'malformed' });
    expect(await verifyInbound(source, request({}, Uint8Array.from([0xff, 0xfe, 0x7b])))).toEqual({ ok: false, failure: 'malformed' });
  });
});

describe('Postmark (basic auth in the webhook URL)', () => {
  const source: SourceAuth = { kind: 'postmark', secrets: ['relate:s3cret-Passw0rd'] };
  const basic = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials).toString('base64')}` });

  it('accepts its credentials and refuses others, none or a header that is not basic auth', async () => {
    expect(await verifyInbound(source, request(basic('relate:s3cret-Passw0rd'), '{}'))).toEqual({ ok: true, secret: 0, eventId: null });
    expect(await verifyInbound(source, request(basic('relate:s3cret-Passw0rD'), '{}'))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request(basic('relate:s3cret-Passw0rd '), '{}'))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request({}, '{}'))).toEqual({ ok: false, failure: 'unsigned' });
    expect(await verifyInbound(source, request({ authorization: 'Bearer abc' }, '{}'))).toEqual({ ok: false, failure: 'unsigned' });
  });
});

describe('the configurable HMAC kind', () => {
  const body = 'name=Ada&email=ada%40example.com';
  const cases: { scheme: HmacScheme; sign: (secret: string) => string }[] = [
    { scheme: { header: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' }, sign: (s) => `sha256=${createHmac('sha256', s).update(body).digest('hex')}` },
    { scheme: { header: 'X-Signature', algorithm: 'sha1', encoding: 'base64', prefix: '' }, sign: (s) => createHmac('sha1', s).update(body).digest('base64') },
    { scheme: { header: 'X-Form-Signature', algorithm: 'sha512', encoding: 'hex', prefix: '' }, sign: (s) => createHmac('sha512', s).update(body).digest('hex').toUpperCase() },
  ];

  it.each(cases)('checks $scheme.header ($scheme.algorithm, $scheme.encoding)', async ({ scheme, sign }) => {
    const source: SourceAuth = { kind: 'hmac', secrets: ['form-secret-1'], hmac: scheme };
    expect(await verifyInbound(source, request({ [scheme.header]: sign('form-secret-1') }, body))).toEqual({ ok: true, secret: 0, eventId: null });
    expect(await verifyInbound(source, request({ [scheme.header]: sign('form-secret-2') }, body))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request({ [scheme.header]: sign('form-secret-1') }, `${body}&x=1`))).toEqual({ ok: false, failure: 'forged' });
    expect(await verifyInbound(source, request({}, body))).toEqual({ ok: false, failure: 'unsigned' });
  });

  it('refuses a signature without the expected prefix', async () => {
    const { scheme, sign } = cases[0]!;
    const source: SourceAuth = { kind: 'hmac', secrets: ['form-secret-1'], hmac: scheme };
    expect(await verifyInbound(source, request({ [scheme.header]: sign('form-secret-1').slice('sha256='.length) }, body))).toEqual({ ok: false, failure: 'malformed' });
  });
});

describe('bytes from text sent by strangers', () => {
  it('reads base64 (standard or URL-safe, padded or not) and hex, and nothing else', () => {
    expect(fromBase64('+/8=')).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(fromBase64('-_8')).toEqual(Uint8Array.from([0xfb, 0xff]));
    for (const bad of ['a', '%%', 'ab c', 'abc=d']) expect(fromBase64(bad)).toBeNull();
    expect(fromHex('00Ff')).toEqual(Uint8Array.from([0, 255]));
    for (const bad of ['0', 'zz', '0x00']) expect(fromHex(bad)).toBeNull();
  });
});
