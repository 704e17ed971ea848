import type { Db } from '../../db/client';
import { DELIVER_SUBREQUESTS, deliverDue } from '../services/webhooks/deliver';
import type { WebhookSender } from '../services/webhooks/sender';
import { webhooksOutMessage, type Queues } from './queues';

// Round trips and sends one message costs at most: the claim, up to 20
// requests, the settling batch and a delayed message per retry.
export const WEBHOOKS_OUT_SUBREQUESTS = DELIVER_SUBREQUESTS;

export async function runWebhooksOut(deps: { db: Db; now: () => number; queues: Queues; sendWebhook?: WebhookSender }, body: unknown) {
  const message = webhooksOutMessage.parse(body);
  if (!deps.sendWebhook) throw new Error('No webhook sender on this host');
  return deliverDue({ ...deps, send: deps.sendWebhook }, message.workspaceId, message.deliveryIds);
}
