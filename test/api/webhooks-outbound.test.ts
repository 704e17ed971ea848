import { and, eq, min } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, webhookAttempts, webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import { runEvents } from '../../functions/jobs/events';
import { runMaintenance } from '../../functions/jobs/maintenance';
import { runWebhooksOut } from '../../functions/jobs/webhooks-out';
import { nodeSender } from '../../functions/node/webhook-sender';
import { sweepDueDeliveries } from '../../functions/services/webhooks/deliver';
import type { WebhookSender } from '../../functions/services/webhooks/sender';
import { aContact, aMember, aTeammate, testApp, type TestApp } from '../fixtures/app';
import { created, expectErrorReply } from '../fixtures/requests';
import { aReceiver, verified, type Answer, type Received } from '../fixtures/webhook-receiver';

// Outbound webhooks: what a workspace's writes owe its subscriptions (one
// delivery per matching subscription, written with the write), sent signed
// per Standard Webhooks to real receivers on 127.0.0.1, retried on a
// schedule, logged, and turned off when the receiver is gone.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const receivers: { close(): Promise<void> }[] = [];
// Each test sends only what it wrote: messages left by another (to
// addresses that resolve nowhere here) are dropped.
afterEach(async () => {
  t.sent.length = 0;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

type Member = Awaited<ReturnType<typeof aMember>>;

async function receiver(answer?: (request: Received, nth: number) => Answer) {
  const r = await aReceiver(answer);
  receivers.push(r);
  return r;
}

const localSender = nodeSender({ allowLoopback: true, timeoutMs: 300 });

// Runs the webhooks-out messages sent so far (and those they send), as the
// queue would; a retry's message is not due until the clock reaches it.
async function drainOut(send: WebhookSender = localSender) {
  const deps = { db: t.db, now: () => t.clock.now, queues: t.deps.queues, sendWebhook: send };
  for (let i = t.sent.findIndex((s) => s.queue === 'webhooks-out'); i !== -1; i = t.sent.findIndex((s) => s.queue === 'webhooks-out')) {
    const [message] = t.sent.splice(i, 1);
    await runWebhooksOut(deps, message!.body);
  }
}

// Moves the clock past the next pending attempt of the workspace, lets the
// five-minute sweep find it, and sends.
async function nextRound(m: Member, send: WebhookSender = localSender) {
  const [row] = await t.db.select({ at: min(webhookDeliveries.nextAttemptAt) }).from(webhookDeliveries).where(and(eq(webhookDeliveries.workspaceId, m.workspaceId), eq(webhookDeliveries.status, 'pending')));
  if (row?.at == null) return false;
  t.clock.now = Math.max(t.clock.now, row.at + 61_000);
  await sweepDueDeliveries({ db: t.db, now: () => t.clock.now, queues: t.deps.queues });
  await drainOut(send);
  return true;
}

const subscribe = (m: Member, url: string, eventTypes: string[], description = 'Zapier') =>
  created(m.caller.post('/api/webhook-subscriptions', { url, eventTypes, description }));

const deliveriesOf = (subscriptionId: string) => t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId));
const typesOf = (received: Received[]) => received.map((r) => (JSON.parse(r.body) as { type: string }).type);

