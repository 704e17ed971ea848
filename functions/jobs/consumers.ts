import type { Db } from '../../db/client';
import { backoffSeconds } from '../domain/backoff';
import { logError } from '../log';
import { EVENT_SUBREQUESTS, runEvents } from './events';
import { MAINTENANCE_SUBREQUESTS, runMaintenance } from './maintenance';
import type { QueueBatch, QueueName, Queues } from './queues';
import { runSegmentation, SEGMENTATION_SUBREQUESTS } from './segmentation';
import type { WebhookSender } from '../services/webhooks/sender';
import { runWebhooksOut, WEBHOOKS_OUT_SUBREQUESTS } from './webhooks-out';

// Jobs send their own continuations, hence the producers.
// sendWebhook: how outbound webhooks leave this host (functions/services/
// webhooks/sender.ts, functions/node/webhook-sender.ts). yieldToRequests:
// how a job that shares its process with HTTP lets requests go first
// (functions/jobs/events.ts).
export type JobDeps = { db: Db; now: () => number; queues: Queues; undoWindowMs: number; sendWebhook?: WebhookSender; yieldToRequests?: () => Promise<unknown> };

// The most subrequests one message of each consumed queue can cost; a
// consumer invocation handles up to max_batch_size of them, which a unit
// test holds within SUBREQUESTS_PER_INVOCATION (functions/jobs/budget.ts).
export const SUBREQUESTS_PER_MESSAGE: Partial<Record<QueueName, number>> = {
  maintenance: MAINTENANCE_SUBREQUESTS,
  segmentation: SEGMENTATION_SUBREQUESTS,
  events: EVENT_SUBREQUESTS,
  'webhooks-out': WEBHOOKS_OUT_SUBREQUESTS,
};

// Each message is acked or retried on its own, so one bad workspace does
// not replay the others. A body that fails its schema can never succeed:
// it is acked and logged rather than retried into the dead-letter queue.
async function eachMessage(batch: QueueBatch, handle: (body: unknown) => Promise<unknown>) {
  for (const message of batch.messages) {
    try {
      await handle(message.body);
      message.ack();
    } catch (error) {
      if (error instanceof Error && error.name === 'ZodError') {
        logError({ queue: batch.queue, messageId: message.id, outcome: 'malformed message dropped' }, error);
        message.ack();
      } else {
        logError({ queue: batch.queue, messageId: message.id, attempts: message.attempts, outcome: 'retrying' }, error);
        message.retry({ delaySeconds: backoffSeconds(message.attempts) });
      }
    }
  }
}

export function consumers(deps: JobDeps): Partial<Record<QueueName, (batch: QueueBatch) => Promise<void>>> {
  return {
    maintenance: (batch) => eachMessage(batch, (body) => runMaintenance(deps, body)),
    segmentation: (batch) => eachMessage(batch, (body) => runSegmentation(deps, body)),
    events: (batch) => eachMessage(batch, (body) => runEvents(deps, body)),
    'webhooks-out': (batch) => eachMessage(batch, (body) => runWebhooksOut(deps, body)),
  };
}

// Cloudflare names the batch by queue; dead-letter queues have no consumer.
export async function consumeBatch(deps: JobDeps, batch: QueueBatch) {
  const handler = consumers(deps)[batch.queue as QueueName];
  if (!handler) {
    console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: 'no consumer; acking' }));
    batch.ackAll();
    return;
  }
  await handler(batch);
}
