import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, contacts } from '../../db/schema';
import { backoffSeconds } from '../../functions/domain/backoff';
import { MAINTENANCE_SUBREQUESTS, PASSES_PER_MESSAGE } from '../../functions/jobs/maintenance';
import { PURGE_CHUNK } from '../../functions/services/trash/purge';
import { insertContacts } from '../fixtures/trash';
import {
  DAY,
  deletedContact,
  existingContacts,
  miniflareOptions,
  signUp,
  startStack,
  workerBundle,
  type Stack,
} from './harness';
import { freePort } from '../fixtures/ports';

// The real queue() handler of the Worker entry, driven through Miniflare's Fetcher.queue, which
// returns what the runtime would do with each message (explicit acks, retries).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ faultProxy: true });
});
afterAll(async () => {
  await stack?.dispose();
});

type Member = Awaited<ReturnType<typeof signUp>>;

async function liveContact(member: Member, firstName: string) {
  const created = await member.browser.post('/api/contacts', { firstName, lastName: 'Kept' });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

const message = (body: unknown, attempts = 1) => ({ id: randomUUID(), timestamp: new Date(), attempts, body });
const purge = (workspaceId: string) => ({ type: 'purge-deleted', workspaceId });

describe('queue(): maintenance messages', () => {
  it('purges contacts deleted past the undo window, keeps the rest, and acks the message', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const old = await deletedContact(stack, a, 'Old', 31);
    const recent = await deletedContact(stack, a, 'Recent', 5);
    const alive = await liveContact(a, 'Alive');
    const otherWorkspaceOld = await deletedContact(stack, b, 'OtherOld', 40);

    const msg = message(purge(a.workspaceId));
    const result = await stack.worker.queue('maintenance', [msg]);
    expect(result).toMatchObject({ outcome: 'ok', ackAll: false, explicitAcks: [msg.id], retryMessages: [] });
    expect(result.retryBatch.retry).toBe(false);

    expect(await existingContacts(stack, [old, recent, alive, otherWorkspaceOld])).toEqual([recent, alive, otherWorkspaceOld].sort());
    const audit = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, old), eq(auditLog.action, 'purge')));
    expect(audit).toMatchObject([{ actorId: 'system', workspaceId: a.workspaceId, entityType: 'contact' }]);
    // Gone from search as well (the FTS delete trigger ran through Hrana).
    expect((await a.browser.get('/api/contacts?q=old&deleted=true')).json.data).toEqual([]);

    // At-least-once delivery: the same message again is harmless.
    const again = await stack.worker.queue('maintenance', [message(purge(a.workspaceId), 2)]);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await existingContacts(stack, [recent, alive, otherWorkspaceOld])).toEqual([recent, alive, otherWorkspaceOld].sort());
  });

  it('purges a workspace in set-based chunks within its subrequest budget, leaving what is over one message\'s worth', async () => {
    const member = await signUp(stack);
    const now = Date.now();
    const expired = await insertContacts(stack.db, member.workspaceId, PASSES_PER_MESSAGE * PURGE_CHUNK + 50, {
      at: now - 60 * DAY,
      deletedAt: now - 40 * DAY,
    });

    // The proxy sees every libSQL request the Worker makes: each is a subrequest on Cloudflare.
    let requests = 0;
    stack.proxy!.failRequests(() => {
      requests += 1;
      return false;
    });
    let result;
    try {
      result = await stack.worker.queue('maintenance', [message(purge(member.workspaceId))]);
    } finally {
      stack.proxy!.failRequests(undefined);
    }
    expect(result.explicitAcks).toHaveLength(1);
    expect(await existingContacts(stack, expired)).toHaveLength(50);
    // The night's batches forgetting imports' leftovers and the old webhook delivery log, then
    // one read and one batch per chunk, whatever the chunk holds; the continuation's send to the
    // queue is the one subrequest more that the budget allows for.
    expect(requests).toBe(2 + PASSES_PER_MESSAGE * 2);
    expect(requests).toBeLessThan(MAINTENANCE_SUBREQUESTS);
  });

  it('acks malformed messages instead of retrying them into the dead-letter queue', async () => {
    const bad = [
      message({ type: 'purge-everything' }),
      message('not even an object'),
      message({ type: 'purge-deleted' }),
      message(null),
    ];
    const result = await stack.worker.queue('maintenance', bad);
    expect(result.outcome).toBe('ok');
    expect(result.retryBatch.retry).toBe(false);
    expect(result.retryMessages).toEqual([]);
    expect([...result.explicitAcks].sort()).toEqual(bad.map((m) => m.id).sort());
  });

  it('retries only the message whose database work failed; the others in the batch are acked', async () => {
    const ok = await signUp(stack);
    const failing = await signUp(stack);
    const okOld = await deletedContact(stack, ok, 'OkOld', 31);
    const failingOld = await deletedContact(stack, failing, 'FailingOld', 31);

    // Every libSQL request that mentions the failing workspace gets a 500 from the database side.
    stack.proxy!.failRequests((body) => body.includes(failing.workspaceId));
    const batch = [message(purge(ok.workspaceId)), message(purge(failing.workspaceId)), message({ type: 'nonsense' })];
    let result;
    try {
      result = await stack.worker.queue('maintenance', batch);
    } finally {
      stack.proxy!.failRequests(undefined);
    }
    expect(result.outcome).toBe('ok');
    expect(result.ackAll).toBe(false);
    expect(result.retryBatch.retry).toBe(false);
    expect([...result.explicitAcks].sort()).toEqual([batch[0]!.id, batch[2]!.id].sort());
    expect(result.retryMessages).toEqual([{ msgId: batch[1]!.id, delaySeconds: backoffSeconds(batch[1]!.attempts) }]);
    expect(await existingContacts(stack, [okOld, failingOld])).toEqual([failingOld]);

    // Redelivered once the database answers again, it succeeds.
    const retried = await stack.worker.queue('maintenance', [{ ...batch[1]!, attempts: 2 }]);
    expect(retried.explicitAcks).toEqual([batch[1]!.id]);
    expect(await existingContacts(stack, [failingOld])).toEqual([]);
  });

  it('acks the whole batch of a queue without a consumer (a dead-letter queue)', async () => {
    const result = await stack.worker.queue('maintenance-dlq', [message(purge('ws_whatever'))]);
    expect(result.outcome).toBe('ok');
    expect(result.ackAll).toBe(true);
  });
});

describe('queue(): with the database unreachable', () => {
  let down: Miniflare;
  beforeAll(async () => {
    const port = await freePort();
    down = new Miniflare(miniflareOptions(await workerBundle(), { libsqlUrl: `http://127.0.0.1:${port}` }));
    await down.ready;
  });
  afterAll(async () => {
    await down?.dispose();
  });

  it('retries every well-formed message (none is lost or acked) and still acks malformed ones', async () => {
    const worker = await down.getWorker();
    const batch = [message(purge('ws_a')), message(purge('ws_b')), message({ type: 'purge-deleted', workspaceId: 42 })];
    const result = await worker.queue('maintenance', batch);
    expect(result.outcome).toBe('ok');
    expect(result.ackAll).toBe(false);
    expect(result.explicitAcks).toEqual([batch[2]!.id]);
    expect(result.retryMessages.map((r) => r.msgId).sort()).toEqual([batch[0]!.id, batch[1]!.id].sort());
  });
});
