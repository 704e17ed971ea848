import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client';
import { runEvents } from '../../functions/jobs/events';

// The `events` consumer on the Node host lets live requests go first: it
// asks `yieldToRequests` before each event and touches nothing until
// that says go (functions/node/traffic.ts decides when).
describe('runEvents', () => {
  it('waits for yieldToRequests before it reads anything, then applies the event', async () => {
    const touched: string[] = [];
    const db = new Proxy({}, { get: (_, key) => (touched.push(String(key)), () => { throw new Error('no database here'); }) }) as unknown as Db;
    let go = () => {};
    const asked = new Promise<void>((resolve) => {
      const yieldToRequests = () => {
        resolve();
        return new Promise<void>((resume) => (go = resume));
      };
      void runEvents({ db, now: () => 0, yieldToRequests }, { type: 'webhook-event', workspaceId: 'ws_1', eventId: 'whe_1' }).catch(() => {});
    });
    await asked;
    await new Promise((resolve) => setImmediate(resolve));
    expect(touched).toEqual([]);

    go();
    await vi.waitFor(() => expect(touched.length).toBeGreaterThan(0));
  });
});
