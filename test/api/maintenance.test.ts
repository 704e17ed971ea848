import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts, queueMessages, sessions, signInFailures } from '../../db/schema';
import { consumers } from '../../functions/jobs/consumers';
import { THROTTLE } from '../../functions/domain/throttle';
import { NIGHTLY, runCron } from '../../functions/jobs/cron';
import { createNodeQueue } from '../../functions/node/queue';
import { loadWranglerConfig } from '../../functions/node/wrangler-config';
import { aContact, aMember, Caller, testApp, type TestApp } from '../fixtures/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

async function nodeHostJobs() {
  const wrangler = await loadWranglerConfig();
  const now = () => t.clock.now;
  return createNodeQueue({
    db: t.db,
    now,
    settings: wrangler.consumers,
    consumers: consumers({ db: t.db, now, undoWindowMs: 30 * DAY }),
    log: () => {},
  });
}

describe('nightly maintenance on the Node host (cron → queue → job)', () => {
  it('purges what was deleted more than 30 days ago, keeps the rest, and is safe to run twice', async () => {
    const a = await aMember(t.app);
    const b = await aMember(t.app);
    const old = await a.caller.post('/api/contacts', aContact({ firstName: 'Old' }));
    const oldOther = await b.caller.post('/api/contacts', aContact({ firstName: 'OldOther' }));
    await a.caller.post('/api/activities', { contactId: old.json.id, body: 'note' });
    await a.caller.delete(`/api/contacts/${old.json.id}`);
    await b.caller.delete(`/api/contacts/${oldOther.json.id}`);
    t.clock.now += 20 * DAY;
    const recent = await a.caller.post('/api/contacts', aContact({ firstName: 'Recent' }));
    await a.caller.delete(`/api/contacts/${recent.json.id}`);
    const alive = await a.caller.post('/api/contacts', aContact({ firstName: 'Alive' }));
    t.clock.now += 11 * DAY;

    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    expect((await t.db.select().from(queueMessages)).filter((m) => m.queue === 'maintenance').length).toBeGreaterThanOrEqual(2);
    await queue.drain();

    const ids = (await t.db.select({ id: contacts.id }).from(contacts)).map((r) => r.id);
    expect(ids).not.toContain(old.json.id);
    expect(ids).not.toContain(oldOther.json.id);
    expect(ids).toContain(recent.json.id);
    expect(ids).toContain(alive.json.id);
    expect(await t.db.select().from(queueMessages)).toEqual([]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, old.json.id));
    expect(audit.map((r) => [r.action, r.actorId])).toContainEqual(['purge', 'system']);

    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    await queue.drain();
    expect((await t.db.select({ id: contacts.id }).from(contacts)).map((r) => r.id).sort()).toEqual(ids.sort());
  });

  it('acks a malformed maintenance message instead of retrying it into the dead-letter queue', async () => {
    const queue = await nodeHostJobs();
    await queue.queues.send('maintenance', { type: 'purge-everything' });
    await queue.drain();
    expect(await t.db.select().from(queueMessages)).toEqual([]);
  });

  it('forgets expired sessions and old sign-in failures, and keeps live ones', async () => {
    const stale = await aMember(t.app);
    await new Caller(t.app).post('/api/auth/sign-in', { email: stale.email, password: 'wrong password' });
    t.clock.now += 31 * DAY;
    const fresh = await aMember(t.app);
    const queue = await nodeHostJobs();
    await runCron({ db: t.db, queues: queue.queues, now: () => t.clock.now }, NIGHTLY);
    const left = await t.db.select().from(sessions);
    expect(left.every((s) => s.expiresAt > t.clock.now)).toBe(true);
    expect(left.map((s) => s.userId)).toContain(fresh.userId);
    expect(left.map((s) => s.userId)).not.toContain(stale.userId);
    const throttled = await t.db.select().from(signInFailures);
    expect(throttled.map((r) => r.key)).not.toContain(`sign-in:email:${stale.email}`);
    expect(throttled.every((r) => r.windowStart > t.clock.now - THROTTLE.windowMs)).toBe(true);
    expect((await fresh.caller.get('/api/auth/session')).status).toBe(200);
    await queue.drain();
  });
});
