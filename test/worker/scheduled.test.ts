import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, workspaces } from '../../db/schema';
import { DAY, eventually, signUp, startStack, wranglerToml, type Stack } from './harness';

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

const NIGHTLY = '0 3 * * *';

type Member = Awaited<ReturnType<typeof signUp>>;

async function deletedContact(member: Member, firstName: string, daysAgo: number) {
  const created = await member.browser.post('/api/contacts', { firstName, lastName: 'Scheduled' });
  expect(created.status).toBe(201);
  expect((await member.browser.delete(`/api/contacts/${created.json.id}`)).status).toBe(204);
  await stack.db
    .update(contacts)
    .set({ deletedAt: Date.now() - daysAgo * DAY })
    .where(eq(contacts.id, created.json.id));
  return created.json.id as string;
}

async function existing(ids: string[]) {
  const rows = await stack.db.select({ id: contacts.id }).from(contacts).where(inArray(contacts.id, ids));
  return rows.map((r) => r.id).sort();
}

/** The queue broker's own report of each delivered batch: `QUEUE maintenance <acked>/<total> (…ms)`. */
function maintenanceBatches() {
  return stack.log.lines.flatMap(({ message }) => {
    const match = /^QUEUE maintenance (\d+)\/(\d+)/.exec(message);
    return match ? [{ acked: Number(match[1]), total: Number(match[2]) }] : [];
  });
}

describe('scheduled()', () => {
  it('nightly: sends one maintenance message per workspace, which the consumer acks after purging', async () => {
    const a = await signUp(stack);
    const b = await signUp(stack);
    const c = await signUp(stack);
    // Every workspace has something to purge, so N messages that purge N workspaces are one each.
    const aOld = await deletedContact(a, 'AOld', 31);
    const aRecent = await deletedContact(a, 'ARecent', 5);
    const bOld = await deletedContact(b, 'BOld', 90);
    const cOld = await deletedContact(c, 'COld', 30.5);
    const workspaceCount = (await stack.db.select({ id: workspaces.id }).from(workspaces)).length;
    expect(workspaceCount).toBe(3);

    const result = await stack.worker.scheduled({ cron: NIGHTLY, scheduledTime: new Date() });
    expect(result.outcome).toBe('ok');

    // Delivered after the consumer's max_batch_timeout (wrangler.toml), then purged.
    const delivered = await eventually(async () => {
      const total = maintenanceBatches().reduce((sum, batch) => sum + batch.total, 0);
      return total >= workspaceCount && (await existing([aOld, bOld, cOld])).length === 0;
    }, 30_000);
    expect(delivered).toBe(true);
    const batches = maintenanceBatches();
    expect(batches.reduce((sum, batch) => sum + batch.total, 0)).toBe(workspaceCount);
    expect(batches.every((batch) => batch.acked === batch.total)).toBe(true);

    expect(await existing([aOld, aRecent, bOld, cOld])).toEqual([aRecent]);
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
