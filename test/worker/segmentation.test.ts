import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerScores, segmentationRuns } from '../../db/schema';
import { NIGHTLY } from '../../functions/jobs/cron';
import { insertOrders } from '../fixtures/orders';
import { DAY, eventually, signUp, startStack, type Stack } from './harness';

// The segmentation job in workerd: the nightly cron fans out through
// Miniflare's queue broker to the segmentation consumer, and a message
// works through a workspace chunk by chunk over libSQL's HTTP protocol.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ consumers: true });
});
afterAll(async () => {
  await stack?.dispose();
});

type Member = Awaited<ReturnType<typeof signUp>>;

async function customersOf(member: Member, count: number) {
  const now = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await member.browser.post('/api/contacts', { firstName: `Buyer${i}`, lastName: 'Worker' });
    expect(res.status).toBe(201);
    ids.push(res.json.id);
  }
  await insertOrders(
    stack.db,
    member.workspaceId,
    ids.flatMap((contactId, i) => Array.from({ length: 1 + (i % 3) }, (_, k) => ({ contactId, at: now - (5 + 20 * i + 7 * k) * DAY, total: 1000 * (i + 1) }))),
  );
  return ids;
}

const runsOf = (workspaceId: string) => stack.db.select().from(segmentationRuns).where(eq(segmentationRuns.workspaceId, workspaceId));

describe('segmentation in the Worker runtime', () => {
  it('nightly: scheduled() sends each workspace with orders to the segmentation queue, whose consumer scores it', async () => {
    const buyer = await signUp(stack);
    const quiet = await signUp(stack);
    const ids = await customersOf(buyer, 4);

    expect((await stack.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() })).outcome).toBe('ok');

    const done = await eventually(async () => (await runsOf(buyer.workspaceId)).some((r) => r.status === 'done'), 30_000);
    expect(done).toBe(true);
    const [run] = await runsOf(buyer.workspaceId);
    expect(run).toMatchObject({ trigger: 'schedule', key: `nightly:${new Date().toISOString().slice(0, 10)}`, customers: 4 });
    const scores = await stack.db.select().from(customerScores).where(eq(customerScores.workspaceId, buyer.workspaceId));
    expect(scores.map((s) => s.contactId).sort()).toEqual([...ids].sort());
    // Nothing to compute in a workspace without orders: no run is recorded.
    expect(await runsOf(quiet.workspaceId)).toEqual([]);
  });

  it('queue(): one message completes a workspace in many chunks and is acked', async () => {
    const buyer = await signUp(stack);
    await customersOf(buyer, 6);
    const message = { id: randomUUID(), timestamp: new Date(), attempts: 1, body: { type: 'nightly', workspaceId: buyer.workspaceId, date: '2026-01-02', chunk: 1 } };

    const result = await stack.worker.queue('segmentation', [message]);
    expect(result).toMatchObject({ outcome: 'ok', explicitAcks: [message.id], retryMessages: [] });

    const [run] = await stack.db.select().from(segmentationRuns).where(and(eq(segmentationRuns.workspaceId, buyer.workspaceId), eq(segmentationRuns.key, 'nightly:2026-01-02')));
    // Six customers one at a time: seven chunks to add them up, seven to
    // write their scores, and one for each other phase.
    expect(run).toMatchObject({ status: 'done', customers: 6 });
    expect(run!.chunks).toBeGreaterThanOrEqual(18);
    expect((await stack.db.select().from(customerScores).where(eq(customerScores.workspaceId, buyer.workspaceId))).length).toBe(6);
  });
});
