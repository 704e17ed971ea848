import { describe, expect, it } from 'vitest';
import { SUBREQUESTS_PER_INVOCATION } from '../../functions/jobs/budget';
import { consumers, SUBREQUESTS_PER_MESSAGE, type JobDeps } from '../../functions/jobs/consumers';
import { NIGHTLY_SUBREQUESTS } from '../../functions/jobs/cron';
import type { QueueName } from '../../functions/jobs/queues';
import { SWEEP_SUBREQUESTS } from '../../functions/jobs/sweep';
import { loadWranglerConfig } from '../../functions/node/wrangler-config';

// A Worker invocation that runs out of subrequests fails part-way; the worker tier counts a
// purge message's real libSQL requests against the bounds used here.
describe('every job stays within one invocation\'s subrequests', () => {
  it('a consumer batch: max_batch_size messages from wrangler.toml, each at its most expensive', async () => {
    const { consumers: settings } = await loadWranglerConfig();
    const consumed = Object.keys(consumers({} as JobDeps)) as QueueName[];
    expect(consumed.length).toBeGreaterThan(0);
    for (const queue of consumed) {
      const perMessage = SUBREQUESTS_PER_MESSAGE[queue];
      expect(perMessage, `${queue} declares its cost per message`).toBeGreaterThan(0);
      expect(settings[queue]!.maxBatchSize * perMessage!, queue).toBeLessThanOrEqual(SUBREQUESTS_PER_INVOCATION);
    }
  });

  it('the nightly cron: forgetting expired credentials, sending the index merge, then its share of the fan-out', () => {
    expect(NIGHTLY_SUBREQUESTS).toBeLessThanOrEqual(SUBREQUESTS_PER_INVOCATION);
  });

  it('the */5 cron: the sweep of webhook events whose message was lost', () => {
    expect(SWEEP_SUBREQUESTS).toBeLessThanOrEqual(SUBREQUESTS_PER_INVOCATION);
  });
});
