import type { Db } from '../../db/client';
import { applyWebhookEvent } from '../services/webhooks/apply';
import { eventsMessage, type Queues } from './queues';

// Round trips one event costs at most: its read, the source's, finding the
// person by email and by phone, making them (a write, and a read again
// when another fill made them meanwhile), the touch, and the settling
// batch; and the two nudges of the outbound
// webhook sender (the new contact's events, the lead's).
export const EVENT_SUBREQUESTS = 10;

// On the Node host the consumer shares its process with the webhooks it
// consumes, and every statement there is synchronous: without a pause
// between events a batch of a hundred holds the event loop for its whole
// run, and requests arriving meanwhile wait for it (a p99 of 900 ms,
// measured). Merely letting them in between events still added an event's
// CPU to every turn a request needs, so the Node host passes
// `yieldToRequests`, which waits until no request is in flight
// (functions/node/traffic.ts). Elsewhere a timer's turn; in a Worker it
// costs nothing.
const letOthersIn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function runEvents(deps: { db: Db; now: () => number; queues?: Queues; yieldToRequests?: () => Promise<unknown> }, body: unknown) {
  const message = eventsMessage.parse(body);
  await (deps.yieldToRequests ?? letOthersIn)();
  return applyWebhookEvent(deps, message.workspaceId, message.eventId, { replay: message.replay });
}