describe('webhook subscriptions', () => {
  it('makes a subscription with a whsec_ secret shown once, lists and audits it without the secret', async () => {
    const m = await aMember(t.app);
    const sub = await subscribe(m, 'https://hooks.example.com/relate', ['contact.created']);
    expect(sub).toMatchObject({ url: 'https://hooks.example.com/relate', eventTypes: ['contact.created'], enabled: true, lastDelivery: null, description: 'Zapier' });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect((await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json.secret).toBeUndefined();
    expect((await m.caller.get('/api/webhook-subscriptions')).json.data.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    const patched = await m.caller.patch(`/api/webhook-subscriptions/${sub.id}`, { eventTypes: ['contact.created', 'company.deleted'], description: 'CRM sync' });
    expect(patched.json).toMatchObject({ eventTypes: ['contact.created', 'company.deleted'], description: 'CRM sync' });
    const rotated = await created(m.caller.post(`/api/webhook-subscriptions/${sub.id}/rotate-secret`, { graceHours: 2 }));
    expect(rotated.secret).not.toBe(sub.secret);
    expect(rotated.previousSecretUntil).toBe(new Date(t.clock.now + 2 * 3_600_000).toISOString());
    expect((await m.caller.delete(`/api/webhook-subscriptions/${sub.id}`)).status).toBe(204);
    expectErrorReply(await m.caller.get(`/api/webhook-subscriptions/${sub.id}`), 404, 'not_found');
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'webhook-subscription'), eq(auditLog.entityId, sub.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'delete', 'rotate-secret', 'update']);
    expect(JSON.stringify(audit)).not.toContain(sub.secret.slice(6));
    expect(JSON.stringify(audit)).not.toContain(rotated.secret.slice(6));
  });

  it('serves the catalogue of event types', async () => {
    const m = await aMember(t.app);
    const { data } = (await m.caller.get('/api/webhook-subscriptions/event-types')).json;
    expect(data.map((e: { type: string }) => e.type)).toContain('lead.captured');
    expect(data.every((e: { description: string }) => e.description.length > 0)).toBe(true);
  });

  it('refuses targets inside a private network in any spelling, and loopback without the setting', async () => {
    const m = await aMember(t.app);
    const refusedUrls = ['http://10.0.0.7/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:10.0.0.1]/', 'http://0x0a.1/', 'http://167772161/', 'http://[fd00::1]/', 'http://100.64.0.1/', 'ftp://files.example.com/', 'http://printer.local/', 'https://user:pw@hooks.example.com/'];
    for (const url of refusedUrls) expectErrorReply(await m.caller.post('/api/webhook-subscriptions', { url, eventTypes: ['contact.created'] }), 422, 'invalid');
    t.deps.config.webhooksAllowLoopback = false;
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://[::ffff:127.0.0.1]/', 'http://0x7f.1/', 'http://2130706433/', 'http://[::1]/']) expectErrorReply(await m.caller.post('/api/webhook-subscriptions', { url, eventTypes: ['contact.created'] }), 422, 'invalid');
    } finally {
      t.deps.config.webhooksAllowLoopback = true;
    }
    expect((await m.caller.get('/api/webhook-subscriptions')).json.data).toEqual([]);
  });

  it('holds a workspace to 20 subscriptions', async () => {
    const m = await aMember(t.app);
    for (let i = 0; i < 20; i++) await subscribe(m, `https://hooks.example.com/${i}`, ['contact.created']);
    expectErrorReply(await m.caller.post('/api/webhook-subscriptions', { url: 'https://hooks.example.com/21', eventTypes: ['contact.created'] }), 422, 'invalid');
  });

  it('is for owners, admins and marketing only', async () => {
    const m = await aMember(t.app);
    const sales = await aTeammate(t.app, m, 'sales');
    expectErrorReply(await sales.caller.get('/api/webhook-subscriptions'), 403, 'forbidden');
    expectErrorReply(await sales.caller.get('/api/webhook-deliveries'), 403, 'forbidden');
  });
});

