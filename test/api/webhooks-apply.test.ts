import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contacts, contactTouches, emailDeliverability, emailEvents, webhookEvents } from '../../db/schema';
import { applyEmailEvent, NOTHING_KNOWN, type Deliverability } from '../../functions/domain/deliverability';
import type { EmailEvent } from '../../functions/domain/webhooks/email-events';
import { runEvents } from '../../functions/jobs/events';
import { aContact, aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// The `events` queue's job (functions/services/webhooks/apply.ts): email
// events become each address's deliverability, folded in SQL as the domain
// folds it; form fills find or make the person and leave a touch. Applying
// anything twice changes nothing.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

type Member = Awaited<ReturnType<typeof aMember>>;

async function drainEvents() {
  const deps = { db: t.db, now: () => t.clock.now };
  for (let next = t.sent.findIndex((s) => s.queue === 'events'); next !== -1; next = t.sent.findIndex((s) => s.queue === 'events')) {
    const [message] = t.sent.splice(next, 1);
    await runEvents(deps, message!.body);
  }
}

const post = (sourceId: string, body: string, headers: Record<string, string>) =>
  t.app.request(`http://localhost/webhooks/${sourceId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

let n = 0;
async function sendStandard(source: { id: string; secret: string }, payload: unknown, id = `msg_${++n}`) {
  const body = JSON.stringify(payload);
  const signature = new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body);
  const res = await post(source.id, body, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': signature });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; duplicate: boolean };
}

const deliverabilityOf = async (m: Member, address: string) =>
  (await t.db.select().from(emailDeliverability).where(and(eq(emailDeliverability.workspaceId, m.workspaceId), eq(emailDeliverability.address, address))))[0];

const asDomain = (row: typeof emailDeliverability.$inferSelect | undefined): Deliverability =>
  row
    ? {
        suppression: row.suppression,
        suppressedAt: row.suppressedAt,
        latest: row.latestStatus === null ? null : { at: row.latestAt!, status: row.latestStatus },
        lastOpenedAt: row.lastOpenedAt,
        lastClickedAt: row.lastClickedAt,
      }
    : NOTHING_KNOWN;

describe('email events', () => {
  it('Postmark: a hard bounce suppresses the address, once however often it is sent', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Postmark', kind: 'postmark' }));
    const body = JSON.stringify({ RecordType: 'Bounce', ID: 4323372036, Type: 'HardBounce', Email: 'Gone@Example.com', BouncedAt: '2026-11-30T10:00:00Z', Description: 'The server was unable to deliver your message' });
    const auth = { authorization: `Basic ${Buffer.from(source.secret).toString('base64')}` };
    expect((await post(source.id, body, auth)).status).toBe(200);
    expect((await post(source.id, body, auth)).status).toBe(200);
    await drainEvents();
    expect(await deliverabilityOf(m, 'gone@example.com')).toMatchObject({ suppression: 'bounced', suppressedAt: Date.UTC(2026, 10, 30, 10) });
    expect(await t.db.$count(emailEvents, eq(emailEvents.workspaceId, m.workspaceId))).toBe(1);
    const [event] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(event).toMatchObject({ status: 'applied', type: 'email', result: { emailEvents: 1, ignored: 0, suppressing: 1 } });

    // A replay applies it again, to the same effect.
    await runEvents({ db: t.db, now: () => t.clock.now }, { type: 'webhook-event', workspaceId: m.workspaceId, eventId: event!.id, replay: true });
    expect(await t.db.$count(emailEvents, eq(emailEvents.workspaceId, m.workspaceId))).toBe(1);
    expect(await deliverabilityOf(m, 'gone@example.com')).toMatchObject({ suppression: 'bounced' });
  });

  it('folds events into the same state as the domain, whatever order they arrive in (property)', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Resend', kind: 'standard' }));
    const TYPES = { delivered: 'email.delivered', bounced: 'email.bounced', complained: 'email.complained', opened: 'email.opened', clicked: 'email.clicked', unsubscribed: 'email.unsubscribed' } as const;
    const anEvent = fc.record({
      type: fc.constantFrom(...(Object.keys(TYPES) as (keyof typeof TYPES)[])),
      soft: fc.boolean(),
      at: fc.integer({ min: 0, max: 20 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anEvent, { minLength: 1, maxLength: 8 }), async (events) => {
        const address = `person${++run}@example.com`;
        for (const e of events) {
          await sendStandard(source, {
            type: TYPES[e.type],
            created_at: new Date(Date.UTC(2026, 10, 1) + e.at * 60_000).toISOString(),
            data: { to: [address], ...(e.type === 'bounced' ? { bounce: { type: e.soft ? 'Transient' : 'Permanent' } } : {}) },
          });
        }
        await drainEvents();
        const expected = events
          .map((e): Pick<EmailEvent, 'type' | 'bounce' | 'at'> => ({ type: e.type, bounce: e.type === 'bounced' ? (e.soft ? 'soft' : 'hard') : null, at: Date.UTC(2026, 10, 1) + e.at * 60_000 }))
          .reduce(applyEmailEvent, NOTHING_KNOWN);
        expect(asDomain(await deliverabilityOf(m, address))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('form fills', () => {
  it('makes a lead from a fill, with its source and a touch; the same person again is found, not doubled', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Pricing page form', kind: 'standard', mapping: { email: 'data.fields.work_email' } }));
    const fill = (email: string, extra: Record<string, unknown> = {}) => ({
      type: 'form.submitted',
      data: { fields: { work_email: email, first_name: 'Ada', last_name: 'Lovelace', company: 'Engines Ltd', ...extra }, page_url: 'https://relate.example/pricing?utm_source=newsletter&utm_campaign=nov', referrer: 'https://news.example/' },
    });
    const first = await sendStandard(source, fill('Ada@Example.com'));
    await drainEvents();
    const [lead] = await t.db.select().from(contacts).where(eq(contacts.workspaceId, m.workspaceId));
    expect(lead).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', lifecycleStage: 'lead', leadSource: 'newsletter' });
    expect(lead!.emails).toEqual([{ address: 'ada@example.com' }]);
    const [touch] = await t.db.select().from(contactTouches).where(eq(contactTouches.id, first.id));
    expect(touch).toMatchObject({ contactId: lead!.id, channel: 'form', landingPage: 'https://relate.example/pricing?utm_source=newsletter&utm_campaign=nov', referrer: 'https://news.example/', utm: { source: 'newsletter', campaign: 'nov' }, detail: { company: 'Engines Ltd' } });
    const [event] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, first.id));
    expect(event).toMatchObject({ status: 'applied', type: 'form', result: { contactId: lead!.id, created: true } });

    const timeline = (await m.caller.get(`/api/timeline?contactId=${lead!.id}&kinds=touch`)).json.data;
    expect(timeline).toMatchObject([
      {
        kind: 'touch',
        id: first.id,
        target: { type: 'contact', id: lead!.id },
        payload: { channel: 'form', sourceName: 'Pricing page form', utm: { source: 'newsletter', campaign: 'nov', medium: null }, referrer: 'https://news.example/', company: 'Engines Ltd', message: null },
      },
    ]);

    await sendStandard(source, fill('ADA@example.com', { message: 'Call me' }));
    await runEvents({ db: t.db, now: () => t.clock.now }, { type: 'webhook-event', workspaceId: m.workspaceId, eventId: first.id, replay: true });
    await drainEvents();
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(1);
    expect(await t.db.$count(contactTouches, eq(contactTouches.contactId, lead!.id))).toBe(2);
  });

  it('two fills of one new address, the second applied while the first is making the person, make one person', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Demo form', kind: 'standard', mapping: { email: 'email' } }));
    await sendStandard(source, { email: 'grace@example.com', message: 'first' });
    await sendStandard(source, { email: 'Grace@Example.com', message: 'second' });
    const [first, second] = t.sent.filter((s) => s.queue === 'events').map((s) => s.body);
    t.sent.splice(0, t.sent.length, ...t.sent.filter((s) => s.queue !== 'events'));
    const deps = { db: t.db, now: () => t.clock.now };
    // Another process applies the second fill between the first's lookup
    // (no one has the address) and its making the person: just before the
    // first's create batch (its audit row, the contact, its outbox rows and
    // the answer) runs.
    const realBatch = t.db.batch.bind(t.db);
    let raced = false;
    const spy = vi.spyOn(t.db, 'batch').mockImplementation((async (items: never[]) => {
      if (!raced && items.length >= 4) {
        raced = true;
        await runEvents(deps, second);
      }
      return realBatch(items as never);
    }) as never);
    await runEvents(deps, first);
    spy.mockRestore();
    expect(raced).toBe(true);
    const people = await t.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, m.workspaceId));
    expect(people).toHaveLength(1);
    const touches = await t.db.select({ contactId: contactTouches.contactId }).from(contactTouches).where(eq(contactTouches.workspaceId, m.workspaceId));
    expect(touches).toEqual([{ contactId: people[0]!.id }, { contactId: people[0]!.id }]);
    const settled = await t.db.select({ status: webhookEvents.status, result: webhookEvents.result }).from(webhookEvents).where(eq(webhookEvents.sourceId, source.id));
    expect(settled.map((e) => [e.status, (e.result as { created: boolean }).created])).toEqual([
      ['applied', false],
      ['applied', true],
    ]);
  });

  it('finds a person by phone number however it is written, and refuses a fill with no way to reach anyone', async () => {
    const m = await aMember(t.app);
    const grace = await created(m.caller.post('/api/contacts', aContact({ firstName: 'Grace', emails: [], phones: [{ number: '+44 (20) 7946-0958' }] })));
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Callback form', kind: 'standard' }));
    const byPhone = await sendStandard(source, { type: 'form.submitted', data: { phone: '0044 20 7946 0958', name: 'G. Hopper' } });
    const nobody = await sendStandard(source, { type: 'form.submitted', data: { name: 'Anonymous' } });
    await drainEvents();
    expect((await t.db.select().from(contactTouches).where(eq(contactTouches.id, byPhone.id)))[0]?.contactId).toBe(grace.id);
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(1);
    const [ignored] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, nobody.id));
    expect(ignored).toMatchObject({ status: 'applied', result: { ignored: expect.stringMatching(/no email address or phone/) } });
  });

  it('fails a fill whose person could not be a contact, saying why, and writes nothing of it', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    // An address the form's loose check passes and a contact's refuses.
    const odd = await sendStandard(source, { type: 'form.submitted', data: { email: 'lin..ma@example.com', name: 'Lin Ma' } });
    await drainEvents();
    const [event] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, odd.id));
    expect(event).toMatchObject({ status: 'failed', result: null, error: expect.stringMatching(/^emails\.0\.address: /) });
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(0);
    expect(await t.db.$count(contactTouches, eq(contactTouches.id, odd.id))).toBe(0);
  });
});

describe('the event inbox', () => {
  it('lists what came, newest first and filtered, shows one as received without credentials, and replays without doubling', async () => {
    const m = await aMember(t.app);
    const forms = await created(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const postmark = await created(m.caller.post('/api/webhook-sources', { name: 'Postmark', kind: 'postmark' }));
    const lead = await sendStandard(forms, { type: 'form.submitted', data: { email: 'kim@example.com', name: 'Kim Lee' } });
    t.clock.now += 1000;
    const auth = { authorization: `Basic ${Buffer.from(postmark.secret).toString('base64')}` };
    const bounce = JSON.stringify({ RecordType: 'Bounce', ID: 1, Type: 'SoftBounce', Email: 'kim@example.com', BouncedAt: '2026-11-30T10:00:00Z' });
    const bounced = (await (await post(postmark.id, bounce, auth)).json()) as { id: string };
    await drainEvents();

    const all = (await m.caller.get('/api/webhook-events')).json;
    expect(all.data.map((e: { id: string }) => e.id)).toEqual([bounced.id, lead.id]);
    expect(all.data[1]).toMatchObject({ sourceName: 'Forms', type: 'form', status: 'applied', verifiedWith: 'current secret', attempts: 1 });
    expect((await m.caller.get('/api/webhook-events?type=email')).json.data.map((e: { id: string }) => e.id)).toEqual([bounced.id]);
    expect((await m.caller.get(`/api/webhook-events?source=${forms.id}&status=applied`)).json.data.map((e: { id: string }) => e.id)).toEqual([lead.id]);
    const first = (await m.caller.get('/api/webhook-events?limit=1')).json;
    expect((await m.caller.get(`/api/webhook-events?limit=1&cursor=${first.nextCursor}`)).json.data.map((e: { id: string }) => e.id)).toEqual([lead.id]);

    const detail = (await m.caller.get(`/api/webhook-events/${bounced.id}`)).json;
    expect(detail).toMatchObject({ body: bounce, contentType: 'application/json', eventKey: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(detail.headers.authorization).toBeUndefined();

    const replay = await m.caller.post('/api/webhook-events/replay', { ids: [lead.id, bounced.id] });
    expect(replay.status).toBe(202);
    expect(replay.json).toEqual({ replayed: 2 });
    await drainEvents();
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(1);
    expect(await t.db.$count(emailEvents, eq(emailEvents.workspaceId, m.workspaceId))).toBe(1);
    expect((await m.caller.get(`/api/webhook-events/${lead.id}`)).json).toMatchObject({ status: 'applied', attempts: 2 });
  });
});

describe('faults', () => {
  it('an event whose application dies after the person is made is applied once when retried', async () => {
    const m = await aMember(t.app);
    const source = await created(m.caller.post('/api/webhook-sources', { name: 'Forms', kind: 'standard' }));
    const sent = await sendStandard(source, { type: 'form.submitted', data: { email: 'lin@example.com', name: 'Lin Ma' } });
    const message = t.sent.splice(t.sent.findIndex((s) => s.queue === 'events'), 1)[0]!.body;
    const deps = { db: t.db, now: () => t.clock.now };
    // The batch with the touch fails once: the contact is made, but neither
    // the touch nor the event's outcome is written, and the consumer throws
    // (the queue retries the message).
    const realBatch = t.db.batch.bind(t.db);
    let failed = false;
    const touches = (items: { toSQL?(): { sql: string } }[]) => items.some((item) => item.toSQL?.().sql.includes('"contact_touches"'));
    const spy = vi.spyOn(t.db, 'batch').mockImplementation(((items: never[]) => {
      if (!failed && touches(items)) {
        failed = true;
        return Promise.reject(new Error('connection lost'));
      }
      return realBatch(items as never);
    }) as never);
    await expect(runEvents(deps, message)).rejects.toThrow('connection lost');
    spy.mockRestore();
    expect(failed).toBe(true);
    expect((await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, sent.id)))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(1);
    expect(await t.db.$count(contactTouches, eq(contactTouches.id, sent.id))).toBe(0);

    await runEvents(deps, message);
    await runEvents(deps, message);
    expect(await t.db.$count(contacts, eq(contacts.workspaceId, m.workspaceId))).toBe(1);
    expect(await t.db.$count(contactTouches, eq(contactTouches.id, sent.id))).toBe(1);
    expect((await t.db.select().from(webhookEvents).where(eq(webhookEvents.id, sent.id)))[0]).toMatchObject({ status: 'applied', attempts: 2 });
  });
});
