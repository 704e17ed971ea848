import { and, eq } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactEmails, contacts, contactTouches, emailDeliverability, webhookEvents } from '../../db/schema';
import { eventually, PUBLIC_URL, signUp, startStack, type Stack } from './harness';

// POST /webhooks/{source} into the real Worker entry in workerd, its
// message sent through the Queue binding and delivered by the runtime to
// the Worker's queue() handler as an `events` batch (wrangler.toml's
// consumer settings), applied over libSQL's HTTP protocol. The recording
// proxy counts what the receiving request costs in database round trips:
// at the edge each is a trip to the database's region, inside the time a
// sender waits for its 2xx.
const MAX_RECEIVE_ROUND_TRIPS = 2;

let stack: Stack;
let member: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  stack = await startStack({ consumers: true, faultProxy: true });
  member = await signUp(stack);
});
afterAll(async () => {
  await stack?.dispose();
});

async function aSource(body: Record<string, unknown>) {
  const res = await member.browser.post('/api/webhook-sources', body);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string };
}

async function deliver(sourceId: string, body: string, headers: Record<string, string>) {
  stack.proxy!.received.length = 0;
  const res = await stack.mf.dispatchFetch(`${PUBLIC_URL}/webhooks/${sourceId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: (await res.json()) as { id: string; duplicate: boolean }, roundTrips: stack.proxy!.received.length };
}

// The batch comes within max_batch_timeout (2 s).
async function applied(id: string) {
  const event = await eventually(async () => {
    const [row] = await stack.db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
    return row?.status === 'applied' ? row : undefined;
  });
  expect(event, `event ${id} applied`).toBeDefined();
  return event!;
}

describe('inbound webhooks in the Worker runtime', () => {
  it('a signed form fill is answered 200 in two round trips, then the events batch makes the lead and its touch', async () => {
    const source = await aSource({ name: 'Website forms', kind: 'standard' });
    const body = JSON.stringify({ type: 'form.submitted', data: { email: 'Edge.Lead@Example.com', first_name: 'Edge', last_name: 'Lead', utm_source: 'newsletter' } });
    const at = new Date();
    const headers = { 'webhook-id': 'msg_worker_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new StandardWebhook(source.secret).sign('msg_worker_1', at, body) };

    const received = await deliver(source.id, body, headers);
    expect(received.status).toBe(200);
    expect(received.json.duplicate).toBe(false);
    // The source's row, then the event's insert; the queue send is a binding call, not the database.
    expect(received.roundTrips).toBeGreaterThan(0);
    expect(received.roundTrips).toBeLessThanOrEqual(MAX_RECEIVE_ROUND_TRIPS);

    const event = await applied(received.json.id);
    expect(event).toMatchObject({ workspaceId: member.workspaceId, type: 'form', attempts: 1, result: { created: true } });
    const [lead] = await stack.db
      .select({ id: contacts.id, lifecycleStage: contacts.lifecycleStage, leadSource: contacts.leadSource })
      .from(contactEmails)
      .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
      .where(and(eq(contactEmails.workspaceId, member.workspaceId), eq(contactEmails.address, 'edge.lead@example.com')));
    expect(lead).toMatchObject({ lifecycleStage: 'lead', leadSource: 'newsletter' });
    const [touch] = await stack.db.select().from(contactTouches).where(eq(contactTouches.id, received.json.id));
    expect(touch).toMatchObject({ contactId: lead!.id, channel: 'form', sourceId: source.id });

    // The sender's retry of the same request: a duplicate, nothing new.
    const again = await deliver(source.id, body, headers);
    expect(again.json).toEqual({ id: received.json.id, duplicate: true });
  });

  it('a Svix-signed bounce suppresses the address; a forged one is refused and leaves no row', async () => {
    const source = await aSource({ name: 'Resend', kind: 'svix' });
    const body = JSON.stringify({ type: 'email.bounced', created_at: new Date().toISOString(), data: { to: ['gone.edge@example.com'], bounce: { type: 'Permanent', message: 'No such user' } } });
    const at = new Date();
    const signed = (secret: string, id: string) => ({ 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': new SvixWebhook(secret).sign(id, at, body) });

    const forged = await stack.mf.dispatchFetch(`${PUBLIC_URL}/webhooks/${source.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed(`whsec_${Buffer.alloc(24, 7).toString('base64')}`, 'msg_forged') },
      body,
    });
    expect(forged.status).toBe(401);
    await forged.text();
    expect(await stack.db.$count(webhookEvents, eq(webhookEvents.sourceId, source.id))).toBe(0);

    const received = await deliver(source.id, body, signed(source.secret, 'msg_worker_bounce'));
    expect(received.status).toBe(200);
    expect(received.roundTrips).toBeLessThanOrEqual(MAX_RECEIVE_ROUND_TRIPS);
    expect(await applied(received.json.id)).toMatchObject({ type: 'email', result: { emailEvents: 1, suppressing: 1 } });
    const [state] = await stack.db
      .select()
      .from(emailDeliverability)
      .where(and(eq(emailDeliverability.workspaceId, member.workspaceId), eq(emailDeliverability.address, 'gone.edge@example.com')));
    expect(state).toMatchObject({ suppression: 'bounced' });
  });
});
