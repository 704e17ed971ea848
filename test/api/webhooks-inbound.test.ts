import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, webhookEvents } from '../../db/schema';
import { MAX_WEBHOOK_BODY_BYTES } from '../../functions/services/webhooks/ingest';
import { aMember, aTeammate, testApp, type TestApp } from '../fixtures/app';
import { created, expectErrorReply } from '../fixtures/requests';

// POST /webhooks/{source} and the sources behind it (Settings →
// Integrations): what verifies is stored once and queued; what does not
// leaves nothing behind and hears only "not verified".

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;

async function aSource(m: Member, body: Record<string, unknown> = { name: 'Website forms', kind: 'standard' }) {
  return created(m.caller.post('/api/webhook-sources', body));
}

const post = (sourceId: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
  t.app.request(`http://localhost/webhooks/${sourceId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body as BodyInit });

function signed(secret: string, body: string, { id = `msg_${Math.random().toString(36).slice(2)}`, at = t.clock.now, svix = false } = {}) {
  const prefix = svix ? 'svix' : 'webhook';
  const signature = (svix ? new SvixWebhook(secret) : new StandardWebhook(secret)).sign(id, new Date(at), body);
  return { [`${prefix}-id`]: id, [`${prefix}-timestamp`]: String(Math.floor(at / 1000)), [`${prefix}-signature`]: signature };
}

const rowsOf = (sourceId: string) => t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, sourceId));
const queued = () => t.sent.filter((s) => s.queue === 'events').map((s) => s.body);

const FORM = JSON.stringify({ type: 'form.submitted', data: { email: 'ada@example.com', first_name: 'Ada' } });

describe('webhook sources', () => {
  it('makes a source with a secret shown once, its URL, and audits it', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    expect(source).toMatchObject({ kind: 'standard', enabled: true, url: `http://localhost:8787/webhooks/${source.id}`, mapping: {} });
    expect(source.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(source.secretHint).toBe(`…${source.secret.slice(-4)}`);
    const read = (await m.caller.get(`/api/webhook-sources/${source.id}`)).json;
    expect(read.secret).toBeUndefined();
    expect((await m.caller.get('/api/webhook-sources')).json.data.map((s: { id: string }) => s.id)).toEqual([source.id]);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'webhook-source'), eq(auditLog.entityId, source.id)));
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(JSON.stringify(audit)).not.toContain(source.secret);
  });

  it('checks a pasted secret as its kind will use it', async () => {
    const m = await aMember(t.app);
    expectErrorReply(await m.caller.post('/api/webhook-sources', { name: 'SendGrid', kind: 'sendgrid' }), 400, 'invalid_request');
    expectErrorReply(await m.caller.post('/api/webhook-sources', { name: 'SendGrid', kind: 'sendgrid', secret: 'bm90IGEga2V5IGF0IGFsbA==' }), 422, 'invalid');
    expectErrorReply(await m.caller.post('/api/webhook-sources', { name: 'Std', kind: 'standard', secret: 'whsec_short' }), 422, 'invalid');
    expectErrorReply(await m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'hmac' }), 400, 'invalid_request');
    expectErrorReply(await m.caller.post('/api/webhook-sources', { name: 'Postmark', kind: 'postmark', secret: 'no-colon-here' }), 422, 'invalid');
    const mailgun = await aSource(m, { name: 'Mailgun', kind: 'mailgun', secret: 'key-4e0b1b5a8a5d1c4f' });
    expect(mailgun.secret).toBe('key-4e0b1b5a8a5d1c4f');
    expect((await m.caller.get('/api/webhook-sources')).json.data).toHaveLength(1);
  });

  it('is for owners, admins and marketing only', async () => {
    const m = await aMember(t.app);
    const sales = await aTeammate(t.app, m, 'sales');
    expectErrorReply(await sales.caller.get('/api/webhook-sources'), 403, 'forbidden');
    const marketing = await aTeammate(t.app, m, 'marketing');
    expect((await marketing.caller.get('/api/webhook-sources')).status).toBe(200);
  });
});