describe('what writes owe the subscriptions', () => {
  it('a contact created, changed and deleted and a company written each make one delivery per matching subscription, and none elsewhere', async () => {
    const m = await aMember(t.app);
    const other = await aMember(t.app);
    const r = await receiver();
    const all = await subscribe(m, r.url, ['contact.created', 'contact.updated', 'contact.deleted', 'company.created', 'company.updated', 'company.deleted']);
    const companiesOnly = await subscribe(m, r.url, ['company.created']);
    const elsewhere = await subscribe(other, r.url, ['contact.created', 'company.created']);

    const contact = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Grace', lastName: 'Hopper' })));
    expect((await m.caller.patch(`/api/contacts/${contact.id}`, { jobTitle: 'Rear Admiral' })).status).toBe(200);
    expect((await m.caller.delete(`/api/contacts/${contact.id}`)).status).toBe(204);
    const company = await created(m.caller.post('/api/companies', { name: 'Eckert–Mauchly' }));
    expect((await m.caller.patch(`/api/companies/${company.id}`, { industry: 'Computing' })).status).toBe(200);

    expect((await deliveriesOf(all.id)).map((d) => d.eventType).sort()).toEqual(['company.created', 'company.updated', 'contact.created', 'contact.deleted', 'contact.updated']);
    expect((await deliveriesOf(companiesOnly.id)).map((d) => d.eventType)).toEqual(['company.created']);
    expect(await deliveriesOf(elsewhere.id)).toEqual([]);

    await drainOut();
    expect(r.received).toHaveLength(6);
    const forAll = r.received.filter((req) => verifiedOrNull(all.secret, req));
    expect(typesOf(forAll)).toEqual(['contact.created', 'contact.updated', 'contact.deleted', 'company.created', 'company.updated']);
    const [createdBody, updatedBody, deletedBody] = forAll.map((req) => verified(all.secret, req) as { type: string; timestamp: string; data: Record<string, unknown> });
    expect(createdBody!.data).toEqual({ ...contact, deletedAt: null });
    expect(updatedBody!.data).toMatchObject({ id: contact.id, jobTitle: 'Rear Admiral' });
    expect(deletedBody!.data).toEqual({ id: contact.id, name: 'Grace Hopper' });
    expect(createdBody!.timestamp).toBe(new Date(t.clock.now).toISOString());
    expect(typesOf(r.received.filter((req) => verifiedOrNull(companiesOnly.secret, req)))).toEqual(['company.created']);
    expect((await deliveriesOf(all.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
    const listed = (await m.caller.get('/api/webhook-subscriptions')).json.data.find((s: { id: string }) => s.id === all.id);
    expect(listed.lastDelivery).toMatchObject({ status: 'delivered', lastStatus: 204 });
  });

  it('restoring from the trash reports the record as created again', async () => {
    const m = await aMember(t.app);
    const r = await receiver();
    const sub = await subscribe(m, r.url, ['company.created', 'company.deleted']);
    const company = await created(m.caller.post('/api/companies', { name: 'Analytical Engines' }));
    await m.caller.delete(`/api/companies/${company.id}`);
    expect((await m.caller.post(`/api/companies/${company.id}/restore`)).status).toBe(200);
    expect((await deliveriesOf(sub.id)).map((d) => d.eventType)).toEqual(['company.created', 'company.deleted', 'company.created']);
  });

  it('bulk edits, bulk deletes and their Undo report each record they change, as single writes would', async () => {
    const m = await aMember(t.app);
    const sub = await subscribe(m, 'https://hooks.example.com/bulk', ['contact.updated', 'contact.deleted', 'contact.created']);
    const tagged = await created(m.caller.post('/api/contacts', aContact({ tags: ['vip'] })));
    const plain = await Promise.all([1, 2].map(() => created(m.caller.post('/api/contacts', aContact()))));
    const ids = [tagged.id, ...plain.map((c) => c.id)];
    t.clock.now += 1000;
    expect((await m.caller.post('/api/contacts/bulk', { selection: { ids }, action: { type: 'addTags', tags: ['vip'] } })).status).toBe(200);
    t.clock.now += 1000;
    const deleted = await m.caller.post('/api/contacts/bulk', { selection: { ids: plain.map((c) => c.id) }, action: { type: 'delete' } });
    t.clock.now += 1000;
    expect((await m.caller.post(`/api/bulk-operations/${deleted.json.id}/undo`)).status).toBe(200);
    const rows = (await deliveriesOf(sub.id)).sort((a, b) => a.createdAt - b.createdAt || a.eventType.localeCompare(b.eventType));
    const events = rows.map((d) => [d.eventType, JSON.parse(d.payload).data.id]);
    const plainIds = plain.map((c) => c.id).sort();
    expect(events.filter(([type]) => type === 'contact.updated').map(([, id]) => id).sort()).toEqual(plainIds);
    expect(events.filter(([type]) => type === 'contact.deleted').map(([, id]) => id).sort()).toEqual(plainIds);
    expect(events.filter(([type]) => type === 'contact.created').map(([, id]) => id).sort()).toEqual([...ids].sort().concat(plainIds).sort());
    const updated = JSON.parse(rows.find((d) => d.eventType === 'contact.updated')!.payload).data;
    expect(updated.tags).toContain('vip');
    expect(t.sent.filter((s) => s.queue === 'webhooks-out').length).toBeGreaterThan(0);
  });

  it('a write that is refused owes nothing', async () => {
    const m = await aMember(t.app);
    const sub = await subscribe(m, 'https://hooks.example.com/x', ['contact.created', 'contact.updated']);
    expectErrorReply(await m.caller.post('/api/contacts', { firstName: 'Ada', companyId: 'com_01KXBCCH0Q0YNJHRX8XWNAYB1G' }), 422);
    expectErrorReply(await m.caller.patch('/api/contacts/con_01KXBCCH0Q0YNJHRX8XWNAYB1G', { jobTitle: 'x' }), 404);
    expect(await deliveriesOf(sub.id)).toEqual([]);
  });

  it('a form fill that brings a new person is lead.captured, once however often it is applied', async () => {
    const m = await aMember(t.app);
    const r = await receiver();
    const sub = await subscribe(m, r.url, ['lead.captured', 'contact.created']);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Website forms', kind: 'standard' }));
    const body = JSON.stringify({ type: 'form.submitted', data: { email: 'new.lead@example.com', first_name: 'Nova' } });
    const headers = { 'webhook-id': 'msg_lead', 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign('msg_lead', new Date(t.clock.now), body) };
    const res = await t.app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const { id: eventId } = (await res.json()) as { id: string };
    const applyEvents = async () => {
      for (let i = t.sent.findIndex((s) => s.queue === 'events'); i !== -1; i = t.sent.findIndex((s) => s.queue === 'events')) {
        await runEvents({ db: t.db, now: () => t.clock.now, queues: t.deps.queues }, t.sent.splice(i, 1)[0]!.body);
      }
    };
    await applyEvents();
    await runEvents({ db: t.db, now: () => t.clock.now, queues: t.deps.queues }, { type: 'webhook-event', workspaceId: m.workspaceId, eventId, replay: true });
    expect((await deliveriesOf(sub.id)).map((d) => d.eventType).sort()).toEqual(['contact.created', 'lead.captured']);
    await drainOut();
    const lead = r.received.find((req) => typesOf([req])[0] === 'lead.captured')!;
    expect((verified(sub.secret, lead) as { data: { emails: { address: string }[] } }).data.emails[0]!.address).toBe('new.lead@example.com');
  });

  it('a hard bounce folded in is email.bounced, an unsubscribe contact.unsubscribed; a soft bounce is neither, and a resend owes nothing more', async () => {
    const m = await aMember(t.app);
    const sub = await subscribe(m, 'https://hooks.example.com/email', ['email.bounced', 'contact.unsubscribed']);
    const contact = await created(m.caller.post('/api/contacts', aContact({ emails: [{ address: 'gone@example.com' }] })));
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Postmark', kind: 'postmark' }));
    const auth = { authorization: `Basic ${Buffer.from(source.secret).toString('base64')}`, 'content-type': 'application/json' };
    const post = (payload: unknown) => t.app.request(`http://localhost/webhooks/${source.id}`, { method: 'POST', headers: auth, body: JSON.stringify(payload) });
    const hard = { RecordType: 'Bounce', ID: 1, Type: 'HardBounce', Email: 'Gone@Example.com', BouncedAt: '2026-11-20T10:00:00Z', Description: 'No such mailbox' };
    expect((await post(hard)).status).toBe(200);
    expect((await post({ ...hard, ID: 2, Type: 'SoftBounce' })).status).toBe(200);
    expect((await post({ RecordType: 'SubscriptionChange', MessageID: 'm-3', Recipient: 'leaver@example.com', SuppressSending: true, ChangedAt: '2026-11-20T11:00:00Z' })).status).toBe(200);
    for (let i = t.sent.findIndex((s) => s.queue === 'events'); i !== -1; i = t.sent.findIndex((s) => s.queue === 'events')) {
      await runEvents({ db: t.db, now: () => t.clock.now, queues: t.deps.queues }, t.sent.splice(i, 1)[0]!.body);
    }
    const rows = await deliveriesOf(sub.id);
    expect(rows.map((d) => d.eventType).sort()).toEqual(['contact.unsubscribed', 'email.bounced']);
    const bounced = JSON.parse(rows.find((d) => d.eventType === 'email.bounced')!.payload);
    expect(bounced.data).toMatchObject({ address: 'gone@example.com', at: '2026-11-20T10:00:00.000Z', contactIds: [contact.id] });
  });
});

function verifiedOrNull(secret: string, req: Received) {
  try {
    return verified(secret, req);
  } catch {
    return null;
  }
}

describe('sending', () => {
  it('a receiver that fails, times out, then recovers gets each delivery exactly as many times as it failed, plus one', async () => {
    const m = await aMember(t.app);
    const r = await receiver((_req, nth) => (nth === 1 ? 500 : nth === 2 ? 'hang' : 200));
    const sub = await subscribe(m, r.url, ['contact.created']);
    for (let i = 0; i < 3; i++) await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    let rounds = 0;
    while (await nextRound(m)) rounds += 1;
    expect(rounds).toBeGreaterThanOrEqual(2);
    const ids = (await deliveriesOf(sub.id)).map((d) => d.id);
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      const got = r.received.filter((req) => req.headers['webhook-id'] === id);
      expect(got).toHaveLength(3);
      for (const req of got) expect(verified(sub.secret, req)).toMatchObject({ type: 'contact.created' });
    }
    const rows = await deliveriesOf(sub.id);
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 3)).toBe(true);
    const detail = (await m.caller.get(`/api/webhook-deliveries/${ids[0]}`)).json;
    expect(detail.attemptLog.map((a: { responseStatus: number | null }) => a.responseStatus)).toEqual([500, null, 200]);
    expect(detail.attemptLog[1].error).toMatch(/No answer within/);
    expect(detail.attemptLog[0].requestHeaders['webhook-id']).toBe(ids[0]);
    expect((await t.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id)))[0]!.failingSince).toBeNull();
  }, 60_000);

  it('does not follow a redirect: a 3xx is a failed attempt, retried later', async () => {
    const m = await aMember(t.app);
    const r = await receiver((req) => (req.path === '/hooks' ? { status: 302, headers: { location: '/elsewhere' } } : 200));
    const sub = await subscribe(m, r.url, ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    expect(r.received.map((req) => req.path)).toEqual(['/hooks']);
    const [row] = await deliveriesOf(sub.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 302, lastError: 'Answered 302 (redirects are not followed)' });
  });

  it('refuses at send time a target that is no longer allowed, and a name that resolves inside the network', async () => {
    const m = await aMember(t.app);
    const r = await receiver();
    const sub = await subscribe(m, r.url, ['contact.created']);
    const byName = await subscribe(m, `http://rebound.example.net:${r.port}/hooks`, ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    const rebinding = async () => [{ address: '127.0.0.1', family: 4 }];
    await drainOut(nodeSender({ allowLoopback: false, timeoutMs: 300, resolve: rebinding }));
    expect(r.received).toEqual([]);
    const [literal] = await deliveriesOf(sub.id);
    expect(literal!.lastError).toMatch(/TargetRefused: The target points inside a private network/);
    const [named] = await deliveriesOf(byName.id);
    expect(named!.lastError).toMatch(/resolves to 127\.0\.0\.1, inside a private network/);
    // With the setting, the checked address is the one connected to.
    while (await nextRound(m, nodeSender({ allowLoopback: true, timeoutMs: 300, resolve: rebinding })));
    expect(r.received.map((req) => req.headers.host).sort()).toEqual([`127.0.0.1:${r.port}`, `rebound.example.net:${r.port}`]);
  });

  it('keeps the first 4 KiB of an answer, and signs with both secrets during a rotation', async () => {
    const m = await aMember(t.app);
    const r = await receiver(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10_000) }));
    const sub = await subscribe(m, r.url, ['contact.created']);
    const rotated = await created(m.caller.post(`/api/webhook-subscriptions/${sub.id}/rotate-secret`, { graceHours: 1 }));
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    const [req] = r.received;
    expect(req!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verified(sub.secret, req!)).toBeTruthy();
    expect(verified(rotated.secret, req!)).toBeTruthy();
    const [row] = await deliveriesOf(sub.id);
    const detail = (await m.caller.get(`/api/webhook-deliveries/${row!.id}`)).json;
    expect(detail.attemptLog[0].responseBody).toHaveLength(4096);
    expect(detail.attemptLog[0].responseHeaders['content-type']).toBe('text/plain');
    expect(JSON.parse(detail.payload)).toMatchObject({ type: 'contact.created' });
  });

  it('sends a test event to one subscription', async () => {
    const m = await aMember(t.app);
    const r = await receiver();
    const sub = await subscribe(m, r.url, ['contact.created']);
    const { deliveryId } = (await m.caller.post(`/api/webhook-subscriptions/${sub.id}/test`)).json;
    await drainOut();
    expect(r.received.map((req) => req.headers['webhook-id'])).toEqual([deliveryId]);
    expect(verified(sub.secret, r.received[0]!)).toMatchObject({ type: 'webhook.test' });
  });
});

