import type { Db } from '../../db/client';
import { applyWebhookEvent } from '../services/webhooks/apply';
import { eventsMessage, type Queues } from './queues';

// Round trips one event costs at most: its read, the source's, finding the
// person by email and by phone, making them (a read and a write), the
// touch, and the settling batch; and the two nudges of the outbound
// webhook sender (the new contact's events, the lead's).
export const EVENT_SUBREQUESTS = 10;

export async function runEvents(deps: { db: Db; now: () => number; queues?: Queues }, body: unknown) {
  const message = eventsMessage.parse(body);
  return applyWebhookEvent(deps, message.workspaceId, message.eventId, { replay: message.replay });
}
