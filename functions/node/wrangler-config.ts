import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { isCloudflareCron } from './scheduler';

// The Node host reads the same wrangler.toml the Worker is deployed with, so
// queue consumers and crons behave alike on both hosts without a second
// config file to drift.

export type ConsumerSettings = {
  maxBatchSize: number;
  maxBatchTimeoutSeconds: number;
  maxRetries: number;
  retryDelaySeconds: number;
  deadLetterQueue?: string;
};

export type WranglerConfig = {
  consumers: Record<string, ConsumerSettings>;
  crons: string[];
};

// Cloudflare's documented defaults for a consumer that leaves a field out
// (developers.cloudflare.com/queues/configuration/configure-queues/ and
// .../batching-retries/). retry_delay has no documented default; 0 is what
// miniflare (wrangler dev) uses: a retried message comes back in the next batch.
export const CONSUMER_DEFAULTS: ConsumerSettings = {
  maxBatchSize: 10,
  maxBatchTimeoutSeconds: 5,
  maxRetries: 3,
  retryDelaySeconds: 0,
};

// Delays are capped at 12 hours by the Batching page and 24 hours by the
// Limits page; we take the stricter so nothing works here that fails there.
export const MAX_DELAY_SECONDS = 12 * 60 * 60;

export const WRANGLER_TOML = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));

// Ranges are Cloudflare's limits (developers.cloudflare.com/queues/platform/limits/).
const consumerSchema = z.object({
  queue: z.string().min(1),
  max_batch_size: z.number().int().min(1).max(100).default(CONSUMER_DEFAULTS.maxBatchSize),
  max_batch_timeout: z.number().min(0).max(60).default(CONSUMER_DEFAULTS.maxBatchTimeoutSeconds),
  max_retries: z.number().int().min(0).max(100).default(CONSUMER_DEFAULTS.maxRetries),
  retry_delay: z.number().int().min(0).max(MAX_DELAY_SECONDS).default(CONSUMER_DEFAULTS.retryDelaySeconds),
  dead_letter_queue: z.string().min(1).optional(),
});

const consumersSchema = z.array(consumerSchema).superRefine((consumers, ctx) => {
  const seen = new Set<string>();
  consumers.forEach((consumer, index) => {
    // Cloudflare allows one Worker consumer per queue.
    if (seen.has(consumer.queue)) {
      ctx.addIssue({ code: 'custom', path: [index, 'queue'], message: `queue "${consumer.queue}" has more than one consumer` });
    }
    seen.add(consumer.queue);
    if (consumer.dead_letter_queue === consumer.queue) {
      ctx.addIssue({ code: 'custom', path: [index, 'dead_letter_queue'], message: 'a queue cannot be its own dead-letter queue' });
    }
  });
});

const cronSchema = z.string().refine(isCloudflareCron, {
  message: 'not a cron both hosts run alike: five fields (minute hour day-of-month month day-of-week), weekdays by name (MON-FRI)',
});

// Tables missing from the file fall back to "none", as wrangler does.
const wranglerSchema = z.object({
  triggers: z.object({ crons: z.array(cronSchema).default([]) }).prefault({}),
  queues: z.object({ consumers: consumersSchema.default([]) }).prefault({}),
});

export function parseWranglerConfig(tomlText: string): WranglerConfig {
  const result = wranglerSchema.safeParse(readToml(tomlText));
  if (!result.success) throw new Error(`Invalid wrangler.toml:\n${z.prettifyError(result.error)}`);
  const { triggers, queues } = result.data;
  return {
    crons: triggers.crons,
    consumers: Object.fromEntries(queues.consumers.map((c) => [c.queue, toSettings(c)])),
  };
}

export async function loadWranglerConfig(path = WRANGLER_TOML): Promise<WranglerConfig> {
  return parseWranglerConfig(await readFile(path, 'utf8'));
}

function readToml(text: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    throw new Error(`wrangler.toml is not valid TOML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function toSettings(consumer: z.infer<typeof consumerSchema>): ConsumerSettings {
  return {
    maxBatchSize: consumer.max_batch_size,
    maxBatchTimeoutSeconds: consumer.max_batch_timeout,
    maxRetries: consumer.max_retries,
    retryDelaySeconds: consumer.retry_delay,
    deadLetterQueue: consumer.dead_letter_queue,
  };
}