describe('turning off and on', () => {
  it('a 410 Gone turns the subscription off at once and fails what waited for it', async () => {
    const m = await aMember(t.app);
    const r = await receiver(() => 410);
    const sub = await subscribe(m, r.url, ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    const read = (await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json;
    expect(read).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone', disabledAt: new Date(t.clock.now).toISOString() });
    expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['failed']);
    await created(m.caller.post('/api/contacts', aContact()));
    expect(await deliveriesOf(sub.id)).toHaveLength(1);
  });

  it('five days of nothing but failures turn it off; re-enabled, it sends again, and a failed delivery can be redelivered with its webhook-id', async () => {
    const m = await aMember(t.app);
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const sub = await subscribe(m, r.url, ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    expect((await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json).toMatchObject({ enabled: true, failingSince: new Date(t.clock.now).toISOString() });
    // A day of retries later it is still on: the run has not lasted five days.
    t.clock.now += 86_400_000;
    await nextRound(m);
    const [first] = await deliveriesOf(sub.id);
    expect(first).toMatchObject({ status: 'pending', attempts: 2 });
    expect((await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json.enabled).toBe(true);
    const failingSince = Date.parse((await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json.failingSince);
    t.clock.now = failingSince + 5 * 86_400_000;
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    const off = (await m.caller.get(`/api/webhook-subscriptions/${sub.id}`)).json;
    expect(off).toMatchObject({ enabled: false, disabledReason: 'Every attempt failed for five days' });
    expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['failed', 'failed']);
    expectErrorReply(await m.caller.post('/api/webhook-deliveries/redeliver', { ids: [first!.id] }), 409, 'conflict');

    up = true;
    const on = (await m.caller.post(`/api/webhook-subscriptions/${sub.id}/enable`)).json;
    expect(on).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const before = r.received.length;
    expect((await m.caller.post('/api/webhook-deliveries/redeliver', { ids: [first!.id] })).status).toBe(202);
    await drainOut();
    expect(r.received.slice(before).map((req) => req.headers['webhook-id'])).toEqual([first!.id]);
    const again = (await m.caller.get(`/api/webhook-deliveries/${first!.id}`)).json;
    expect(again.status).toBe('delivered');
    expect(again.attemptLog.at(-1).responseStatus).toBe(200);
    const page = (await m.caller.get(`/api/webhook-deliveries?subscription=${sub.id}&status=failed`)).json;
    expect(page.data).toHaveLength(1);
    const byType = (await m.caller.get(`/api/webhook-deliveries?eventType=contact.created&limit=1`)).json;
    expect(byType.data).toHaveLength(1);
    expect(byType.nextCursor).toEqual(expect.any(String));
    const next = (await m.caller.get(`/api/webhook-deliveries?eventType=contact.created&limit=1&cursor=${byType.nextCursor}`)).json;
    expect(next.data[0].id).not.toBe(byType.data[0].id);
  }, 60_000);

  it('turned off by hand, what waited is failed and new events are not written', async () => {
    const m = await aMember(t.app);
    const sub = await subscribe(m, 'https://hooks.example.com/off', ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    const off = (await m.caller.patch(`/api/webhook-subscriptions/${sub.id}`, { enabled: false })).json;
    expect(off).toMatchObject({ enabled: false, disabledReason: 'Turned off by hand' });
    await created(m.caller.post('/api/contacts', aContact()));
    expect((await deliveriesOf(sub.id)).map((d) => [d.status, d.lastError])).toEqual([['failed', 'The subscription was turned off']]);
  });
});

describe('the log', () => {
  it('is forgotten by the nightly maintenance 30 days after a delivery finished; what is still owed stays', async () => {
    const m = await aMember(t.app);
    const r = await receiver();
    const sub = await subscribe(m, r.url, ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    await drainOut();
    const pending = await subscribe(m, 'https://hooks.example.com/later', ['contact.created']);
    await created(m.caller.post('/api/contacts', aContact()));
    t.sent.length = 0;
    t.clock.now += 31 * 86_400_000;
    await runMaintenance({ db: t.db, now: () => t.clock.now, undoWindowMs: 30 * 86_400_000, queues: t.deps.queues }, { type: 'purge-deleted', workspaceId: m.workspaceId });
    expect((await deliveriesOf(sub.id)).map((d) => d.status)).toEqual(['pending']);
    expect(await t.db.$count(webhookAttempts, eq(webhookAttempts.workspaceId, m.workspaceId))).toBe(0);
    expect(await deliveriesOf(pending.id)).toHaveLength(1);
  });
});