describe('POST /webhooks/{source}', () => {
  it('stores a verified request once, queues it, and answers a resend as a duplicate', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    const headers = signed(source.secret, FORM, { id: 'msg_first' });
    const before = queued().length;
    const res = await post(source.id, FORM, headers);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: string; duplicate: boolean };
    expect(answer.duplicate).toBe(false);
    const [row] = await rowsOf(source.id);
    expect(row).toMatchObject({ id: answer.id, workspaceId: m.workspaceId, eventKey: 'msg_first', body: FORM, status: 'pending', verifiedWith: 0, type: 'form', kind: 'standard' });
    expect(row!.headers['webhook-id']).toBe('msg_first');
    expect(queued().slice(before)).toEqual([{ type: 'webhook-event', workspaceId: m.workspaceId, eventId: answer.id }]);

    const again = await post(source.id, FORM, headers);
    expect(await again.json()).toEqual({ id: answer.id, duplicate: true });
    expect(await rowsOf(source.id)).toHaveLength(1);
  });

  it('refuses forged, stale, unsigned and unknown-source requests alike, keeping nothing', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    const other = await aSource(m, { name: 'Other', kind: 'standard' });
    const attempts = [
      post(source.id, FORM, signed(other.secret, FORM)),
      post(source.id, FORM, signed(source.secret, FORM, { at: t.clock.now - 6 * 60_000 })),
      post(source.id, FORM, signed(source.secret, FORM, { at: t.clock.now + 6 * 60_000 })),
      post(source.id, FORM),
      post(source.id, `${FORM} `, signed(source.secret, FORM)),
      post(source.id, FORM, signed(source.secret, FORM, { svix: true })),
      post('whs_01KXBCCH0Q0YNJHRX8XWNAYB1G', FORM, signed(source.secret, FORM)),
      post('not-an-id', FORM, signed(source.secret, FORM)),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe('The request could not be verified');
    }
    expect(await rowsOf(source.id)).toEqual([]);
  });

  it('refuses a body over the limit before reading it, and a verified body that is not JSON or form fields', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    const big = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1);
    expect((await post(source.id, big, signed(source.secret, big))).status).toBe(413);
    const text = 'hello';
    expect((await post(source.id, text, signed(source.secret, text))).status).toBe(400);
    expect(await rowsOf(source.id)).toEqual([]);
  });

  it('takes the previous secret during the grace period of a rotation, and not after', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    const rotated = await created(m.caller.post(`/api/webhook-sources/${source.id}/rotate-secret`, { graceHours: 1 }));
    expect(rotated.secret).not.toBe(source.secret);
    expect(rotated.previousSecretUntil).toBe(new Date(t.clock.now + 3_600_000).toISOString());
    const old = await post(source.id, FORM, signed(source.secret, FORM, { id: 'msg_old' }));
    expect(old.status).toBe(200);
    expect((await post(source.id, FORM, signed(rotated.secret, FORM, { id: 'msg_new' }))).status).toBe(200);
    const rows = await rowsOf(source.id);
    expect(rows.map((r) => [r.eventKey, r.verifiedWith]).sort()).toEqual([['msg_new', 0], ['msg_old', 1]]);

    t.clock.now += 3_600_001;
    expect((await post(source.id, FORM, signed(source.secret, FORM, { id: 'msg_late' }))).status).toBe(401);
    expect((await m.caller.get(`/api/webhook-sources/${source.id}`)).json.previousSecretUntil).toBeNull();
  });

  it('refuses everything once the source is off or removed', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: false }));
    expect((await post(source.id, FORM, signed(source.secret, FORM))).status).toBe(401);
    await created(m.caller.patch(`/api/webhook-sources/${source.id}`, { enabled: true }));
    expect((await post(source.id, FORM, signed(source.secret, FORM))).status).toBe(200);
    expect((await m.caller.delete(`/api/webhook-sources/${source.id}`)).status).toBe(204);
    expect((await post(source.id, FORM, signed(source.secret, FORM))).status).toBe(401);
    expect(await rowsOf(source.id)).toHaveLength(1);
  });

  it('keeps no row for any flipped byte of a signed body (property)', async () => {
    const m = await aMember(t.app);
    const source = await aSource(m);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const body = new TextEncoder().encode(FORM);
        const headers = signed(source.secret, FORM);
        body[at % body.length]! ^= flip;
        expect((await post(source.id, body, headers)).status).toBe(401);
      }),
      { numRuns: 40 },
    );
    expect(await rowsOf(source.id)).toEqual([]);
  });
});
