import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaces } from '../../db/schema';
import { NIGHTLY } from '../../functions/jobs/cron';
import { PASSES_PER_MESSAGE } from '../../functions/jobs/maintenance';
import { PURGE_CHUNK } from '../../functions/services/trash/purge';
import { insertContacts } from '../fixtures/trash';
import { DAY, deletedContact, eventually, existingContacts, PUBLIC_URL, signUp, startStack, wranglerToml, type Stack } from './harness';
import { isolatedWorker, type IsolatedWorker } from './isolated';
import { freePort } from '../fixtures/ports';

// The real scheduled() handler, with wrangler.toml's queues wired as on Cloudflare: the Worker
// produces to `maintenance` and is also its consumer, so the nightly fan-out flows through
// Miniflare's queue broker back into queue() and purges.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ consumers: true });
});
afterAll(async () => {
  await stack?.dispose();
});

/** The queue broker's own report of each delivered batch: `QUEUE maintenance <acked>/<total> (…ms)`. */
function maintenanceBatches() {
  return stack.log.lines.flatMap(({ message }) => {
    const match = /^QUEUE maintenance (\d+)\/(\d+)/.exec(message);
    return match ? [{ acked: Number(match[1]), total: Number(match[2]) }] : [];
  });
}

describe('scheduled()', () => {
  it('nightly: sends one maintenance message per workspace and one to merge the search index, which the consumer acks', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const c = await signUp(stack);
    // Every workspace has something to purge, so N messages that purge N workspaces are one each.
    const aOld = await deletedContact(stack, a, 'AOld', 31);
    const aRecent = await deletedContact(stack, a, 'ARecent', 5);
    const bOld = await deletedContact(stack, b, 'BOld', 90);
    const cOld = await deletedContact(stack, c, 'COld', 30.5);
    const workspaceCount = (await stack.db.select({ id: workspaces.id }).from(workspaces)).length;
    expect(workspaceCount).toBe(3);

    const result = await stack.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() });
    expect(result.outcome).toBe('ok');

    // Delivered after the consumer's max_batch_timeout (wrangler.toml), then purged.
    const delivered = await eventually(async () => {
      const total = maintenanceBatches().reduce((sum, batch) => sum + batch.total, 0);
      return total >= workspaceCount + 1 && (await existingContacts(stack, [aOld, bOld, cOld])).length === 0;
    }, 30_000);
    expect(delivered).toBe(true);
    const batches = maintenanceBatches();
    expect(batches.reduce((sum, batch) => sum + batch.total, 0)).toBe(workspaceCount + 1);
    expect(batches.every((batch) => batch.acked === batch.total)).toBe(true);

    expect(await existingContacts(stack, [aOld, aRecent, bOld, cOld])).toEqual([aRecent]);
  });

  it('nightly: a workspace with more than one message\'s worth is finished by the continuation it sends itself', async () => {
    const member = await signUp(stack);
    const now = Date.now();
    const expired = await insertContacts(stack.db, member.workspaceId, PASSES_PER_MESSAGE * PURGE_CHUNK + 20, {
      at: now - 60 * DAY,
      deletedAt: now - 40 * DAY,
    });
    const workspaceCount = (await stack.db.select({ id: workspaces.id }).from(workspaces)).length;
    const deliveredBefore = maintenanceBatches().reduce((sum, batch) => sum + batch.total, 0);

    expect((await stack.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() })).outcome).toBe('ok');

    const delivered = () => maintenanceBatches().reduce((sum, batch) => sum + batch.total, 0) - deliveredBefore;
    const finished = await eventually(async () => delivered() >= workspaceCount + 2 && (await existingContacts(stack, expired)).length === 0, 30_000);
    expect(finished).toBe(true);
    // One message per workspace, the index merge, and the one continuation.
    expect(delivered()).toBe(workspaceCount + 2);
    expect(maintenanceBatches().every((batch) => batch.acked === batch.total)).toBe(true);
  });

  it('every other cron in wrangler.toml has a handler', async () => {
    const crons = wranglerToml().triggers?.crons ?? [];
    expect(crons).toContain(NIGHTLY);
    for (const cron of crons.filter((c) => c !== NIGHTLY)) {
      const result = await stack.worker.scheduled({ cron, scheduledTime: new Date() });
      expect(result.outcome, cron).toBe('ok');
    }
  });

  it('fails the invocation for a cron it has no handler for', async () => {
    const result = await stack.worker.scheduled({ cron: '* * * * *', scheduledTime: new Date() });
    expect(result.outcome).not.toBe('ok');
    expect(result.outcome).toBe('exception');
  });
});

describe('scheduled(): with the database unreachable', () => {
  let down: IsolatedWorker;
  beforeAll(async () => {
    down = await isolatedWorker({ LIBSQL_URL: `http://127.0.0.1:${await freePort()}`, PUBLIC_URL, UNDO_WINDOW_DAYS: '30' });
  });
  afterAll(async () => {
    await down?.dispose();
  });

  it('fails the invocation and logs one structured line naming the cron and what failed', async () => {
    const result = await down.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() });
    expect(result.outcome).toBe('exception');
    // workerd's fetch reports a refused connection as a lost one.
    expect(down.errors()).toEqual([
      expect.objectContaining({ level: 'error', handler: 'scheduled', cron: NIGHTLY, error: { name: 'Error', message: 'Network connection lost.' } }),
    ]);
  });
});
