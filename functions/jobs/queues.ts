import { z } from 'zod';

// Queue names as declared in wrangler.toml; each has a dead-letter queue
// named `<name>-dlq`.
export const QUEUE_NAMES = ['campaign-send', 'events', 'segmentation', 'maintenance', 'webhooks-out'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
export const deadLetterQueue = (name: QueueName) => `${name}-dlq`;

// Message bodies are zod schemas shared by producer and consumer. They carry
// ids, never rendered content (Cloudflare Queues cap a message at 128 KB).
export const maintenanceMessage = z.discriminatedUnion('type', [
  // Purge one workspace's trash past its undo window. A continuation (the
  // workspace had more than one message's worth) carries the first
  // message's cut-off, so the chain ends with what had expired by then.
  z.object({ type: z.literal('purge-deleted'), workspaceId: z.string(), cutoff: z.number().int().optional() }),
  // The nightly fan-out, continued past the workspace id `after`, for the
  // night it started on (YYYY-MM-DD; segmentation keys its runs by it).
  z.object({ type: z.literal('nightly-fan-out'), after: z.string(), night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
  // Merge the contacts' full-text index (services/search-index.ts), one
  // message's worth of steps at a time; shared by every workspace. A
  // continuation carries on the merge its predecessor started.
  z.object({ type: z.literal('merge-search-index'), continuing: z.boolean().optional() }),
  // Carry on a bulk operation (services/bulk) from where its last chunk
  // ended; the operation's row holds everything else.
  z.object({ type: z.literal('bulk-operation'), workspaceId: z.string(), operationId: z.string() }),
  // Run (or undo) a CSV import from its stored cursor (services/imports).
  z.object({ type: z.literal('import'), workspaceId: z.string(), importId: z.string() }),
]);
export type MaintenanceMessage = z.infer<typeof maintenanceMessage>;

// A stored webhook request to apply (services/webhooks/apply.ts); a replay
// applies one already applied again.
export const eventsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('webhook-event'), workspaceId: z.string(), eventId: z.string(), replay: z.boolean().optional() }),
]);
export type EventsMessage = z.infer<typeof eventsMessage>;

// Outbound webhook deliveries to try now (services/webhooks/deliver.ts):
// a nudge only, as the delivery rows say what is due.
export const webhooksOutMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('deliver'), workspaceId: z.string(), deliveryIds: z.array(z.string()).min(1).max(20) }),
]);
export type WebhooksOutMessage = z.infer<typeof webhooksOutMessage>;

// `chunk` (customers per chunk) is for tests and benches that want several
// chunks from a small workspace; continuations carry it on.
const segmentationChunk = z.number().int().min(1).max(50_000).optional();
export const segmentationMessage = z.discriminatedUnion('type', [
  // The night's run of one workspace; its date makes the run's key, so a
  // doubled message runs once.
  z.object({ type: z.literal('nightly'), workspaceId: z.string(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), chunk: segmentationChunk }),
  // Carry on a run (services/segmentation) from its phase and cursor.
  z.object({ type: z.literal('continue'), workspaceId: z.string(), runId: z.string(), chunk: segmentationChunk }),
]);
export type SegmentationMessage = z.infer<typeof segmentationMessage>;

export type SendOptions = { delaySeconds?: number };

// What producers see, on either host: Cloudflare Queue bindings in a
// Worker, the durable table-backed queue on Node.
export type Queues = {
  send(queue: QueueName, body: unknown, options?: SendOptions): Promise<void>;
  sendBatch(queue: QueueName, bodies: unknown[], options?: SendOptions): Promise<void>;
};

// The subset of Cloudflare's MessageBatch a consumer uses; the Node host's
// queue implements exactly this contract.
export type QueueMessage = {
  readonly id: string;
  readonly timestamp: Date;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
};
export type QueueBatch = {
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
};
