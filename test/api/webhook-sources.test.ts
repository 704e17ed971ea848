import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aMember, testApp, type TestApp } from '../fixtures/app';
import { created } from '../fixtures/requests';

// The sources list of Settings → Integrations: each source with how many
// requests it sent and when the latest came, counting only its own.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

let n = 0;
async function sendForm(source: { id: string; secret: string }) {
  const id = `msg_${++n}`;
  const body = JSON.stringify({ type: 'form.submitted', data: { email: `person${n}@example.com` } });
  const signature = new StandardWebhook(source.secret).sign(id, new Date(t.clock.now), body);
  const res = await t.app.request(`http://localhost/webhooks/${source.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(t.clock.now / 1000)), 'webhook-signature': signature },
    body,
  });
  expect(res.status).toBe(200);
}

describe('GET /api/webhook-sources', () => {
  it("counts each source's requests and dates its latest, and another workspace's requests count for nobody else", async () => {
    const m = await aMember(t.app);
    const other = await aMember(t.app);
    const busy = await created(m.caller.post('/api/webhook-sources', { name: 'Busy form', kind: 'standard' }));
    await created(m.caller.post('/api/webhook-sources', { name: 'Quiet form', kind: 'standard' }));
    const theirs = await created(other.caller.post('/api/webhook-sources', { name: 'Their form', kind: 'standard' }));
    await sendForm(busy);
    t.clock.now += 60_000;
    await sendForm(busy);
    await sendForm(theirs);

    const list = (await m.caller.get('/api/webhook-sources')).json;
    expect(list.data.map((s: { name: string; received: number; lastReceivedAt: string | null }) => [s.name, s.received, s.lastReceivedAt])).toEqual([
      ['Busy form', 2, new Date(t.clock.now).toISOString()],
      ['Quiet form', 0, null],
    ]);
    expect((await other.caller.get('/api/webhook-sources')).json.data).toMatchObject([{ name: 'Their form', received: 1 }]);
  });
});
